import Dispatch
import Foundation

/// The check that `predict`'s 95% prediction interval means what it says, on data whose
/// truth is known: draw a noisy data set from a law, fit the law to it with the defaults a
/// user gets (the law's own grid and loss), estimate its noise (`predictionNoise`: the
/// residual scatter and the leave-one-group-out error), and count how many **fresh** noisy
/// observations at the same design points fall inside the interval. Repeated over seeded
/// trials; the share should be near the nominal 95%.
///
/// Noise is multiplicative, y = L·exp(σ·z) with z standard normal, the scale every
/// built-in law is fitted on. Same seed, same result.
package enum IntervalCoverage {
    /// What the trials gave.
    package struct Result: Sendable, Equatable {
        /// The law's identifier.
        package var law: String
        /// Trials run, and those whose fit failed (not counted).
        package var trials: Int
        package var failed: Int
        /// Fresh observations scored, and inside the 95% prediction interval.
        package var points: Int
        package var covered: Int
        /// Of the same points, inside the 95% confidence band of the law's value.
        package var coveredByBand: Int
        /// The share inside the prediction interval.
        package var coverage: Double { points > 0 ? Double(covered) / Double(points) : .nan }
        /// The share inside the band.
        package var bandCoverage: Double { points > 0 ? Double(coveredByBand) / Double(points) : .nan }
        /// Each finished trial's own share inside its prediction intervals.
        package var trialCoverages: [Double]
    }

    /// Hoffmann et al.'s published law, the truth of the Chinchilla trials.
    package static let chinchillaTruth = ChinchillaLaw.Parameters(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)

    /// Chinchilla tables: 30 runs (N ∈ 5e7…5e9 × D ∈ 1e9…3e11, five by six) with relative
    /// noise `sigma`, fitted by `law` (Hoffmann's grid and Huber loss by default).
    package static func chinchilla(trials: Int, seed: UInt64 = 2026, sigma: Double = 0.01,
                                   law: ChinchillaLaw = ChinchillaLaw()) -> Result {
        let design = [5e7, 1.5e8, 5e8, 1.5e9, 5e9].flatMap { n in [1e9, 3e9, 1e10, 3e10, 1e11, 3e11].map { (n, $0) } }
        let sizes = design.map { ModelSize(N: $0.0, D: $0.1) }
        let truth = design.map { chinchillaTruth.loss(parameters: $0.0, tokens: $0.1) }
        return run(law: ChinchillaLaw.identifier, trials: trials) { k in
            var g = SeededGenerator.stream(seed: seed, index: k)
            let fitted = truth.map { $0 * exp(sigma * normal(&g)) }
            let fresh = truth.map { $0 * exp(sigma * normal(&g)) }
            let data = try ModelRuns(N: design.map(\.0), D: design.map(\.1), loss: fitted)
            var fit = try Fit(law, to: data)
            fit.noise = fit.predictionNoise(data)
            return (try fit.predict(sizes), fresh)
        }
    }

    /// Loss curves of a curve law: each schedule of `schedules` logged every `every` steps
    /// from `first` to its end, the law at `truth` with relative noise `sigma`.
    package static func curves<L: Law & LossCurveLaw>(law: L, truth: [Double], schedules: [LRSchedule], first: Int, every: Int,
                                               trials: Int, seed: UInt64 = 2026, sigma: Double = 0.005) -> Result
        where L.Observations == LossCurves, L.Query == CurveQuery {
        let steps = schedules.map { s in Array(stride(from: first, to: s.totalSteps, by: every)) }
        let clean = zip(schedules, steps).map { law.predict(schedule: $0, steps: $1, parameters: truth) }
        return run(law: L.identifier, trials: trials) { k in
            var g = SeededGenerator.stream(seed: seed, index: k)
            let noisy = clean.map { curve in curve.map { $0 * exp(sigma * normal(&g)) } }
            let fresh = clean.flatMap { curve in curve.map { $0 * exp(sigma * normal(&g)) } }
            let data = try LossCurves(schedules.indices.map { (name: "curve\($0)", schedule: schedules[$0], steps: steps[$0],
                                                               losses: noisy[$0]) })
            var fit = try Fit(law, to: data)
            fit.noise = fit.predictionNoise(data)
            let predictions = try schedules.indices.flatMap { try fit.predict(CurveQuery(schedule: schedules[$0], steps: steps[$0])) }
            return (predictions, fresh)
        }
    }

    /// Runs `trial` for 0..<trials in parallel and counts the fresh values inside each
    /// prediction's interval and band.
    static func run(law: String, trials: Int,
                    _ trial: @escaping @Sendable (Int) throws -> (predictions: [Prediction], fresh: [Double])) -> Result {
        let outcomes: [(inside: Int, band: Int, points: Int)?] = concurrentResults(count: trials) { k in
            guard let (predictions, fresh) = try? trial(k), predictions.count == fresh.count else { return nil }
            var inside = 0, band = 0
            for (p, y) in zip(predictions, fresh) {
                if p.predictionLower <= y && y <= p.predictionUpper { inside += 1 }
                if p.lower <= y && y <= p.upper { band += 1 }
            }
            return (inside, band, fresh.count)
        }
        let done = outcomes.compactMap { $0 }
        return Result(law: law, trials: trials, failed: trials - done.count, points: done.reduce(0) { $0 + $1.points },
                      covered: done.reduce(0) { $0 + $1.inside }, coveredByBand: done.reduce(0) { $0 + $1.band },
                      trialCoverages: done.map { Double($0.inside) / Double($0.points) })
    }

    /// A standard normal draw (Box–Muller).
    static func normal(_ g: inout SeededGenerator) -> Double {
        let u1 = max(g.nextUnit(), 1e-300), u2 = g.nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
