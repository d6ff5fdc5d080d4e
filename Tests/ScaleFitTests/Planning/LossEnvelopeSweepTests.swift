import Foundation
import XCTest
@testable import ScaleFit

/// Approach 1 on `LossEnvelopeSweep`'s synthetic training curves (a = β/(α+β) known): the
/// noise-free envelope's own bias, and a small seeded coverage check of the bootstrap
/// interval of a (`scalefit-bench envelope` runs the 200 trials).
final class LossEnvelopeSweepTests: XCTestCase {
    func testNoiseFreeCurvesRecoverTheExponentWithinTheStaircaseBias() throws {
        let sweep = LossEnvelopeSweep(noise: 0)
        let fit = try LossEnvelope(try sweep.curves(seed: 0), options: .init(bootstrapSamples: 0))
        XCTAssertEqual(fit.points.count, 90)
        XCTAssertEqual(fit.used, 57)
        // The winners are 8 sizes 0.21 decade apart: N_opt(C) is a staircase through N*(C)
        // and the line through it has a = 0.4386 against the truth 0.4516.
        XCTAssertEqual(fit.law.a, 0.4386, accuracy: 5e-5)
        XCTAssertEqual(fit.law.a, sweep.trueA, accuracy: 0.02)
        let step = 1.5 / 7
        for p in fit.points where p.isUsed {
            let star = ComputeOptimalAllocation(law: sweep.law, compute: p.compute).parameters
            XCTAssertLessThanOrEqual(abs(log10(p.parameters / star)), step, "\(p)")
        }
    }

    func testSeededTrialsCoverTheTruth() throws {
        let sweep = LossEnvelopeSweep()
        let c = try sweep.coverage(trials: 5, samples: 100)
        XCTAssertEqual(c.trials, 5)
        XCTAssertEqual(c.covered, 4)
        XCTAssertEqual(c.meanA, sweep.trueA, accuracy: 0.06)
        // Same seeds, same answer.
        let again = try sweep.coverage(trials: 5, samples: 100)
        XCTAssertEqual(again.covered, c.covered)
        XCTAssertEqual(again.meanWidth, c.meanWidth)
    }
}
