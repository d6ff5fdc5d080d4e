import Foundation

/// The compute-optimal allocation as power laws of the budget, fitted by least squares in
/// log-log to points (C_g, N_opt(C_g)) — the last step of Hoffmann et al.'s approaches 1
/// and 2:
///
/// ```
/// ln N_opt = ln k + a·ln C              (ordinary least squares over the points)
/// D_opt    = C / (6·N_opt)  ⇒  ln D_opt = −ln(6k) + (1 − a)·ln C,  so b = 1 − a
/// ```
///
/// Fitting ln D_opt on ln C separately gives the same b = 1 − a to rounding, because each
/// D_opt is C/(6·N_opt) exactly; both are reported, as Hoffmann's Table 2 does.
public struct AllocationPowerLaw: Sendable, Equatable, Codable {
    /// ln k, the intercept: N_opt = k·C^a.
    public var logCoefficient: Double
    /// a, the exponent of N_opt in C.
    public var a: Double
    /// The covariance of (ln k, a): σ̂²·(XᵀX)⁻¹ with σ̂² = RSS/(n − 2), zero when n = 2.
    public var covariance: [Double]
    /// How many points were fitted.
    public var points: Int
    /// The residual standard deviation of ln N_opt (0 for two points).
    public var residualScatter: Double

    /// b = 1 − a, the exponent of D_opt in C.
    public var b: Double { 1 - a }

    /// A law given by its parameters (from a fit file).
    public init(logCoefficient: Double, a: Double, covariance: [Double] = [0, 0, 0, 0], points: Int = 0, residualScatter: Double = 0) {
        self.logCoefficient = logCoefficient; self.a = a; self.covariance = covariance
        self.points = points; self.residualScatter = residualScatter
    }

    /// The least-squares line through (ln C_g, ln N_g).
    /// - Throws: `invalidData` (naming `file`) for fewer than two points or a single
    ///   distinct budget, where the slope is not determined.
    public init(compute: [Double], parameters: [Double], file: String) throws {
        precondition(compute.count == parameters.count, "one N_opt per budget")
        let x = compute.map { log($0) }, y = parameters.map { log($0) }
        let n = Double(x.count)
        guard x.count >= 2 else {
            throw ScaleFitError.invalidData(file: file, reason: "\(x.count) usable compute budget\(x.count == 1 ? "" : "s"); the exponent of N_opt in C needs at least 2")
        }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        guard sxx > 1e-12 * max(1, mx * mx) else {
            throw ScaleFitError.invalidData(file: file, reason: "every usable budget has the same compute; the exponent of N_opt in C is not determined")
        }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let slope = sxy / sxx, intercept = my - slope * mx
        a = slope
        logCoefficient = intercept
        let rss = zip(x, y).reduce(0) { s, p in let r = p.1 - intercept - slope * p.0; return s + r * r }
        let s2 = x.count > 2 ? rss / (n - 2) : 0
        residualScatter = s2.squareRoot()
        // (XᵀX)⁻¹ for the columns (1, x): [[Σx², −Σx], [−Σx, n]] / (n·Sxx).
        let sumX2 = x.reduce(0) { $0 + $1 * $1 }
        covariance = [s2 * sumX2 / (n * sxx), -s2 * mx / sxx, -s2 * mx / sxx, s2 / sxx]
        points = x.count
    }

    /// N_opt = k·C^a at the budget `compute`.
    public func parameters(compute: Double) -> Double { exp(logCoefficient + a * log(compute)) }

    /// The allocation at `compute`: N_opt, D_opt = C/(6·N_opt) and D_opt/N_opt.
    public func allocation(compute: Double) -> Allocation {
        let n = parameters(compute: compute)
        return Allocation(compute: compute, parameters: n, tokens: compute / (6 * n))
    }

    /// A compute-optimal allocation: N, D and D/N at a budget C = 6·N·D.
    public struct Allocation: Sendable, Equatable, Codable {
        /// C, FLOPs.
        public var compute: Double
        /// N*, parameters.
        public var parameters: Double
        /// D*, tokens.
        public var tokens: Double
        /// D*/N*.
        public var tokensPerParameter: Double { tokens / parameters }
        /// An allocation from its parts.
        public init(compute: Double, parameters: Double, tokens: Double) {
            self.compute = compute; self.parameters = parameters; self.tokens = tokens
        }
        enum CodingKeys: String, CodingKey { case compute, parameters, tokens, tokensPerParameter }
        /// Writes compute, parameters, tokens and tokensPerParameter.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(compute, forKey: .compute); try c.encode(parameters, forKey: .parameters)
            try c.encode(tokens, forKey: .tokens); try c.encode(tokensPerParameter, forKey: .tokensPerParameter)
        }
        /// Reads compute, parameters and tokens.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            compute = try c.decode(Double.self, forKey: .compute)
            parameters = try c.decode(Double.self, forKey: .parameters)
            tokens = try c.decode(Double.self, forKey: .tokens)
        }
    }
}

/// The bootstrap of a two-stage allocation fit (approaches 1 and 2): every resample's
/// (ln k, a), and percentile intervals of a, b = 1 − a and, at a budget, N*, D*, D*/N*.
public struct AllocationBootstrap: Sendable, Equatable, Codable {
    /// How many resamples were drawn.
    public var samples: Int
    /// Resamples left out because fewer than two budgets stayed usable.
    public var failed: Int
    /// The seed of the resamples' streams.
    public var seed: UInt64
    /// (ln k, a) of every usable resample, in resample order.
    public var draws: [[Double]]

    /// A bootstrap from its parts.
    public init(samples: Int, failed: Int, seed: UInt64, draws: [[Double]]) {
        self.samples = samples; self.failed = failed; self.seed = seed; self.draws = draws
    }

    /// The 2.5%, 50% and 97.5% percentiles of a and b.
    public var exponentIntervals: [Bootstrap.Interval] {
        [interval("a") { $0[1] }, interval("b") { 1 - $0[1] }]
    }

    /// The percentiles of N*, D* and D*/N* at `compute` (nil without draws).
    public func allocationIntervals(compute: Double) -> [Bootstrap.Interval]? {
        guard !draws.isEmpty else { return nil }
        let n = { (d: [Double]) in exp(d[0] + d[1] * log(compute)) }
        return [interval("params*") { n($0) }, interval("tokens*") { compute / (6 * n($0)) },
                interval("tokens_per_param*") { compute / (6 * n($0) * n($0)) }]
    }

    /// The percentile interval of `value` over the draws.
    public func interval(_ name: String, _ value: ([Double]) -> Double) -> Bootstrap.Interval {
        Bootstrap.Interval(name: name, percentilesOf: draws.map(value).filter { $0.isFinite }.sorted())
    }
}
