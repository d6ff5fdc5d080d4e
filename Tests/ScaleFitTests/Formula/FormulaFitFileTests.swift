import Foundation
import XCTest
@testable import ScaleFit

/// A formula fitted through `Fit<FormulaLaw>` from a start grid, its report, and its fit file:
/// written, read back and predicting the fitted values with the delta-method interval.
final class FormulaFitFileTests: XCTestCase {
    /// y = c + a·e^(−b·x) on 12 points (lines 2…13 of a CSV), with a fixed ±1e-3 alternating perturbation.
    private func fit() throws -> (fit: Fit<FormulaLaw>, data: FormulaData) {
        let x = (0..<12).map { Double($0) * 0.5 }
        let y = x.enumerated().map { i, t in 1 + 3 * exp(-0.7 * t) + (i % 2 == 0 ? 1e-3 : -1e-3) }
        let csv = "x,y\n" + zip(x, y).map { "\($0),\($1)" }.joined(separator: "\n") + "\n"
        let table = try RunTableReader.read(string: csv, fileName: "curve.csv")
        let law = try FormulaLaw(formula: "c + a*exp(-b*x)", variables: ["x"],
                                 starts: try ParameterStarts(parsing: "c=0,a=1:5:2,b=0.1:1.1:0.5"))
        XCTAssertEqual(law.grid.count, 9)
        let data = try law.observations(from: table, options: TableOptions(columns: [.loss: "y"]))
        return (try Fit(law, to: data), data)
    }

    func testGridFitReportAndStatistics() throws {
        let (fit, data) = try fit()
        let summary = try XCTUnwrap(fit.summary)
        XCTAssertTrue(summary.converged, summary.message)
        XCTAssertEqual(fit.parameters[0], 1, accuracy: 2e-3)
        XCTAssertEqual(fit.parameters[1], 3, accuracy: 5e-3)
        XCTAssertEqual(fit.parameters[2], 0.7, accuracy: 5e-3)
        XCTAssertEqual(fit.rank, 3)
        XCTAssertEqual(fit.degreesOfFreedom, 9)
        let report = try FormulaFitReport(fit: fit, data: data)
        XCTAssertEqual(report.formula, "c + a * exp(-b * x)")
        XCTAssertEqual(report.parameters.map(\.name), ["c", "a", "b"])
        XCTAssertEqual(report.starts, 9)
        XCTAssertGreaterThanOrEqual(report.startsAtBest, 1)
        XCTAssertEqual(report.degreesOfFreedom, 9)
        XCTAssertEqual(report.rank, 3)
        let residuals = try fit.law.residuals(data, parameters: fit.parameters)
        let rss = residuals.reduce(0) { $0 + $1 * $1 }
        XCTAssertEqual(report.residualSumOfSquares, rss)
        XCTAssertEqual(fit.objective, rss / 2, accuracy: 1e-15)
        XCTAssertEqual(report.rmse, (rss / 12).squareRoot(), accuracy: 1e-15)
        XCTAssertLessThan(report.rmse, 1.1e-3)
        XCTAssertGreaterThan(report.rSquared, 0.99999)
        XCTAssertEqual(report.statistics.freeParameters, 3)
        let row = report.rows[3]
        XCTAssertEqual(row.line, 5)
        XCTAssertEqual(row.label, "line 5")
        XCTAssertEqual(row.inputs, [1.5])
        XCTAssertEqual(row.fitted, fit.law.model.value(variables: [1.5], parameters: fit.parameters), accuracy: 1e-14)
        XCTAssertEqual(row.residual, row.fitted - row.observed, accuracy: 1e-15)
        XCTAssertEqual(report.parameters[2].standardError, fit.covariance[2, 2].squareRoot())
        XCTAssertEqual(report.diagnostics, [])
    }

    /// A formula whose parameters only a combination of is determined (E and C·A here):
    /// the rank is below the free parameters, the degrees of freedom stay m − p.
    func testARankDeficientFormulaReportsItsRank() throws {
        let table = try RunTableReader.read(string: "x,y\n1,3\n2,2.1\n4,1.6\n8,1.31\n16,1.2\n", fileName: "t.csv")
        let law = try FormulaLaw(formula: "E + C + A*x^-alpha", variables: ["x"],
                                 starts: try ParameterStarts(parsing: "E=1,C=0,A=2,alpha=1"))
        let data = try law.observations(from: table, options: TableOptions(columns: [.loss: "y"]))
        let fit = try Fit(law, to: data)
        XCTAssertEqual(fit.rank, 3)
        XCTAssertEqual(fit.degreesOfFreedom, 1)
        XCTAssertTrue(fit.diagnostics.contains(.rankDeficient(rank: 3, freeParameters: 4)), "\(fit.diagnostics)")
        let report = try FormulaFitReport(fit: fit, data: data)
        XCTAssertEqual(report.rank, 3)
        XCTAssertEqual(report.degreesOfFreedom, 1)
        // A fit read from its file has neither, and no report.
        let back = try Fit<FormulaLaw>(file: fit.file, source: "f.json")
        XCTAssertNil(back.rank)
        XCTAssertNil(back.degreesOfFreedom)
        XCTAssertThrowsError(try FormulaFitReport(fit: back, data: data))
    }

    func testFitFileRoundTripPredictsTheFittedValuesWithTheDeltaMethodInterval() throws {
        let (fit, data) = try fit()
        let file = fit.file
        XCTAssertEqual(file.law, "formula")
        XCTAssertEqual(file.variables, ["x"])
        XCTAssertEqual(file.starts, 9)
        XCTAssertEqual(file.solver, fit.summary)
        let back = try FitFile.decode(file.encoded(), file: "fit.json")
        XCTAssertEqual(back, file)
        let opened = try LawRegistry.fit(back, source: "fit.json")
        let predictions = try opened.predict(.columns(["x": data.inputs[0]]), level: 0.95)
        for (p, f) in zip(predictions, fit.law.fitted(data, parameters: fit.parameters)) {
            XCTAssertEqual(p.value, f, accuracy: 1e-14 * abs(f))
        }
        // At x = 2: g = (1, e^(−2b), −2a·e^(−2b)), sd = √(gᵀΣg).
        let (a, b) = (fit.parameters[1], fit.parameters[2])
        let g = [1, exp(-2 * b), -2 * a * exp(-2 * b)]
        var v = 0.0
        for i in 0..<3 { for j in 0..<3 { v += g[i] * fit.covariance[i, j] * g[j] } }
        let p = try opened.predict(.columns(["x": [2]]), level: 0.95)[0]
        XCTAssertEqual(p.scale, .linear)
        XCTAssertEqual(p.standardError, v.squareRoot(), accuracy: 1e-12 * v.squareRoot())
        XCTAssertEqual(p.upper - p.value, 1.959963984540054 * v.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(p.value - p.lower, p.upper - p.value, accuracy: 1e-14)
    }

    func testAFileOfAnotherLawOrAnotherFormulaIsRefused() throws {
        var file = try fit().fit.file
        file.parameterNames = ["c", "b", "a"]
        XCTAssertThrowsError(try file.formulaModel(file: "f.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(
                file: "f.json", reason: "the formula's parameters (c, a, b) are not the file's (c, b, a)"))
        }
        XCTAssertThrowsError(try LawRegistry.fit(file, source: "f.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(
                file: "f.json", reason: "the formula's parameters (c, a, b) are not the file's (c, b, a)"))
        }
        file.law = "chinchilla"
        XCTAssertThrowsError(try file.formulaModel(file: "f.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: "f.json", reason: "the fit file holds the chinchilla law, not a formula"))
        }
    }
}
