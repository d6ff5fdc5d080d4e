import Dispatch
import Foundation

/// Observations made of independent units (runs) that a bootstrap can draw with replacement.
public protocol ResamplableObservations: LawObservations {
    /// The number of units a resample draws from.
    var unitCount: Int { get }
    /// The observations of the units at `indices` (repeats allowed).
    func resampled(_ indices: [Int]) -> Self
    /// Each unit's stratum (empty: one stratum of every unit). A resample draws each
    /// unit from its own stratum, so every stratum keeps its size: a multilingual fit
    /// resamples within each language family, which it fits alone.
    var strata: [Int] { get }
}

extension ResamplableObservations {
    /// One stratum: every unit is drawn from all of them.
    public var strata: [Int] { [] }
}

extension ModelRuns: ResamplableObservations {
    /// The runs.
    public var unitCount: Int { loss.count }
    /// The runs at `indices`, repeats allowed.
    public func resampled(_ indices: [Int]) -> ModelRuns { subset(indices) }
}

extension PowerLawRuns: ResamplableObservations {
    /// The runs.
    public var unitCount: Int { loss.count }
    /// The runs at `indices`, repeats allowed.
    public func resampled(_ indices: [Int]) -> PowerLawRuns {
        var s = self
        s.x = indices.map { x[$0] }
        s.loss = indices.map { loss[$0] }
        s.labels = indices.map { labels[$0] }
        s.lines = indices.map { lines[$0] }
        return s
    }
}

/// The bootstrap over runs, for every law fitted to runs (Chinchilla, Kaplan, the power
/// law): resample the runs with replacement, refit each resample from the full fit's
/// optimum (which lies in the basin of every resample's optimum for all but pathological
/// resamples) with the law's own objective, bounds and fixed parameters, and report
/// percentile intervals (2.5%, 50%, 97.5%) of the reported parameters and of any function
/// of θ (`interval(named:_:)`: an allocation, a prediction).
///
/// Resample b draws its indices from `SeededGenerator.stream(seed:index: b)`, so the result
/// depends on the seed only, not on how the resamples are scheduled across cores. Memory:
/// one θ per resample, the resample's data only while it is refitted.
public struct Bootstrap: Sendable, Equatable, Codable {
    /// The largest number of resamples `init` takes (each is a full refit).
    public static let maximumSamples = 100_000

    /// A percentile interval over the resamples: the 2.5%, 50% and 97.5% percentiles of one quantity.
    public struct Interval: Sendable, Codable, Equatable {
        /// The quantity (a reported parameter such as `E`, or `params*`).
        public var name: String
        /// The 2.5% percentile.
        public var lower: Double
        /// The median.
        public var median: Double
        /// The 97.5% percentile.
        public var upper: Double
        /// An interval from its three percentiles.
        public init(name: String, lower: Double, median: Double, upper: Double) {
            self.name = name; self.lower = lower; self.median = median; self.upper = upper
        }
        /// The 2.5%, 50% and 97.5% percentiles of `sorted` (ascending).
        public init(name: String, percentilesOf sorted: [Double]) {
            self.init(name: name, lower: Bootstrap.percentile(sorted, 0.025), median: Bootstrap.percentile(sorted, 0.5),
                      upper: Bootstrap.percentile(sorted, 0.975))
        }
    }

    /// The number of resamples drawn.
    public var samples: Int
    /// Resamples whose refit did not converge (left out of the intervals).
    public var failed: Int
    /// The seed of the resamples' streams: same seed, same intervals.
    public var seed: UInt64
    /// The reported parameters' intervals (E, A, B, … as `Fit.estimates` names them).
    public var intervals: [Interval]
    /// θ of every converged resample, in resample order.
    public var draws: [[Double]]

    /// A bootstrap as a fit file keeps it.
    public init(samples: Int, failed: Int, seed: UInt64, intervals: [Interval], draws: [[Double]]) {
        self.samples = samples; self.failed = failed; self.seed = seed; self.intervals = intervals; self.draws = draws
    }

