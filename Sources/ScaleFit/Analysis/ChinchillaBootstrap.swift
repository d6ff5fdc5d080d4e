import Dispatch
import Foundation

/// Bootstrap over runs for a Chinchilla fit (on `Bootstrap`'s resampling, with the
/// compute-optimal allocation at one budget among the intervals): resample the runs with replacement, refit
/// (Huber on log residuals, started from the full fit's optimum, which lies in the basin of
/// every resample's optimum for all but pathological resamples), and report percentile
/// intervals of the parameters and of the compute-optimal allocation.
///
/// Resample b draws its indices from `SeededGenerator.stream(seed:index: b)`, so the result
/// depends on the seed only, not on how the resamples are scheduled across cores.
public struct ChinchillaBootstrap: Sendable, Codable, Equatable {
    /// `Bootstrap.Interval`: a quantity's name and its 2.5%, 50% and 97.5% percentiles.
    public typealias Interval = Bootstrap.Interval

    /// How many resamples were drawn.
    public var samples: Int
    /// How many resamples were dropped because their refit did not converge (or threw).
    public var failed: Int
    /// The seed the resamples' index streams derive from.
    public var seed: UInt64
    /// 2.5%, 50% and 97.5% percentiles of E, A, B, alpha, beta, and of N*, D*, D*/N* and L*
    /// at `compute`.
    public var intervals: [Interval]
    /// C, the compute budget (FLOPs) at which N*, D*, D*/N* and L* are computed.
    public var compute: Double
    /// The law of every converged resample, in resample order (for bands in plots; not
    /// written to JSON).
    public var laws: [ChinchillaLaw.Parameters]

    enum CodingKeys: String, CodingKey { case samples, failed, seed, intervals, compute }

    /// Reads `samples`, `failed`, `seed`, `intervals` and `compute`; `laws` are not stored, so it is empty.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        samples = try c.decode(Int.self, forKey: .samples)
        failed = try c.decode(Int.self, forKey: .failed)
        seed = try c.decode(UInt64.self, forKey: .seed)
        intervals = try c.decode([Interval].self, forKey: .intervals)
        compute = try c.decode(Double.self, forKey: .compute)
        laws = []
    }

    /// Resamples `runs` (the runs `fit` was fitted to) `samples` times with replacement,
    /// refits each from `fit`'s optimum with the fit's loss (Hoffmann's Huber δ on log
    /// residuals), and takes percentile intervals of E, A, B, α, β and of the allocation at
    /// `compute`.
    public init(fit: Fit<ChinchillaLaw>, runs: ModelRuns, samples: Int, seed: UInt64, compute: Double) {
        let start = fit.parameters
        let (n, d, loss) = (runs.N, runs.D, runs.loss)
        let solver = LevenbergMarquardt(options: SolverOptions(loss: fit.law.loss))
        let rows = Bootstrap.resample(units: loss.count, samples: samples, seed: seed) { idx -> [Double]? in
            let problem = ChinchillaLogProblem(parameters: idx.map { n[$0] }, tokens: idx.map { d[$0] },
                                               loss: idx.map { loss[$0] })
            guard let r = try? solver.minimize(problem, from: start), r.summary.converged else { return nil }
            let law = ChinchillaLaw.Parameters(logParameters: r.parameters)
            let o = ComputeOptimalAllocation(law: law, compute: compute)
            return [law.E, law.A, law.B, law.alpha, law.beta, o.parameters, o.tokens, o.tokensPerParameter, o.loss]
        }.compactMap { $0 }
        laws = rows.map { ChinchillaLaw.Parameters(E: $0[0], A: $0[1], B: $0[2], alpha: $0[3], beta: $0[4]) }
        self.samples = samples
        failed = samples - rows.count
        self.seed = seed
        self.compute = compute
        let names = ["E", "A", "B", "alpha", "beta", "params*", "tokens*", "tokens_per_param*", "loss*"]
        intervals = names.indices.map { k in Interval(name: names[k], percentilesOf: rows.map { $0[k] }.sorted()) }
    }

    static func percentile(_ sorted: [Double], _ q: Double) -> Double { Bootstrap.percentile(sorted, q) }
}
