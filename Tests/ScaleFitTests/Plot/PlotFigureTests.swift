import Foundation
import XCTest
@testable import ScaleFit

final class PlotFigureTests: XCTestCase {
    func testLossCurveFigureIsWellFormedWithItsSeries() throws {
        let svg = try PlotFixtures.lossCurves().figure(title: "Multi-power law", subtitle: "L0 = 3.04, A = 0.525").svg()
        let svgContents = try XCTUnwrap(SVGContents.parse(svg), "not well-formed XML")
        // 2 × 10 observed + 2 × 10 residuals + 2 legend markers.
        XCTAssertEqual(svgContents.counts["circle"], 42)
        // 2 fitted lines + 1 prediction + 2 learning-rate lines.
        XCTAssertEqual(svgContents.counts["polyline"], 5)
        XCTAssertEqual(svgContents.dashedPolylines, 1)
        XCTAssertEqual(svgContents.counts["clipPath"], 3, "loss, residual and learning-rate panels")
        for text in ["Multi-power law", "L0 = 3.04, A = 0.525", "cosine", "wsd", "prediction", "loss", "model − obs",
                     "learning rate", "step", "0", "500", "1k", "1.5k", "3e−4", "2e−4", "1e−4"] {
            XCTAssertTrue(svgContents.texts.contains(text), "missing text \"\(text)\" in \(svgContents.texts)")
        }
        XCTAssertEqual(svgContents.rootAttributes["viewBox"], "0 0 640.00 \(svgContents.rootAttributes["height"]!)")
        XCTAssertEqual(svgContents.rootAttributes["font-family"], "sans-serif")
    }

    func testPowerLawFigureIsWellFormedWithItsSeries() throws {
        let svg = try PlotFixtures.powerLaw().figure(title: "Chinchilla: L(N, D) = E + A/N^α + B/D^β").svg()
        let svgContents = try XCTUnwrap(SVGContents.parse(svg), "not well-formed XML")
        // 9 runs + 9 residuals + 3 legend markers.
        XCTAssertEqual(svgContents.counts["circle"], 21)
        // 3 law lines + the frontier.
        XCTAssertEqual(svgContents.counts["polyline"], 4)
        XCTAssertEqual(svgContents.dashedPolylines, 1)
        XCTAssertEqual(svgContents.counts["polygon"], 1, "the band")
        for text in ["D = 2B", "D = 20B", "D = 200B", "compute-optimal frontier", "95% bootstrap band",
                     "parameters N", "loss", "fit − obs", "100M", "1B"] {
            XCTAssertTrue(svgContents.texts.contains(text), "missing text \"\(text)\" in \(svgContents.texts)")
        }
    }

    func testSameInputGivesSameBytes() throws {
        XCTAssertEqual(try PlotFixtures.lossCurves().figure(title: "t").svg(), try PlotFixtures.lossCurves().figure(title: "t").svg())
        XCTAssertEqual(try PlotFixtures.powerLaw().figure(title: "t").svg(), try PlotFixtures.powerLaw().figure(title: "t").svg())
    }

    func testTextIsEscaped() throws {
        let title = "a < b & \"c\" 'd' > e"
        let figure = PlotFigure(title: title, subtitle: "x&y", xAxis: PlotAxis(label: "<N>"),
                                panels: [PlotPanel(yAxis: PlotAxis(label: "L & co"),
                                                   series: [.points(x: [1, 2], y: [3, 4], color: .series(0))],
                                                   legend: [PlotLegendEntry(label: "runs <all>", color: .series(0), marker: .circle)])])
        let svg = figure.svg()
        XCTAssertFalse(svg.contains("a < b"))
        let svgContents = try XCTUnwrap(SVGContents.parse(svg), "not well-formed XML")
        for text in [title, "x&y", "<N>", "L & co", "runs <all>"] {
            XCTAssertTrue(svgContents.texts.contains(text), "missing \(text)")
        }
    }

    func testUndrawableValuesAreSkippedAndBreakLines() throws {
        let figure = PlotFigure(title: "", xAxis: PlotAxis(label: "x", scale: .log10), panels: [
            PlotPanel(yAxis: PlotAxis(label: "y"), series: [
                .points(x: [1, 10, -1, .nan, 100], y: [1, 2, 3, 4, .infinity], color: .series(0)),
                .line(x: [1, 2, 3, 0, 5, 6], y: [1, 2, 3, 4, 5, 6], color: .series(1)),
            ]),
        ])
        let svgContents = try XCTUnwrap(SVGContents.parse(figure.svg()))
        XCTAssertEqual(svgContents.counts["circle"], 2, "x ≤ 0 on a log axis, NaN and ∞ are not drawn")
        XCTAssertEqual(svgContents.counts["polyline"], 2, "x = 0 breaks the line in two")
        XCTAssertFalse(figure.svg().contains("nan"))
    }

    func testEmptyFigureIsStillWellFormed() throws {
        let figure = PlotFigure(title: "nothing", xAxis: PlotAxis(label: "x"), panels: [PlotPanel(yAxis: PlotAxis(label: "y"), series: [])])
        XCTAssertNotNil(SVGContents.parse(figure.svg()))
    }