    /// Resamples `data`'s runs `samples` times and refits `fit.law` to each.
    /// - Throws: `badArgument` naming `samples` outside 1…`maximumSamples`.
    public init<L: Law>(_ fit: Fit<L>, data: L.Observations, samples: Int, seed: UInt64 = 0) throws
        where L.Observations: ResamplableObservations {
        let law = fit.law, start = fit.parameters
        let bounds = law.bounds(for: data)
        let solver = LevenbergMarquardt(options: law.search.options)
        let reported = law.reportedParameters
        try self.init(resampling: data, samples: samples, seed: seed, quantities: reported.indices.map { j in
            (reported[j].name, { reported[j].exponentiated ? exp($0[j]) : $0[j] })
        }) { resample -> [Double]? in
            guard let problem = try? law.problem(for: resample),
                  let r = try? solver.minimize(problem, from: start, bounds: bounds, fixed: law.fixed),
                  r.summary.converged else { return nil }
            return r.parameters
        }
    }

    /// The one resampling loop every bootstrap shares: draws `data`'s units with replacement
    /// `samples` times (each unit within its stratum, `ResamplableObservations.strata`), asks
    /// `refit` for θ on each resample (nil: it failed, counted in `failed`), and takes the
    /// percentile interval of each of `quantities` over the draws.
    /// - Throws: `badArgument` naming `samples` outside 1…`maximumSamples`.
    public init<O: ResamplableObservations>(resampling data: O, samples: Int, seed: UInt64 = 0,
                                            quantities: [(name: String, value: ([Double]) -> Double)],
                                            refit: @escaping @Sendable (O) -> [Double]?) throws {
        guard (1...Self.maximumSamples).contains(samples) else {
            throw ScaleFitError.badArgument(flag: "samples", position: 0, expected: "a number of resamples in 1…\(Self.maximumSamples)", found: "\(samples)")
        }
        let rows = Self.resample(units: data.unitCount, strata: data.strata, samples: samples, seed: seed) { indices in
            refit(data.resampled(indices))
        }
        let draws = rows.compactMap { $0 }
        self.init(samples: samples, failed: samples - draws.count, seed: seed,
                  intervals: quantities.map { q in Interval(name: q.name, percentilesOf: draws.map(q.value).filter { !$0.isNaN }.sorted()) },
                  draws: draws)
    }

    /// The percentile interval of `value(θ)` over the draws (NaN values left out).
    public func interval(named name: String, _ value: ([Double]) -> Double) -> Interval {
        Interval(name: name, percentilesOf: draws.map(value).filter { !$0.isNaN }.sorted())
    }

    /// `refit` on `samples` resamples of `units` units, in parallel; resample b's indices
    /// come from `SeededGenerator.stream(seed:index: b)`. The answers in resample order.
    /// With `strata` (one per unit), unit i of a resample is drawn from the units of i's
    /// stratum; without, from all of them (the same draws as one stratum of every unit).
    static func resample<T: Sendable>(units m: Int, strata: [Int] = [], samples: Int, seed: UInt64,
                                      refit: @Sendable ([Int]) -> T?) -> [T?] {
        precondition(strata.isEmpty || strata.count == m, "one stratum per unit")
        // Unit i of a resample is drawn from pools[poolOf[i]]: every unit, or its stratum's units.
        var members: [Int: [Int]] = [:]
        for (i, s) in strata.enumerated() { members[s, default: []].append(i) }
        let pools = strata.isEmpty ? [Array(0..<m)] : strata.map { members[$0]! }
        let poolOf = strata.isEmpty ? Array(repeating: 0, count: m) : Array(0..<m)
        return concurrentResults(count: samples) { b in
            var g = SeededGenerator.stream(seed: seed, index: b)
            return refit((0..<m).map { i in
                let units = pools[poolOf[i]]
                return units[Int(g.next() % UInt64(units.count))]
            })
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
