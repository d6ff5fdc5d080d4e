import Foundation
@testable import ScaleFit

/// Three short curves (constant, cosine, WSD; 600 steps, a loss every 15 from 30) drawn from
/// a curve law with ±1e-4 relative noise, seeded: the data of the tests that check what a
/// curve law's `Fit` does rather than how well it recovers a law.
enum SyntheticCurves {
    static let schedules: [(String, LRSchedule)] = [
        ("constant", .constant(peak: 1e-3, warmup: 20, total: 600)),
        ("cosine", .cosine(peak: 1e-3, warmup: 20, total: 600, final: 0.1)),
        ("wsd", .wsd(peak: 1e-3, warmup: 20, stable: 380, decay: 200, shape: .linear, final: 0.05)),
    ]

    /// The three curves under `law` at `truth`.
    static func curves<L: LossCurveLaw>(_ law: L, truth: [Double]) throws -> LossCurves {
        var rng = SeededGenerator(seed: 5)
        return try LossCurves(schedules.map { name, schedule in
            let steps = Array(stride(from: 30, to: 600, by: 15))
            let clean = law.predict(schedule: schedule, steps: steps, parameters: truth)
            return (name, schedule, steps, clean.map { $0 * exp(1e-4 * Double.random(in: -1...1, using: &rng)) })
        })
    }
}
