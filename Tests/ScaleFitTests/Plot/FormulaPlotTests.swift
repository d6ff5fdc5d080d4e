import Foundation
import XCTest
@testable import ScaleFit

/// The figure of a formula or NIST fit: one variable (data, curves, residuals against x) or
/// the parity plot (observed against fitted, y = x), and the log-or-linear rule of its axes.
final class FormulaPlotTests: XCTestCase {
    func testAnAxisIsLogarithmicOnlyWhenEveryValueIsPositiveAndTheySpanMoreThanADecade() {
        XCTAssertEqual(FormulaPlot.scale(for: [1, 5, 10]), .linear, "exactly a decade")
        XCTAssertEqual(FormulaPlot.scale(for: [1, 5, 10.5]), .log10)
        XCTAssertEqual(FormulaPlot.scale(for: [0, 5, 100]), .linear, "a zero")
        XCTAssertEqual(FormulaPlot.scale(for: [-1, 5, 100]), .linear, "a negative value")
        XCTAssertEqual(FormulaPlot.scale(for: [2e7, .nan, 2e9]), .log10, "NaN left out")
        XCTAssertEqual(FormulaPlot.scale(for: []), .linear)
        XCTAssertEqual(FormulaPlot.grid(over: [1, 1000], scale: .log10, count: 4).map { ($0 * 1e6).rounded() / 1e6 }, [1, 10, 100, 1000])
        XCTAssertEqual(FormulaPlot.grid(over: [-1, 2], scale: .linear, count: 4), [-1, 0, 1, 2])
    }

    /// L = E + A·x^(−α) fitted to 8 points from 10⁶ to 10⁹: x on a log axis, the loss (2 to 4)
    /// on a linear one, the curve through the fitted values at the ends of the data.
    func testAFormulaOfOneVariableIsDrawnAgainstItWithItsCurveAndResiduals() throws {
        let x = (0..<8).map { pow(10, 6 + 3 * Double($0) / 7) }
        let observed = x.enumerated().map { 1.7 + 400 * pow($1, -0.3) * ($0 % 2 == 0 ? 1.01 : 0.99) }
        let table = try RunTableReader.read(string: "x,loss\n" + zip(x, observed).map { "\($0),\($1)" }.joined(separator: "\n") + "\n",
                                            fileName: "points.csv")
        let law = try FormulaLaw(formula: "E + A*x^-alpha", variables: ["x"], starts: try ParameterStarts(parsing: "E=2,A=300,alpha=0.25"))
        let data = try law.observations(from: table, options: TableOptions())
        let fit = try Fit(law, to: data)
        let plot = try FormulaPlot(fit: fit, data: data, observedName: "loss")
        let fitted = plot.fitted
        for (a, b) in zip(fitted, law.fitted(data, parameters: fit.parameters)) { XCTAssertEqual(a, b, accuracy: 1e-14 * b) }
        XCTAssertEqual(plot.observed, observed)
        XCTAssertNil(plot.parityScale)
        XCTAssertEqual(plot.curves.map(\.name), ["fitted"])
        let curve = plot.curves[0]
        XCTAssertEqual(curve.x.count, FormulaPlot.curvePoints)
        XCTAssertEqual(curve.y[0], fitted[0], accuracy: 1e-9 * fitted[0])
        XCTAssertEqual(curve.y.last!, fitted[7], accuracy: 1e-9 * fitted[7])

        let figure = plot.figure(title: "loss ~ E + A*x^-alpha")
        XCTAssertEqual(figure.xAxis.scale, .log10)
        XCTAssertEqual(figure.xAxis.label, "x")
        XCTAssertEqual(figure.panels.map(\.yAxis.scale), [.linear, .linear])
        XCTAssertEqual(figure.panels[1].series[0].y, zip(fitted, observed).map { $0 - $1 }, "fitted − observed against x")
        let svg = try XCTUnwrap(SVGContents.parse(figure.svg()), "not well-formed XML")
        XCTAssertEqual(svg.counts["circle"], 17, "8 points, 8 residuals, 1 legend marker")
        XCTAssertEqual(svg.counts["polyline"], 1)
        XCTAssertEqual(svg.counts["clipPath"], 2)
        for text in ["data", "fitted", "loss", "fit − obs", "x", "1M", "1B"] {
            XCTAssertTrue(svg.texts.contains(text), "missing \"\(text)\" in \(svg.texts)")
        }
        XCTAssertEqual(figure.svg(), plot.figure(title: "loss ~ E + A*x^-alpha").svg(), "same figure, same bytes")
    }

