import XCTest
@testable import ScaleFit

final class ConstraintsAndFailureTests: XCTestCase {
    func testActiveUpperBoundStopsOnTheBoundaryAtTheConstrainedMinimum() throws {
        // min 100(x₂ − x₁²)² + (1 − x₁)² with x₁ ≤ 0.5: x₂ = x₁², x₁ = 0.5.
        let b = ParameterBounds(lower: [-.infinity, -.infinity], upper: [0.5, .infinity])
        let r = try LevenbergMarquardt().minimize(Rosenbrock(), from: [-1.2, 1], bounds: b)
        XCTAssertTrue(r.summary.converged, r.summary.message)
        XCTAssertEqual(r.parameters[0], 0.5, accuracy: 1e-12)
        XCTAssertEqual(r.parameters[1], 0.25, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(r.parameters[0], 0.5)
    }

    func testInactiveBoundsChangeNothing() throws {
        let b = ParameterBounds(lower: [-5, -5], upper: [5, 5])
        let bounded = try LevenbergMarquardt().minimize(Rosenbrock(), from: [-1.2, 1], bounds: b)
        XCTAssertEqual(bounded.parameters[0], 1, accuracy: 1e-12)
        XCTAssertEqual(bounded.parameters[1], 1, accuracy: 1e-12)
    }

    func testStartOutsideTheBoxIsProjectedIn() throws {
        let b = ParameterBounds(lower: [0], upper: [10])
        let r = try LevenbergMarquardt().minimize(Location(y: [1, 2, 3]), from: [-50], bounds: b)
        XCTAssertEqual(r.parameters[0], 2, accuracy: 1e-12)
    }

    func testLowerBoundActiveOnLocation() throws {
        let b = ParameterBounds(lower: [3.5], upper: [.infinity])
        let r = try LevenbergMarquardt().minimize(Location(y: [1, 2, 3]), from: [10], bounds: b)
        XCTAssertEqual(r.parameters[0], 3.5, accuracy: 0)
        XCTAssertTrue(r.summary.converged, r.summary.message)
    }

    func testEmptyBoundsThrow() {
        let b = ParameterBounds(lower: [2], upper: [1])
        XCTAssertThrowsError(try LevenbergMarquardt().minimize(Location(y: [1]), from: [1.5], bounds: b))
    }

    func testFixedParameterStaysExactAndTheOtherIsFitted() throws {
        let xs: [Double] = (1...12).map { Double($0) * 10 }
        let y = xs.map { 240 * -expm1(-5.5e-4 * $0) }
        let r = try LevenbergMarquardt().minimize(ExponentialRise(x: xs, y: y), from: [240, 1e-3],
                                                  fixed: [true, false])
        XCTAssertEqual(r.parameters[0], 240)
        XCTAssertEqual(r.parameters[1], 5.5e-4, accuracy: 5.5e-4 * 1e-10)
        let cov = try ParameterCovariance(result: r)
        XCTAssertEqual(cov.standardErrors[0], 0)
        XCTAssertEqual(cov.freeParameters, 1)
    }

    func testRankDeficientProblemIsReportedNotCrashed() throws {
        let t: [Double] = [1, 2, 3, 4]
        let y: [Double] = [3.1, 5.9, 9.2, 11.8]
        let r = try LevenbergMarquardt().minimize(SumSlope(t: t, y: y), from: [1, 1])
        XCTAssertTrue(r.summary.converged, r.summary.message)
        var sty = 0.0, stt = 0.0
        for i in 0..<t.count { sty += t[i] * y[i]; stt += t[i] * t[i] }
        let slope = sty / stt
        XCTAssertEqual(r.parameters[0] + r.parameters[1], slope, accuracy: 1e-12)
        let cov = try ParameterCovariance(result: r)
        XCTAssertTrue(cov.isRankDeficient)
        XCTAssertEqual(cov.rank, 1)
        XCTAssertEqual(cov.standardErrors[0], .infinity)
        XCTAssertEqual(cov.standardErrors[1], .infinity)
    }

    func testTrialPointsWithNaNResidualsAreRejectedNotFatal() throws {
        let t: [Double] = [1, 2, 3]
        let y = t.map { 2 * $0 }  // √p = 2, p = 4
        let r = try LevenbergMarquardt().minimize(SquareRootScale(t: t, y: y), from: [0.01])
        XCTAssertTrue(r.summary.converged, r.summary.message)
        XCTAssertEqual(r.parameters[0], 4, accuracy: 1e-10)
    }

    func testNonFiniteStartIsReported() throws {
        let r = try LevenbergMarquardt().minimize(SquareRootScale(t: [1], y: [1]), from: [-1])
        XCTAssertEqual(r.summary.termination, .nonFiniteStart)
        XCTAssertFalse(r.summary.converged)
        XCTAssertTrue(r.summary.message.contains("residual 1"), r.summary.message)
    }

    func testNonFiniteJacobianIsReported() throws {
        let p = FiniteDifferenceProblem(parameterCount: 1, residualCount: 1) { x, r in r[0] = x[0] }
        struct NaNJacobian: LeastSquaresProblem {
            var parameterCount: Int { 1 }
            var residualCount: Int { 1 }
            func residuals(at x: [Double], into r: inout [Double]) { r[0] = x[0] - 1 }
            func jacobian(at x: [Double], into j: inout Matrix) { j[0, 0] = .nan }
        }
        _ = p
        let r = try LevenbergMarquardt().minimize(NaNJacobian(), from: [3])
        XCTAssertEqual(r.summary.termination, .nonFiniteJacobian)
        XCTAssertTrue(r.summary.message.contains("∂r1/∂x1"), r.summary.message)
        XCTAssertThrowsError(try ParameterCovariance(result: r)) { e in
            XCTAssertEqual(e as? ScaleFitError, .nonFinite(what: "Jacobian entry", row: 0, column: 0))
        }
    }

    func testEvaluationBudgetIsHonoured() throws {
        var o = SolverOptions()
        o.maxEvaluations = 3
        let r = try LevenbergMarquardt(options: o).minimize(Rosenbrock(), from: [-1.2, 1])
        XCTAssertEqual(r.summary.termination, .maxEvaluations)
        XCTAssertLessThanOrEqual(r.summary.residualEvaluations, 3)
        XCTAssertFalse(r.summary.converged)
    }
}
