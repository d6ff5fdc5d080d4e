import Foundation
import XCTest
@testable import ScaleFit

/// Curves generated from known parameters with small multiplicative noise are fitted back.
final class CurveFitRecoveryTests: XCTestCase {
    let schedules: [(String, LRSchedule)] = [
        ("constant", .constant(peak: 1e-3, warmup: 100, total: 3000)),
        ("cosine", .cosine(peak: 1e-3, warmup: 100, total: 3000, final: 0.1)),
        ("wsd", .wsd(peak: 1e-3, warmup: 100, stable: 1900, decay: 1000, shape: .linear, final: 0.05)),
        ("two-stage", .multistage(warmup: 100, stages: [.init(rate: 1e-3, until: 1500), .init(rate: 2e-4, until: 3000)])),
    ]

    func synthetic<Law: LossCurveLaw>(_ law: Law, _ truth: [Double], noise: Double, seed: UInt64) throws -> LossCurves {
        var rng = SeededGenerator(seed: seed)
        return try LossCurves(schedules.map { name, schedule in
            let steps = Array(stride(from: 150, to: 3000, by: 50))
            let clean = law.predict(schedule: schedule, steps: steps, parameters: truth)
            return (name, schedule, steps, clean.map { $0 * exp(noise * Double.random(in: -1...1, using: &rng)) })
        })
    }

    func assertRecovered<Law: CurveFittingLaw>(_ law: Law, truth: [Double], tolerance: Double,
                                               file: StaticString = #filePath, line: UInt = #line) throws {
        let curves = try synthetic(law, truth, noise: 1e-5, seed: 11)
        let problem = try law.problem(for: curves)
        let fit = try Fit(law, to: curves)
        XCTAssertTrue(fit.summary!.converged, fit.summary!.message, file: file, line: line)
        XCTAssertLessThanOrEqual(fit.objective, problem.objective(at: truth) * (1 + 1e-9), file: file, line: line)
        for (name, (got, want)) in zip(law.parameterNames, zip(fit.parameters, truth)) {
            XCTAssertEqual(got, want, accuracy: tolerance * abs(want), "\(name): \(fit.parameters)", file: file, line: line)
        }
        // The fitted law predicts the clean curves closely.
        for (name, schedule) in schedules {
            let steps = [500, 1500, 2999]
            let a = law.predict(schedule: schedule, steps: steps, parameters: fit.parameters)
            let b = law.predict(schedule: schedule, steps: steps, parameters: truth)
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-4 * y, name, file: file, line: line) }
        }
    }

    func testMultiPowerLawRecovered() throws {
        try assertRecovered(MultiPowerLaw(), truth: [3.0, 0.5, 0.5, 300, 2, 0.6, 0.6], tolerance: 0.05)
    }

    func testAnnealingLawRecovered() throws {
        try assertRecovered(AnnealingLaw(), truth: [3.0, 0.5, 0.5, 0.3], tolerance: 0.01)
        try assertRecovered(AnnealingLaw(momentum: .fitted), truth: [3.0, 0.5, 0.5, 0.3, 0.995], tolerance: 0.02)
    }

    func testDuplicateScreenedEndsArePolishedOnce() throws {
        // The annealing law's 54 starts all reach one minimum of these curves: the three best
        // screened ends coincide, and one polish run stands for them.
        let law = AnnealingLaw()
        let data = try synthetic(law, [3.0, 0.5, 0.5, 0.3], noise: 1e-5, seed: 11)
        let fit = try Fit(law, to: data)
        XCTAssertEqual(fit.search.startsPolished, 1)
        XCTAssertEqual(fit.search.startsConverged, 1)
        // Explicit distinct starts far apart: each is its own candidate.
        let starts = [[3.0, 0.5, 0.5, 0.3], [1.0, 3.0, 0.1, 3.0]]
        guard case let .screened(evaluations, tolerance, _, options) = law.search else { return XCTFail("\(law.search)") }
        let two = try ScreenedMultiStart(options: options, screeningEvaluations: evaluations, screeningFunctionTolerance: tolerance,
                                         selection: .distinctAmongBest(count: 2, tolerance: 1e-3))
            .minimize(try law.problem(for: data), screeningProblem: try law.screeningProblem(for: data), starts: starts,
                      bounds: law.bounds(for: data))
        XCTAssertLessThanOrEqual(two.best.cost, fit.objective * (1 + 1e-9))
    }

    func testBadCurvesAreRejectedWithTheirName() {
        XCTAssertThrowsError(try LossCurve(name: "run-a", rates: [1, 1, 1], steps: [2, 1], losses: [3, 3])) {
            XCTAssertEqual($0 as? ScaleFitError, .invalidData(file: "run-a", reason: "steps are not strictly increasing: 1 after 2"))
        }
        XCTAssertThrowsError(try LossCurve(name: "run-a", rates: [1, -1, 1], steps: [1], losses: [3])) {
            XCTAssertEqual($0 as? ScaleFitError, .invalidData(file: "run-a", reason: "learning rate -1.0 at step 1 is not a finite non-negative number"))
        }
        XCTAssertThrowsError(try LossCurve(name: "run-a", rates: [1, 1], steps: [5], losses: [3])) {
            XCTAssertEqual($0 as? ScaleFitError, .invalidData(file: "run-a", reason: "step 5 is past the schedule's last step 1"))
        }
    }
}
