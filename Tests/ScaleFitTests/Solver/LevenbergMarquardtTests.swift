import XCTest
@testable import ScaleFit

final class LevenbergMarquardtTests: XCTestCase {
    let xs: [Double] = (1...12).map { Double($0) * 10 }

    func testZeroResidualExponentialIsRecoveredToRoundoff() throws {
        let y = xs.map { 240 * -expm1(-5.5e-4 * $0) }
        let p = ExponentialRise(x: xs, y: y)
        let r = try LevenbergMarquardt().minimize(p, from: [500, 1e-4])
        XCTAssertTrue(r.summary.converged, r.summary.message)
        XCTAssertEqual(r.parameters[0], 240, accuracy: 240 * 1e-10)
        XCTAssertEqual(r.parameters[1], 5.5e-4, accuracy: 5.5e-4 * 1e-10)
        XCTAssertLessThan(r.cost, 1e-20)
        XCTAssertGreaterThan(r.summary.initialCost, r.summary.finalCost)
        XCTAssertEqual(r.summary.finalCost, r.cost)
    }

    func testRosenbrockFromTheClassicStart() throws {
        let r = try LevenbergMarquardt().minimize(Rosenbrock(), from: [-1.2, 1])
        XCTAssertTrue(r.summary.converged, r.summary.message)
        XCTAssertEqual(r.parameters[0], 1, accuracy: 1e-12)
        XCTAssertEqual(r.parameters[1], 1, accuracy: 1e-12)
        XCTAssertGreaterThan(r.summary.iterations, 3)
        XCTAssertGreaterThanOrEqual(r.summary.residualEvaluations, r.summary.iterations)
    }

    func testLinearRegressionMatchesClosedFormAndItsStandardErrors() throws {
        let t: [Double] = [1, 2, 3, 4, 5, 6]
        let y: [Double] = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2]
        let r = try LevenbergMarquardt().minimize(Line(t: t, y: y), from: [0, 0])
        let n = Double(t.count)
        let tm = t.reduce(0, +) / n, ym = y.reduce(0, +) / n
        let sxx = t.map { ($0 - tm) * ($0 - tm) }.reduce(0, +)
        var sxy = 0.0
        for i in 0..<t.count { sxy += (t[i] - tm) * (y[i] - ym) }
        let b = sxy / sxx, a = ym - b * tm
        XCTAssertEqual(r.parameters[0], a, accuracy: 1e-12)
        XCTAssertEqual(r.parameters[1], b, accuracy: 1e-12)
        let cov = try ParameterCovariance(result: r)
        var rss = 0.0
        for i in 0..<t.count { let e = a + b * t[i] - y[i]; rss += e * e }
        let s2 = rss / (n - 2)
        XCTAssertEqual(cov.residualVariance, s2, accuracy: 1e-14)
        XCTAssertEqual(cov.standardErrors[1], (s2 / sxx).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(cov.standardErrors[0], (s2 * (1 / n + tm * tm / sxx)).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(cov.degreesOfFreedom, 4)
        XCTAssertFalse(cov.isRankDeficient)
        XCTAssertEqual(cov.correlation[0, 0], 1, accuracy: 1e-14)
        XCTAssertEqual(cov.correlation[0, 1], -tm / (tm * tm + sxx / n).squareRoot(), accuracy: 1e-12)
    }

    func testSolverReportsTheMessageForEachTermination() {
        for t in FitSummary.Termination.allCases {
            let s = FitSummary(termination: t, iterations: 0, residualEvaluations: 1,
                               jacobianEvaluations: 0, initialCost: 1, finalCost: 1, detail: "")
            XCTAssertFalse(s.message.isEmpty)
            XCTAssertEqual(s.message.hasPrefix("converged"), t.isConverged)
        }
    }

    func testDimensionMismatchThrows() {
        XCTAssertThrowsError(try LevenbergMarquardt().minimize(Rosenbrock(), from: [1])) { e in
            XCTAssertEqual(e as? ScaleFitError,
                           .dimensionMismatch(expected: "2 starting values", found: "1"))
        }
    }

    func testFiniteDifferenceProblemSolvesWithoutAnAnalyticJacobian() throws {
        let p = FiniteDifferenceProblem(parameterCount: 2, residualCount: 2) { x, r in
            r[0] = 10 * (x[1] - x[0] * x[0])
            r[1] = 1 - x[0]
        }
        let r = try LevenbergMarquardt().minimize(p, from: [-1.2, 1])
        XCTAssertEqual(r.parameters[0], 1, accuracy: 1e-8)
        XCTAssertEqual(r.parameters[1], 1, accuracy: 1e-8)
    }

    func testCentralDifferencesAgreeWithAnalyticJacobian() {
        let y = xs.map { 240 * -expm1(-5.5e-4 * $0) + 0.01 }
        let p = ExponentialRise(x: xs, y: y)
        let x = [230.0, 6e-4]
        var analytic = Matrix(rows: xs.count, columns: 2)
        p.jacobian(at: x, into: &analytic)
        for scheme in [FiniteDifferenceScheme.central, .forward] {
            let fd = finiteDifferenceJacobian(of: p, at: x, scheme: scheme)
            for k in 0..<analytic.storage.count {
                XCTAssertEqual(fd.storage[k], analytic.storage[k],
                               accuracy: (scheme == .central ? 1e-7 : 1e-5) * max(abs(analytic.storage[k]), 1))
            }
        }
    }
}
