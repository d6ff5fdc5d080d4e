import Foundation
import XCTest
import ScaleFit

/// `SolverOptions.stopsAtNoiseLevel`: a run stops at the first rejected step whose predicted
/// relative reduction is at rounding level, instead of shrinking the trust region on to the
/// parameter tolerance, and only there: a step the box clips (whose prediction can be ≤ 0)
/// or an early rejection far from the minimum does not stop it.
final class NoiseLevelStopTests: XCTestCase {
    private typealias Problem = StationaryRefinementTests.SaturatingExponential

    /// Misra1a's shape on 2,000 points with a deterministic wiggle of about 0.2: under Huber
    /// (no Gauss–Newton refinement) the plain run ends with a tail of rejected steps at
    /// rounding level.
    private static let problem: Problem = {
        let x = (0..<2000).map { 77.6 + 0.4 * Double($0) }
        let y = x.enumerated().map { i, t in -240 * expm1(-5.5e-4 * t) + 0.2 * sin(1.3 * Double(i)) }
        return Problem(x: x, y: y)
    }()

    private func solver(stopping: Bool, loss: RobustLoss = .huber(scale: 0.05)) -> LevenbergMarquardt {
        var o = SolverOptions(loss: loss)
        o.stopsAtNoiseLevel = stopping
        return LevenbergMarquardt(options: o)
    }

    func testTheStopSavesTheRoundingTailAndKeepsTheMinimum() throws {
        let p = Self.problem
        let plain = try solver(stopping: false).minimize(p, from: [500, 1e-4])
        let stopped = try solver(stopping: true).minimize(p, from: [500, 1e-4])
        XCTAssertTrue(plain.summary.converged, plain.summary.message)
        XCTAssertTrue(stopped.summary.converged, stopped.summary.message)
        XCTAssertEqual(stopped.summary.termination, .machinePrecision)
        XCTAssertLessThan(stopped.summary.residualEvaluations, plain.summary.residualEvaluations)
        XCTAssertEqual(stopped.cost, plain.cost, accuracy: 1e-13 * plain.cost)
        XCTAssertLessThanOrEqual(stopped.cost, stopped.summary.initialCost)
        for (a, b) in zip(stopped.parameters, plain.parameters) { XCTAssertEqual(a, b, accuracy: 1e-5 * abs(b)) }
        // From the minimum itself the stopped run ends within a few evaluations, not above it.
        let again = try solver(stopping: true).minimize(p, from: stopped.parameters)
        XCTAssertLessThanOrEqual(again.cost, stopped.cost)
        XCTAssertLessThanOrEqual(again.summary.residualEvaluations, 10)
    }

    func testAClippedStepDoesNotStopTheRun() throws {
        // The unconstrained b₁ is ~240: an upper bound of 200 clips the first steps, whose
        // predicted reduction can then be ≤ 0.
        let p = Self.problem
        let bounds = ParameterBounds(lower: [0, 0], upper: [200, 1])
        let plain = try solver(stopping: false).minimize(p, from: [150, 1e-3], bounds: bounds)
        let stopped = try solver(stopping: true).minimize(p, from: [150, 1e-3], bounds: bounds)
        XCTAssertTrue(stopped.summary.converged, stopped.summary.message)
        XCTAssertEqual(stopped.parameters[0], 200)
        XCTAssertEqual(stopped.cost, plain.cost, accuracy: 1e-12 * plain.cost)
        XCTAssertLessThan(stopped.cost, 0.5 * stopped.summary.initialCost)
    }

    func testOffByDefault() {
        XCTAssertFalse(SolverOptions().stopsAtNoiseLevel)
        XCTAssertFalse(CurveFit.defaultOptions.stopsAtNoiseLevel)
    }
}
