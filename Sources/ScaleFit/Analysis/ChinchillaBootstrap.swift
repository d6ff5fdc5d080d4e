import Dispatch
import Foundation

/// Bootstrap over runs for a Chinchilla fit: resample the runs with replacement, refit
/// (Huber on log residuals, started from the full fit's optimum, which lies in the basin of
/// every resample's optimum for all but pathological resamples), and report percentile
/// intervals of the parameters and of the compute-optimal allocation.
///
/// Resample b draws its indices from `SeededGenerator.stream(seed:index: b)`, so the result
/// depends on the seed only, not on how the resamples are scheduled across cores.
public struct ChinchillaBootstrap: Sendable, Codable, Equatable {
    public struct Interval: Sendable, Codable, Equatable {
        public var name: String
        public var lower: Double
        public var median: Double
        public var upper: Double
    }

    public var samples: Int
    public var failed: Int
    public var seed: UInt64
    /// 2.5%, 50% and 97.5% percentiles of E, A, B, alpha, beta, and of N*, D*, D*/N* and L*
    /// at `compute`.
    public var intervals: [Interval]
    public var compute: Double
    /// The law of every converged resample, in resample order (for bands in plots; not
    /// written to JSON).
    public var laws: [ChinchillaLaw.Parameters]

    enum CodingKeys: String, CodingKey { case samples, failed, seed, intervals, compute }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        samples = try c.decode(Int.self, forKey: .samples)
        failed = try c.decode(Int.self, forKey: .failed)
        seed = try c.decode(UInt64.self, forKey: .seed)
        intervals = try c.decode([Interval].self, forKey: .intervals)
        compute = try c.decode(Double.self, forKey: .compute)
        laws = []
    }

    public init(parameters n: [Double], tokens d: [Double], loss: [Double], fit: ChinchillaFit,
                samples: Int, seed: UInt64, compute: Double, delta: Double = 1e-3) {
        let m = loss.count
        let start = fit.logParameters
        let box = BootstrapBox(count: samples)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, samples))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var b = w
            while b < samples {
                var g = SeededGenerator.stream(seed: seed, index: b)
                let idx = (0..<m).map { _ in Int(g.next() % UInt64(m)) }
                let problem = ChinchillaLogProblem(parameters: idx.map { n[$0] }, tokens: idx.map { d[$0] },
                                                   loss: idx.map { loss[$0] })
                let r = try? LevenbergMarquardt(options: SolverOptions(loss: .huber(scale: delta)))
                    .minimize(problem, from: start)
                if let r, r.summary.converged {
                    let law = ChinchillaLaw.Parameters(logParameters: r.parameters)
                    let o = ComputeOptimalAllocation(law: law, compute: compute)
                    box.set(b, [law.E, law.A, law.B, law.alpha, law.beta,
                                o.parameters, o.tokens, o.tokensPerParameter, o.loss])
                }
                b += workers
            }
        }
        let rows = box.values.compactMap { $0 }
        laws = rows.map { ChinchillaLaw.Parameters(E: $0[0], A: $0[1], B: $0[2], alpha: $0[3], beta: $0[4]) }
        self.samples = samples
        failed = samples - rows.count
        self.seed = seed
        self.compute = compute
        let names = ["E", "A", "B", "alpha", "beta", "params*", "tokens*", "tokens_per_param*", "loss*"]
        intervals = names.indices.map { k in
            let v = rows.map { $0[k] }.sorted()
            return Interval(name: names[k], lower: Self.percentile(v, 0.025),
                            median: Self.percentile(v, 0.5), upper: Self.percentile(v, 0.975))
        }
    }

    /// Linear interpolation between order statistics (NumPy's default, type 7).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

private final class BootstrapBox: @unchecked Sendable {
    private var storage: [[Double]?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ v: [Double]) { lock.lock(); storage[k] = v; lock.unlock() }
    var values: [[Double]?] { lock.lock(); defer { lock.unlock() }; return storage }
}
