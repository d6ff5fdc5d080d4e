import Dispatch
import Foundation

/// The fit the loss-curve performance target is stated on: the multi-power law fitted with
/// `Fit<MultiPowerLaw>` (12-start grid, Huber δ = 1e-3) to four curves of 72,000 steps, each
/// logged every 128 steps from step 2176 to 71,936 (546 logged steps), generated from the published
/// 25M parameters with multiplicative noise of ±0.1% (seeded, so every run fits the same
/// data). Two families: one whose schedules change η at few steps (constant, WSD linear,
/// WSD 1−sqrt, two-stage) and one with a cosine, which changes η at every step
/// (K = 71,936 change points). `scalefit-bench curves` times it.
package enum CurveFitBenchmark {
    /// The published 25M fit [L0, A, α, B, C, β, γ] (`../shared/data/lrcurves/PROVENANCE.md`).
    package static let truth = [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257]

    package struct Family: Sendable {
        package let name: String
        /// A short name for files: "wsd-family", "cosine-family".
        package let slug: String
        package let curves: [LossCurve]
        /// The schedule of each curve (empty for a family made by hand, which `run` cannot fit).
        package var schedules: [LRSchedule] = []

        /// The family as one CSV in the full-resolution form `run,step,lr,loss`: a row for
        /// every step with its η, the loss only on the logged steps (empty elsewhere), every
        /// number with 17 significant digits so that a reader gets the same doubles back.
        package var csv: String {
            var text = "run,step,lr,loss\n"
            for curve in curves {
                var logged = [Int: Double]()
                for (s, l) in zip(curve.steps, curve.losses) { logged[s] = l }
                for (step, rate) in curve.rates.enumerated() {
                    let loss = logged[step].map { String(format: "%.17g", $0) } ?? ""
                    text += "\(curve.name),\(step),\(String(format: "%.17g", rate)),\(loss)\n"
                }
            }
            return text
        }
    }

    package struct Timing: Sendable {
        package let family: String
        /// K, the change points of each curve.
        package let changePoints: [Int]
        /// Wall time of the fit (`Fit.init`: the search, then the covariance and diagnostics).
        package let seconds: Double
        package let fit: Fit<MultiPowerLaw>
    }

    /// The two families, η peak 3e-4 after a linear warmup of 2160 steps.
    package static func families() throws -> [Family] {
        let peak = 3e-4, w = 2160, total = 72_000
        let wsdFamily: [(String, LRSchedule)] = [
            ("constant", .constant(peak: peak, warmup: w, total: total)),
            ("wsd-linear", .wsd(peak: peak, warmup: w, stable: total - w - 7200, decay: 7200, shape: .linear, final: 0.1)),
            ("wsd-sqrt", .wsd(peak: peak, warmup: w, stable: total - w - 14400, decay: 14400, shape: .oneMinusSqrt, final: 0.1)),
            ("two-stage", .multistage(warmup: w, stages: [.init(rate: peak, until: 36000), .init(rate: 9e-5, until: total)])),
        ]
        let cosineFamily: [(String, LRSchedule)] = [
            ("constant", .constant(peak: peak, warmup: w, total: total)),
            ("cosine", .cosine(peak: peak, warmup: w, total: total, final: 0.1)),
            ("wsd-geometric", .wsd(peak: peak, warmup: w, stable: total - w - 7200, decay: 7200, shape: .geometric, final: 0.1)),
            ("two-stage", .multistage(warmup: w, stages: [.init(rate: peak, until: 36000), .init(rate: 9e-5, until: total)])),
        ]
        return [
            Family(name: "WSD family (constant, WSD linear, WSD 1-sqrt, two-stage)", slug: "wsd-family",
                   curves: try curves(wsdFamily), schedules: wsdFamily.map(\.1)),
            Family(name: "cosine family (constant, cosine, WSD geometric, two-stage)", slug: "cosine-family",
                   curves: try curves(cosineFamily), schedules: cosineFamily.map(\.1)),
        ]
    }

    static func curves(_ schedules: [(String, LRSchedule)]) throws -> [LossCurve] {
        let law = MultiPowerLaw()
        var rng = SeededGenerator(seed: 7)
        return try schedules.map { name, schedule in
            let steps = Array(stride(from: 2176, to: 72_000, by: 128))
            let clean = law.predict(schedule: schedule, steps: steps, parameters: truth)
            let noisy = clean.map { $0 * exp(Double.random(in: -1e-3...1e-3, using: &rng)) }
            return try LossCurve(name: name, schedule: schedule, steps: steps, losses: noisy)
        }
    }

    /// One Levenberg–Marquardt run with `CurveFit.defaultOptions` from the first point of
    /// the default grid, timed: what a peer fitting from one start is compared with.
    package struct SingleStart: Sendable {
        package let start: [Double]
        package let seconds: Double
        package let result: SolverResult
    }

    package static func runSingleStart(_ family: Family) throws -> SingleStart {
        let law = MultiPowerLaw()
        let problem = try CurveFitProblem(law: law, curves: family.curves)
        let start = law.defaultBounds.clamp(law.startingGrid(for: family.curves)[0])
        let solver = LevenbergMarquardt(options: CurveFit.defaultOptions)
        let (result, seconds) = try timed { try solver.minimize(problem, from: start, bounds: law.defaultBounds) }
        return SingleStart(start: start, seconds: seconds, result: result)
    }

    /// Fits `family` once with the default grid and options and times it.
    package static func run(_ family: Family) throws -> Timing {
        let law = MultiPowerLaw()
        let data = LossCurves(curves: family.curves, schedules: family.schedules, file: family.slug)
        let (fit, seconds) = try timed { try Fit(law, to: data) }
        return Timing(family: family.name, changePoints: family.curves.map { law.prepare(rates: $0.rates, steps: $0.steps).changeCount },
                      seconds: seconds, fit: fit)
    }

    /// `body`'s answer and its wall time in seconds (monotonic clock).
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let answer = try body()
        return (answer, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
}
