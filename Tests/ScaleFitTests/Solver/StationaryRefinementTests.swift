import Foundation
import XCTest
import ScaleFit

/// The stationary-point refinement (`SolverOptions.refinesStationaryPoint`): Gauss–Newton
/// steps after convergence take a least-squares fit to the point where Jᵀr = 0, which an
/// ulp of Jacobian rounding no longer moves; robust losses, the option switched off and
/// active bounds leave it alone.
final class StationaryRefinementTests: XCTestCase {
    /// Misra1a's shape, b₁·(1 − e^(−b₂x)), on data of size ~100 with residuals ~0.1: the
    /// cost is known to about 1e-13 relative, far above where the parameters are.
    struct SaturatingExponential: LeastSquaresProblem {
        let x: [Double], y: [Double]
        var parameterCount: Int { 2 }
        var residualCount: Int { x.count }
        func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<x.count { r[i] = -b[0] * expm1(-b[1] * x[i]) - y[i] }
        }
        func jacobian(at b: [Double], into j: inout Matrix) {
            for i in 0..<x.count {
                j[i, 0] = -expm1(-b[1] * x[i])
                j[i, 1] = b[0] * x[i] * exp(-b[1] * x[i])
            }
        }

        static let example: SaturatingExponential = {
            let x = (0..<14).map { 77.6 + 55 * Double($0) }
            let y = x.enumerated().map { i, t in -240 * expm1(-5.5e-4 * t) + 0.1 * sin(1.3 * Double(i)) }
            return SaturatingExponential(x: x, y: y)
        }()
    }

    /// The same problem with every Jacobian entry moved up by one ulp.
    struct UlpPerturbed<P: LeastSquaresProblem>: LeastSquaresProblem {
        let base: P
        var parameterCount: Int { base.parameterCount }
        var residualCount: Int { base.residualCount }
        func residuals(at x: [Double], into r: inout [Double]) { base.residuals(at: x, into: &r) }
        func jacobian(at x: [Double], into j: inout Matrix) {
            base.jacobian(at: x, into: &j)
            for k in j.storage.indices { j.storage[k] = j.storage[k].nextUp }
        }
    }

    private func largestRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) / abs($1) }.max() ?? 0
    }

    private func solver(refining: Bool, loss: RobustLoss = .l2) -> LevenbergMarquardt {
        var o = SolverOptions(loss: loss)
        o.refinesStationaryPoint = refining
        return LevenbergMarquardt(options: o)
    }

    func testAnUlpOfJacobianRoundingNoLongerMovesTheAnswer() throws {
        let p = SaturatingExponential.example
        let start = [500.0, 1e-4]
        let refined = try solver(refining: true).minimize(p, from: start)
        let refinedPerturbed = try solver(refining: true).minimize(UlpPerturbed(base: p), from: start)
        let plain = try solver(refining: false).minimize(p, from: start)
        let plainPerturbed = try solver(refining: false).minimize(UlpPerturbed(base: p), from: start)
        for r in [refined, refinedPerturbed, plain, plainPerturbed] { XCTAssertTrue(r.summary.converged, r.summary.message) }
        XCTAssertGreaterThan(refined.summary.refinementSteps, 0)
        XCTAssertEqual(plain.summary.refinementSteps, 0)
        XCTAssertTrue(refined.summary.effort.hasPrefix(
            "iterations \(refined.summary.iterations) (\(refined.summary.refinementSteps) of them Gauss–Newton refinement), "),
                      refined.summary.effort)
        XCTAssertEqual(plain.summary.effort, "iterations \(plain.summary.iterations), evaluations "
                       + "\(plain.summary.residualEvaluations) residual + \(plain.summary.jacobianEvaluations) Jacobian")
        let refinedSpread = largestRelativeDifference(refinedPerturbed.parameters, refined.parameters)
        let plainSpread = largestRelativeDifference(plainPerturbed.parameters, plain.parameters)
        XCTAssertLessThan(refinedSpread, 1e-12, "refined: \(refined.parameters) vs \(refinedPerturbed.parameters)")
        XCTAssertGreaterThan(plainSpread, 100 * refinedSpread,
                             "without refinement \(plainSpread), with \(refinedSpread)")
    }

    func testRefinedPointIsStationaryToRoundingLevel() throws {
        let p = SaturatingExponential.example
        let refined = try solver(refining: true).minimize(p, from: [500, 1e-4])
        let plain = try solver(refining: false).minimize(p, from: [500, 1e-4])
        /// The largest |cos| between the residual vector and a Jacobian column (MINPACK's gtol).
        func gradientCosine(_ r: SolverResult) -> Double {
            let rn = r.residuals.map { $0 * $0 }.reduce(0, +).squareRoot()
            return (0..<2).map { j -> Double in
                var dot = 0.0, cn = 0.0
                for i in 0..<r.residuals.count { dot += r.jacobian[i, j] * r.residuals[i]; cn += r.jacobian[i, j] * r.jacobian[i, j] }
                return abs(dot) / (rn * cn.squareRoot())
            }.max()!
        }
        XCTAssertLessThan(gradientCosine(refined), 1e-12)
        XCTAssertLessThan(gradientCosine(refined), gradientCosine(plain))
        XCTAssertLessThanOrEqual(refined.cost, plain.cost * (1 + 1e-12))
    }

    func testRobustLossFitsAreNotRefined() throws {
        let p = SaturatingExponential.example
        let huber = RobustLoss.huber(scale: 0.05)
        let on = try solver(refining: true, loss: huber).minimize(p, from: [500, 1e-4])
        let off = try solver(refining: false, loss: huber).minimize(p, from: [500, 1e-4])
        XCTAssertEqual(on.summary.refinementSteps, 0)
        XCTAssertEqual(on.parameters, off.parameters)
    }

    func testActiveBoundIsKept() throws {
        // The unconstrained b₁ is ~240; an upper bound of 200 holds it there.
        let p = SaturatingExponential.example
        let bounds = ParameterBounds(lower: [0, 0], upper: [200, 1])
        let r = try solver(refining: true).minimize(p, from: [150, 1e-3], bounds: bounds)
        XCTAssertTrue(r.summary.converged, r.summary.message)
        XCTAssertEqual(r.parameters[0], 200)
        XCTAssertTrue(bounds.contains(r.parameters))
    }

    func testLinearModelEndsAtTheLeastSquaresSolution() throws {
        // The normal equations' solution: a = 0.15, b = 2.94.
        let r = try solver(refining: true).minimize(Line(t: [1, 2, 3, 4], y: [3.1, 5.9, 9.2, 11.8]), from: [1, 1])
        XCTAssertTrue(r.summary.converged, r.summary.message)
        XCTAssertEqual(r.parameters[0], 0.15, accuracy: 1e-14)
        XCTAssertEqual(r.parameters[1], 2.94, accuracy: 1e-14)
    }

    func testRankDeficientModelIsLeftWhereTheTrustRegionEnded() throws {
        // (p₁ + p₂)·t: only the sum is determined, J is singular, the Gauss–Newton step is
        // not finite and the refinement must not take it.
        let p = SumSlope(t: [1, 2, 3, 4], y: [3.1, 5.9, 9.2, 11.8])
        let on = try solver(refining: true).minimize(p, from: [1, 1])
        let off = try solver(refining: false).minimize(p, from: [1, 1])
        XCTAssertEqual(on.parameters, off.parameters)
        XCTAssertEqual(on.parameters[0] + on.parameters[1], 89.7 / 30, accuracy: 1e-14)
    }
}
