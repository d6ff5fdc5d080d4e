import XCTest
@testable import ScaleFit

/// Geodesic acceleration (`SolverOptions.geodesicAcceleration`, on by default for least
/// squares): fewer iterations along curved valleys, the same minimum, and no effect where
/// the model is linear or the loss is robust.
final class GeodesicAccelerationTests: XCTestCase {
    private func solve<P: LeastSquaresProblem>(_ p: P, from x0: [Double], accelerate: Bool,
                                              loss: RobustLoss = .l2) throws -> SolverResult {
        var o = SolverOptions(loss: loss)
        o.geodesicAcceleration = accelerate
        return try LevenbergMarquardt(options: o).minimize(p, from: x0)
    }

    /// Bennett5's shape, b₁·(b₂ + x)^(−1/b₃), from a far start: a long, curved, narrow valley
    /// where plain LM's ratio sits near 0.6 and its trust region never grows.
    struct PowerShift: LeastSquaresProblem {
        let x: [Double], y: [Double]
        var parameterCount: Int { 3 }
        var residualCount: Int { x.count }
        func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<x.count { r[i] = b[0] * pow(b[1] + x[i], -1 / b[2]) - y[i] }
        }
        func jacobian(at b: [Double], into j: inout Matrix) {
            for i in 0..<x.count {
                let q = b[1] + x[i], lq = log(q), p = exp(-lq / b[2]), f = b[0] * p
                j[i, 0] = p; j[i, 1] = -f / (b[2] * q); j[i, 2] = f * lq / (b[2] * b[2])
            }
        }
    }

    func testCurvedValleyTakesFarFewerIterationsToTheSameMinimum() throws {
        let xs = (0..<120).map { 7.5 + Double($0) * 0.03 }
        let truth = [-2500.0, 46.7, 0.93]
        // Deterministic small noise so the minimum is not an exact fit.
        let ys = xs.enumerated().map { i, x in
            truth[0] * pow(truth[1] + x, -1 / truth[2]) + 1e-3 * sin(Double(i) * 1.7)
        }
        let p = PowerShift(x: xs, y: ys)
        let plain = try solve(p, from: [-2000, 50, 0.8], accelerate: false)
        let fast = try solve(p, from: [-2000, 50, 0.8], accelerate: true)
        XCTAssertTrue(plain.summary.converged, plain.summary.message)
        XCTAssertTrue(fast.summary.converged, fast.summary.message)
        XCTAssertLessThan(3 * fast.summary.iterations, plain.summary.iterations,
                          "plain \(plain.summary.iterations), accelerated \(fast.summary.iterations) iterations")
        XCTAssertLessThan(fast.summary.residualEvaluations, plain.summary.residualEvaluations)
        for k in 0..<3 {
            XCTAssertEqual(fast.parameters[k], plain.parameters[k], accuracy: 1e-7 * abs(plain.parameters[k]))
        }
        // The data are ~30 and the residuals ~7e-4: the cost is known to about 1e-11 relative.
        XCTAssertEqual(fast.cost, plain.cost, accuracy: 1e-10 * plain.cost)
    }

    func testLinearModelIsUnchangedBitForBit() throws {
        // r_vv of a linear model is rounding noise: the acceleration must never fire.
        let t: [Double] = [1, 2, 3, 4]
        let y: [Double] = [3.1, 5.9, 9.2, 11.8]
        let on = try solve(SumSlope(t: t, y: y), from: [1, 1], accelerate: true)
        let off = try solve(SumSlope(t: t, y: y), from: [1, 1], accelerate: false)
        XCTAssertEqual(on.parameters, off.parameters)
        XCTAssertEqual(on.summary.iterations, off.summary.iterations)
    }

    func testRobustLossFitsAreNotAccelerated() throws {
        let xs = (0..<40).map { 7.5 + Double($0) * 0.1 }
        let ys = xs.map { -2500 * pow(46.7 + $0, -1 / 0.93) }
        let p = PowerShift(x: xs, y: ys)
        let on = try solve(p, from: [-2400, 46, 0.92], accelerate: true, loss: .huber(scale: 1e-3))
        let off = try solve(p, from: [-2400, 46, 0.92], accelerate: false, loss: .huber(scale: 1e-3))
        XCTAssertEqual(on.parameters, off.parameters)
        XCTAssertEqual(on.summary.residualEvaluations, off.summary.residualEvaluations)
    }

    func testEvaluationBudgetCountsTheProbe() throws {
        var o = SolverOptions()
        o.maxEvaluations = 5
        let r = try LevenbergMarquardt(options: o).minimize(Rosenbrock(), from: [-1.2, 1])
        XCTAssertLessThanOrEqual(r.summary.residualEvaluations, 5)
    }
}