    /// Several variables: observed against fitted, with the dashed y = x across both and the
    /// residuals against fitted; linear axes when the values span less than a decade.
    func testAFormulaOfSeveralVariablesIsAParityPlot() throws {
        let observed = [2.0, 2.5, 3.1, 3.4, 4.0], fitted = [2.1, 2.45, 3.0, 3.5, 3.95]
        let plot = try FormulaPlot.parity(observed: observed, fitted: fitted, label: "loss")
        XCTAssertEqual(plot.parityScale, .linear)
        XCTAssertEqual(plot.x, fitted)
        XCTAssertEqual(plot.curves, [FormulaPlot.Curve(name: "y = x", x: [2.0, 4.0], y: [2.0, 4.0], style: .dashed)])
        let figure = plot.figure(title: "parity")
        XCTAssertEqual(figure.xAxis.label, "fitted loss")
        XCTAssertEqual(figure.panels[0].yAxis.label, "observed loss")
        let svg = try XCTUnwrap(SVGContents.parse(figure.svg()), "not well-formed XML")
        XCTAssertEqual(svg.counts["circle"], 11)
        XCTAssertEqual(svg.dashedPolylines, 1)
        XCTAssertEqual(try FormulaPlot.parity(observed: [1, 50], fitted: [1.1, 48], label: "y").parityScale, .log10)
        XCTAssertThrowsError(try FormulaPlot.oneVariable(x: [1, 2], observed: [1], fitted: [1, 2], curves: [], xLabel: "x", yLabel: "y")) {
            XCTAssertEqual($0 as? ScaleFitError, .dimensionMismatch(expected: "2 observed and fitted values", found: "1 and 2"))
        }
    }

    /// Every StRD problem draws: y against x with the model at the given and at the certified
    /// values (here the same, so the two curves coincide) and every point twice; Nelson, with
    /// two predictors, as the parity plot of log y.
    func testEveryNISTProblemIsDrawn() throws {
        let files = try NISTTestData.files()
        XCTAssertEqual(files.count, 27)
        for url in files {
            let dataset = try NISTDataset(contentsOf: url)
            let plot = try FormulaPlot(nist: dataset, parameters: dataset.certifiedValues)
            if dataset.predictors.count == 1 {
                XCTAssertEqual(plot.curves.map(\.name), ["fitted", "certified values"], dataset.name)
                XCTAssertEqual(plot.curves[1].style, .dashed, dataset.name)
                XCTAssertEqual(plot.curves[0].y, plot.curves[1].y, dataset.name)
                XCTAssertEqual(plot.x, dataset.predictors[0], dataset.name)
                // The curve's first point is at the smallest x, where the model's value is that row's fitted value.
                let i = dataset.predictors[0].indices.min { dataset.predictors[0][$0] < dataset.predictors[0][$1] }!
                XCTAssertEqual(plot.curves[0].y[0], plot.fitted[i], accuracy: 1e-9 * max(1, abs(plot.fitted[i])), dataset.name)
            } else {
                XCTAssertEqual(dataset.name, "Nelson")
                XCTAssertEqual(plot.curves.map(\.name), ["y = x"])
                XCTAssertEqual(plot.observed, dataset.response.map { log($0) })
            }
            let svg = try XCTUnwrap(SVGContents.parse(plot.figure(title: dataset.name).svg()), "\(dataset.name): not well-formed XML")
            XCTAssertEqual(svg.counts["circle"], 2 * dataset.observationCount + 1, dataset.name)
        }
    }
}