    func testLegendAvoidsTheData() throws {
        // Data fill the top-right corner: the legend goes top-left.
        let figure = PlotFigure(title: "", xAxis: PlotAxis(label: "x", range: 0...10), panels: [
            PlotPanel(yAxis: PlotAxis(label: "y", range: 0...10),
                      series: [.points(x: [8, 9, 9.5, 7], y: [9, 8, 9.5, 9.6], color: .series(0))],
                      legend: [PlotLegendEntry(label: "runs", color: .series(0), marker: .circle)]),
        ])
        let svgContents = try XCTUnwrap(SVGContents.parse(figure.svg()))
        let box = try XCTUnwrap(svgContents.legendRects.first)
        let frame = PlotLayout(figure: figure, legendWidthOutside: 0).panels[0]
        XCTAssertEqual(Double(box["x"]!)!, frame.x0 + 8, accuracy: 0.01)
        XCTAssertEqual(Double(box["y"]!)!, frame.y0 + 8, accuracy: 0.01)
    }

    func testLongSubtitlesWrapAtCommas() {
        let text = "L0 = 3.04, A = 0.525, alpha = 0.508, B = 364, C = 2.07, beta = 0.583, gamma = 0.641"
        let lines = PlotLayout.wrap(text, width: 250, size: 12)
        XCTAssertGreaterThan(lines.count, 1)
        XCTAssertEqual(lines.joined(separator: " "), text)
        XCTAssertTrue(lines.allSatisfy { TextWidth.of($0, size: 12) <= 250 })
        XCTAssertEqual(PlotLayout.wrap("short", width: 250, size: 12), ["short"])
    }

    func testPowerLawAgainstComputeUsesScientificLabels() throws {
        let plot = try PowerLawPlot(groups: [.init(name: "70M", x: [1e19, 1e20, 1e21, 1e22], observed: [3.2, 2.9, 2.6, 2.4])],
                                    xLabel: "compute C (FLOPs)")
        let contents = try XCTUnwrap(SVGContents.parse(plot.figure(title: "").svg()))
        for label in ["1e19", "1e20", "1e21", "1e22", "compute C (FLOPs)", "70M"] {
            XCTAssertTrue(contents.texts.contains(label), "missing \(label) in \(contents.texts)")
        }
        XCTAssertEqual(contents.counts["clipPath"], 1, "no fitted values: no residual panel")
    }

    func testCrowdedTickLabelsAreThinned() {
        let ticks = (0..<10).map { AxisTick(value: Double($0), label: "label\($0)", kind: $0 % 3 == 0 ? .major : .secondary) }
        let all = PlotLayout.labelled(ticks, position: { $0 * 100 }, extent: { _ in 40 }, gap: 6)
        XCTAssertEqual(all.count, 10)
        XCTAssertEqual(PlotLayout.labelled(ticks, position: { $0 * 30 }, extent: { _ in 40 }, gap: 6), [0, 3, 6, 9])
        XCTAssertEqual(PlotLayout.labelled(ticks, position: { $0 * 12 }, extent: { _ in 40 }, gap: 6), [0, 6])
    }

    func testMismatchedArraysAreErrorsNamingTheSeries() {
        XCTAssertThrowsError(try LossCurvePlot(curves: [.init(name: "cosine", steps: [1, 2], observed: [3])])) {
            XCTAssertEqual($0 as? ScaleFitError, .dimensionMismatch(expected: "2 observed values for curve \"cosine\"", found: "1"))
        }
        XCTAssertThrowsError(try PowerLawPlot(groups: [.init(name: "2B", x: [1, 2], observed: [3, 4], lawX: [1], lawLoss: [])])) {
            XCTAssertEqual($0 as? ScaleFitError, .dimensionMismatch(expected: "1 values for the law line of group \"2B\"", found: "0"))
        }
    }

    func testLawTitleValues() {
        XCTAssertEqual(PlotTitle.values(names: ["E", "A", "alpha", "beta", "eta"], values: [1.6934, 406.4, 0.3392, 0.28, 3e-4]),
                       "E = 1.69, A = 406, α = 0.339, β = 0.28, η = 3e-4")
        XCTAssertEqual(PlotTitle.greek(ChinchillaLaw.formula), "L(N, D) = E + A/N^α + B/D^β")
        XCTAssertEqual(PlotTitle.greek("betas and zeta"), "betas and zeta", "whole words only")
    }

    func testGroupingOfRunsByValue() {
        XCTAssertEqual(PowerLawPlot.clusters([1e19, 3e19, 1.05e19, 1e20, 0, 2.9e19]), [[0, 2], [1, 5], [3]])
        let spread = (0..<100).map { pow(10, 18 + 4 * Double($0) / 99) }
        let bins = PowerLawPlot.clusters(spread)
        XCTAssertEqual(bins.count, 8, "evenly spread values are cut into eight log bins")
        XCTAssertEqual(bins.flatMap { $0 }, Array(0..<100))
        XCTAssertEqual(PowerLawPlot.groupName([5.9e18, 6.1e18], format: TickLabel.scientific), "6e18")
        XCTAssertEqual(PowerLawPlot.groupName([1e19, 3e19], format: TickLabel.scientific), "1e19–3e19")
    }

    func testFrontierBudgetInvertsTheAllocation() {
        let law = ChinchillaLaw.Parameters(E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366)
        for n in [1e8, 7e9, 7e10] {
            let c = PowerLawPlot.compute(forOptimal: n, law: law)
            XCTAssertEqual(ComputeOptimalAllocation(law: law, compute: c).parameters / n, 1, accuracy: 1e-9)
        }
    }
}
