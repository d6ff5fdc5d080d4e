import Foundation
import XCTest
@testable import ScaleFit

/// Wall time of the multi-power-law fit on four 72,000-step curves. Meaningful only in a
/// release build: `SCALEFIT_PERF=1 swift test -c release --filter CurveFitPerformanceTests`.
final class CurveFitPerformanceTests: XCTestCase {
    static let truth = [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257]

    func curves(_ schedules: [(String, LRSchedule)]) throws -> [LossCurve] {
        let law = MultiPowerLaw()
        var rng = SeededGenerator(seed: 7)
        return try schedules.map { name, schedule in
            let steps = Array(stride(from: 2176, to: 72000, by: 128))
            let clean = law.predict(schedule: schedule, steps: steps, parameters: Self.truth)
            let noisy = clean.map { $0 * exp(Double.random(in: -1e-3...1e-3, using: &rng)) }
            return try LossCurve(name: name, schedule: schedule, steps: steps, losses: noisy)
        }
    }

    func time(_ label: String, _ schedules: [(String, LRSchedule)]) throws {
        let problem = try CurveFitProblem(law: MultiPowerLaw(), curves: curves(schedules))
        let changes = problem.prepared.map(\.changeCount)
        let clock = ContinuousClock()
        var fit: CurveFit.Result! = nil
        let grid = clock.measure { fit = try? CurveFit.fit(problem) }
        var single: SolverResult! = nil
        let one = clock.measure {
            single = try? LevenbergMarquardt(options: CurveFit.defaultOptions)
                .minimize(problem, from: MultiPowerLaw().startingGrid(for: problem.curves)[0],
                          bounds: MultiPowerLaw().defaultBounds)
        }
        var r = [Double](repeating: 0, count: problem.residualCount)
        let evaluation = clock.measure { problem.residuals(at: Self.truth, into: &r) }
        print("PERF \(label): change points \(changes); one residual evaluation \(evaluation); grid fit (\(fit.startsTried) starts) \(grid), cost \(fit.cost), \(fit.summary.message); single start \(one), \(single.summary.residualEvaluations) evaluations, \(single.summary.message)")
        XCTAssertTrue(fit.summary.converged)
    }

    func testFourCurvesOf72000Steps() throws {
        guard ProcessInfo.processInfo.environment["SCALEFIT_PERF"] == "1" else {
            throw XCTSkip("set SCALEFIT_PERF=1 and build with -c release to time the fit")
        }
        let peak = 3e-4, w = 2160
        try time("WSD family (constant, WSD linear, WSD 1-sqrt, two-stage)", [
            ("constant", .constant(peak: peak, warmup: w, total: 72000)),
            ("wsd-linear", .wsd(peak: peak, warmup: w, stable: 72000 - w - 7200, decay: 7200, shape: .linear, final: 0.1)),
            ("wsd-sqrt", .wsd(peak: peak, warmup: w, stable: 72000 - w - 14400, decay: 14400, shape: .oneMinusSqrt, final: 0.1)),
            ("two-stage", .multistage(warmup: w, stages: [.init(rate: peak, until: 36000), .init(rate: 9e-5, until: 72000)])),
        ])
        try time("with cosine (constant, cosine, WSD geometric, two-stage)", [
            ("constant", .constant(peak: peak, warmup: w, total: 72000)),
            ("cosine", .cosine(peak: peak, warmup: w, total: 72000, final: 0.1)),
            ("wsd-geometric", .wsd(peak: peak, warmup: w, stable: 72000 - w - 7200, decay: 7200, shape: .geometric, final: 0.1)),
            ("two-stage", .multistage(warmup: w, stages: [.init(rate: peak, until: 36000), .init(rate: 9e-5, until: 72000)])),
        ])
    }
}
