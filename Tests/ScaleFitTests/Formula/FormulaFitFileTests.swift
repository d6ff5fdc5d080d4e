import Foundation
import XCTest
import ScaleFit

/// A formula fit from a start grid, its report, and its fit file: written, read back and
/// predicting the fitted values with the delta-method interval.
final class FormulaFitFileTests: XCTestCase {
    /// y = c + a·e^(−b·x) on 12 points, with a fixed ±1e-3 alternating perturbation.
    private func fit() throws -> FormulaFit {
        let model = try FormulaModel(formula: "c + a*exp(-b*x)", variables: ["x"])
        let x = (0..<12).map { Double($0) * 0.5 }
        let y = x.enumerated().map { i, t in 1 + 3 * exp(-0.7 * t) + (i % 2 == 0 ? 1e-3 : -1e-3) }
        let starts = try model.startingPoints(ParameterStarts(parsing: "c=0,a=1:5:2,b=0.1:1.1:0.5"))
        XCTAssertEqual(starts.count, 9)
        return try FormulaFit(model: model, inputs: [x], observed: y, starts: starts, threads: 2)
    }

    func testGridFitReportAndStatistics() throws {
        let fit = try fit()
        XCTAssertTrue(fit.best.summary.converged, fit.best.summary.message)
        XCTAssertEqual(fit.parameters[0], 1, accuracy: 2e-3)
        XCTAssertEqual(fit.parameters[1], 3, accuracy: 5e-3)
        XCTAssertEqual(fit.parameters[2], 0.7, accuracy: 5e-3)
        let report = FormulaFitReport(fit: fit, lines: Array(2...13), labels: (2...13).map { "line \($0)" })
        XCTAssertEqual(report.formula, "c + a * exp(-b * x)")
        XCTAssertEqual(report.parameters.map(\.name), ["c", "a", "b"])
        XCTAssertEqual(report.starts, 9)
        XCTAssertGreaterThanOrEqual(report.startsAtBest, 1)
        XCTAssertEqual(report.degreesOfFreedom, 9)
        XCTAssertEqual(report.rank, 3)
        let rss = fit.best.residuals.reduce(0) { $0 + $1 * $1 }
        XCTAssertEqual(report.residualSumOfSquares, rss)
        XCTAssertEqual(report.rmse, (rss / 12).squareRoot(), accuracy: 1e-15)
        XCTAssertLessThan(report.rmse, 1.1e-3)
        XCTAssertGreaterThan(report.rSquared, 0.99999)
        let row = report.rows[3]
        XCTAssertEqual(row.line, 5)
        XCTAssertEqual(row.inputs, [1.5])
        XCTAssertEqual(row.fitted, fit.model.value(variables: [1.5], parameters: fit.parameters), accuracy: 1e-14)
        XCTAssertEqual(row.residual, row.fitted - row.observed, accuracy: 1e-15)
        XCTAssertEqual(report.parameters[2].standardError, fit.covariance.scaled[2, 2].squareRoot())
    }

    func testFitFileRoundTripPredictsTheFittedValuesWithTheDeltaMethodInterval() throws {
        let fit = try fit()
        let file = FitFile(formula: fit, data: .init(file: "curve.csv", rows: 12, droppedRows: 0))
        XCTAssertEqual(file.law, "formula")
        XCTAssertEqual(file.variables, ["x"])
        let back = try FitFile.decode(file.encoded(), file: "fit.json")
        XCTAssertEqual(back, file)
        let predictions = try back.predictFormula(inputs: fit.inputs, file: "fit.json")
        for (p, f) in zip(predictions, fit.fitted) { XCTAssertEqual(p.value, f, accuracy: 1e-14 * abs(f)) }
        // At x = 2: g = (1, e^(−2b), −2a·e^(−2b)), sd = √(gᵀΣg).
        let (a, b) = (fit.parameters[1], fit.parameters[2])
        let g = [1, exp(-2 * b), -2 * a * exp(-2 * b)]
        var v = 0.0
        for i in 0..<3 { for j in 0..<3 { v += g[i] * fit.covariance.scaled[i, j] * g[j] } }
        let p = try back.predictFormula(inputs: [[2]], file: "fit.json")[0]
        XCTAssertEqual(p.standardError, v.squareRoot(), accuracy: 1e-12 * v.squareRoot())
        XCTAssertEqual(p.upper - p.value, 1.959963984540054 * v.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(p.value - p.lower, p.upper - p.value, accuracy: 1e-14)
    }

    func testAFileOfAnotherLawOrAnotherFormulaIsRefused() throws {
        var file = FitFile(formula: try fit(), data: .init(file: "curve.csv", rows: 12, droppedRows: 0))
        file.parameterNames = ["c", "b", "a"]
        XCTAssertThrowsError(try file.formulaModel(file: "f.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(
                file: "f.json", reason: "the formula's parameters (c, a, b) are not the file's (c, b, a)"))
        }
        file.law = "chinchilla"
        XCTAssertThrowsError(try file.predictFormula(inputs: [[1]], file: "f.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: "f.json", reason: "the fit file holds the chinchilla law, not a formula"))
        }
    }
}
