import Foundation
import XCTest
@testable import ScaleFit

/// AIC, BIC, reduced χ² and the correlation matrix (`FitStatistics`), against hand
/// computation and against an exact straight-line fit.
final class FitStatisticsTests: XCTestCase {
    /// The formulas on four residuals and two parameters: RSS = 0.3, n = 4, k = 2.
    func testCriteriaByHand() {
        let cov = Matrix([[4, 1], [1, 1]])
        let s = FitStatistics(residuals: [0.1, -0.2, 0.4, -0.1], freeParameters: 2, loss: .l2, covariance: cov,
                              names: ["a", "b"], scale: .linear)
        let rss = 0.01 + 0.04 + 0.16 + 0.01
        XCTAssertEqual(s.residualSumOfSquares, rss, accuracy: 1e-15)
        XCTAssertEqual(s.reducedChiSquare!, rss / 2, accuracy: 1e-15)
        XCTAssertEqual(s.aic!, 4 * log(rss / 4) + 4, accuracy: 1e-12)
        XCTAssertEqual(s.bic!, 4 * log(rss / 4) + 2 * log(4), accuracy: 1e-12)
        XCTAssertNil(s.note)
        XCTAssertEqual(s.correlation[0][0], 1)
        XCTAssertEqual(s.correlation[0][1], 0.5, accuracy: 1e-15)
        XCTAssertEqual(s.correlation[1][0], s.correlation[0][1])
    }

    /// A robust loss has no AIC or BIC (the note says why); too few points, no reduced χ²;
    /// an infinite variance gives NaN correlations, not a number.
    func testUndefinedCases() {
        let cov = Matrix([[.infinity, 0], [0, 1]])
        let robust = FitStatistics(residuals: [0.1, 0.2, 0.3], freeParameters: 2, loss: .huber(scale: 1e-3), covariance: cov,
                                   names: ["a", "b"], scale: .log)
        XCTAssertNil(robust.aic)
        XCTAssertNil(robust.bic)
        XCTAssertEqual(robust.note, "least squares only; this fit minimised huber:0.001")
        XCTAssertNotNil(robust.reducedChiSquare)
        XCTAssertTrue(robust.correlation[0][1].isNaN)
        XCTAssertEqual(robust.correlation[1][1], 1)
        let tooFew = FitStatistics(residuals: [0.1, 0.2], freeParameters: 2, loss: .l2, covariance: Matrix([[1, 0], [0, 1]]),
                                   names: ["a", "b"], scale: .log)
        XCTAssertNil(tooFew.reducedChiSquare)
        XCTAssertNotNil(tooFew.aic)
    }

    /// A straight line y = 1 + 2x through five points with known residuals: the solver's run
    /// gives RSS, reduced χ² = RSS/3 and the textbook correlation of intercept and slope,
    /// −x̄/√(mean x²) for x = 0…4: −2/√6.
    func testStraightLineFit() throws {
        let x: [Double] = [0, 1, 2, 3, 4], noise: [Double] = [0.1, -0.1, 0, 0.1, -0.1]
        let y = zip(x, noise).map { 1 + 2 * $0 + $1 }
        let problem = ClosureProblem(x: x, y: y)
        let result = try LevenbergMarquardt().minimize(problem, from: [0, 0])
        let s = try FitStatistics(result: result, names: ["intercept", "slope"], scale: .linear)
        // Least squares: the residuals are the noise less its projection on (1, x).
        let rss = result.residuals.reduce(0) { $0 + $1 * $1 }
        XCTAssertEqual(s.points, 5)
        XCTAssertEqual(s.freeParameters, 2)
        XCTAssertEqual(s.reducedChiSquare!, rss / 3, accuracy: 1e-14)
        XCTAssertEqual(s.correlation[0][1], -2 / 6.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(s.aic!, 5 * log(rss / 5) + 4, accuracy: 1e-9)
    }

    /// y ≈ a + b·x.
    struct ClosureProblem: LeastSquaresProblem {
        let x: [Double], y: [Double]
        var residualCount: Int { x.count }
        var parameterCount: Int { 2 }
        func residuals(at p: [Double], into r: inout [Double]) {
            for i in x.indices { r[i] = p[0] + p[1] * x[i] - y[i] }
        }
        func jacobian(at p: [Double], into j: inout Matrix) {
            for i in x.indices { j[i, 0] = 1; j[i, 1] = x[i] }
        }
    }
}
