import Foundation
import XCTest
@testable import ScaleFit

/// `CurveFitProblem`'s three ways of writing J — one curve (the law's gradient computed in J's
/// storage and scaled there), several curves (copied from the law's gradient), a curve on
/// knots (the knots' gradient interpolated as J is written) — against central differences of
/// the residuals, for both residual kinds, and the same J from `jacobian(at:)` and
/// `residualsAndJacobian`, whatever the matrix held before.
final class CurveFitProblemJacobianTests: XCTestCase {
    private func curve(_ name: String, law: any CurveFittingLaw, truth: [Double], points: Int, every: Int,
                       schedule: LRSchedule) throws -> LossCurve {
        let rates = schedule.rates()
        let steps = Array(stride(from: 10, to: rates.count, by: every).prefix(points))
        let clean = law.predict(rates: rates, steps: steps, parameters: truth)
        let losses = clean.enumerated().map { $0.element * (1 + 0.003 * sin(1.7 * Double($0.offset))) }
        return try LossCurve(name: name, rates: rates, steps: steps, losses: losses)
    }

    private func assertConsistent<L: LossCurveLaw>(_ problem: CurveFitProblem<L>, at x: [Double],
                                                   file: StaticString = #filePath, line: UInt = #line) {
        CurveLawTestSupport.assertJacobianMatches(problem, at: x, tolerance: 1e-6, file: file, line: line)
        let m = problem.residualCount, n = problem.parameterCount
        var plain = Matrix(rows: m, columns: n)
        problem.jacobian(at: x, into: &plain)
        // A matrix full of another point's entries (and NaN) is overwritten everywhere.
        var reused = Matrix(rows: m, columns: n, repeating: .nan)
        var r = [Double](repeating: 0, count: m), expected = r
        problem.residualsAndJacobian(at: x.map { $0 * 1.01 }, residuals: &r, jacobian: &reused)
        for k in reused.storage.indices where k % 3 == 0 { reused.storage[k] = .nan }
        problem.residualsAndJacobian(at: x, residuals: &r, jacobian: &reused)
        problem.residuals(at: x, into: &expected)
        XCTAssertEqual(reused.storage, plain.storage, "J from residualsAndJacobian", file: file, line: line)
        XCTAssertEqual(r, expected, "r from residualsAndJacobian", file: file, line: line)
    }

    func testOneCurveSeveralCurvesAndKnotsGiveTheSameAnalyticJacobian() throws {
        let cosine = LRSchedule.cosine(peak: 3e-4, warmup: 50, total: 900, final: 0.1)
        let wsd = LRSchedule.wsd(peak: 3e-4, warmup: 50, stable: 400, decay: 350, shape: .linear, final: 0.05)
        let mpTruth = [3.0, 0.5, 0.5, 300, 2, 0.6, 0.6]
        let mp = MultiPowerLaw()
        let a = try curve("cosine", law: mp, truth: mpTruth, points: 800, every: 1, schedule: cosine)
        let b = try curve("wsd", law: mp, truth: mpTruth, points: 45, every: 18, schedule: wsd)
        let x = [3.05, 0.45, 0.52, 280, 2.5, 0.55, 0.65]
        for residual in [CurveFitProblem<MultiPowerLaw>.Residual.logRatio, .raw] {
            let one = try CurveFitProblem(law: mp, curves: [a], residual: residual)
            let two = try CurveFitProblem(law: mp, curves: [a, b], residual: residual)
            let knots = try XCTUnwrap(one.interpolatedProblem(spacing: 40))
            XCTAssertNotNil(knots.interpolations[0])
            let knotsAndFull = try XCTUnwrap(two.interpolatedProblem(spacing: 40))
            XCTAssertNotNil(knotsAndFull.interpolations[0])
            XCTAssertNil(knotsAndFull.interpolations[1], "45 points are too few for knots every 40")
            for problem in [one, two, knots, knotsAndFull] { assertConsistent(problem, at: x) }
        }
        // The annealing law, λ held and fitted, on one curve and on two.
        let annealing = AnnealingLaw()
        let c = try curve("cosine", law: annealing, truth: [2.8, 0.9, 0.45, 3.0], points: 800, every: 1, schedule: cosine)
        let d = try curve("wsd", law: annealing, truth: [2.8, 0.9, 0.45, 3.0], points: 45, every: 18, schedule: wsd)
        for curves in [[c], [c, d]] {
            assertConsistent(try CurveFitProblem(law: annealing, curves: curves), at: [2.7, 1.0, 0.4, 2.5])
            assertConsistent(try CurveFitProblem(law: AnnealingLaw(momentum: .fitted), curves: curves),
                             at: [2.7, 1.0, 0.4, 2.5, 0.99])
        }
    }
}
