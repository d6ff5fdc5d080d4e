import Foundation

/// Hoffmann et al.'s three approaches side by side, as their Table 2 (a, b, and the
/// allocation at a budget): 1 the loss envelope of training curves (`LossEnvelope`), 2
/// IsoFLOP profiles (`IsoFLOPProfiles`), 3 the parametric fit L = E + A/N^α + B/D^β
/// (`Fit<ChinchillaLaw>`, Huber δ = 1e-3 on log L over Hoffmann's grid), whose exponents are
///
/// ```
/// a = β/(α+β),   b = α/(α+β)      (from N* ∝ C^(β/(α+β)), D* ∝ C^(α/(α+β)))
/// ```
///
/// Every approach's interval is a percentile bootstrap: over curves (1), within each budget
/// by `resampling` (2), over runs (3, refits from the optimum). An approach the data cannot
/// carry (no curves for 1, fewer than 2 usable budgets for 2, too few runs for 3) is a row
/// with the reason instead of numbers. Reference (Hoffmann et al. 2022, Table 2):
/// a = 0.50, 0.49, 0.46 and b = 0.50, 0.51, 0.54 for approaches 1, 2, 3.
public struct ApproachComparison: Sendable {
    /// One approach's result, or why there is none.
    public struct Row: Sendable, Equatable, Codable {
        /// 1, 2 or 3.
        public var approach: Int
        /// `envelope`, `isoflop`, `chinchilla`.
        public var name: String
        /// a, its bootstrap interval, b and its interval (nil when unavailable).
        public var a: Double?, aInterval: Bootstrap.Interval?, b: Double?, bInterval: Bootstrap.Interval?
        /// N*, D* at the budget, and their intervals.
        public var allocation: AllocationPowerLaw.Allocation?
        /// The bootstrap's 95% intervals of N*, D* and D*/N* at the budget, when there are resamples.
        public var allocationIntervals: [Bootstrap.Interval]?
        /// Why the approach gave no result, or a caveat (flagged budgets, an unsound fit).
        public var note: String
    }

    /// Hoffmann et al. 2022, Table 2: (a, b) of approaches 1, 2 and 3.
    public static let hoffmannTable2: [(a: Double, b: Double)] = [(0.50, 0.50), (0.49, 0.51), (0.46, 0.54)]

    /// The three rows, in approach order.
    public var rows: [Row]
    /// The budget of the allocations, FLOPs.
    public var compute: Double

    /// Compares the approaches on `runs` (final losses) and, when given, `curves` (for
    /// approach 1), each bootstrapped `samples` times from `seed`.
    public init(runs: IsoFLOPRuns, curves: TrainingCurves?, compute: Double, binning: ComputeBinning? = nil,
                binWidth: Double = 0.05, samples: Int = 1000, seed: UInt64 = 0,
                resampling: IsoFLOPProfiles.Resampling = .residuals, unavailableEnvelope: String? = nil) {
        self.compute = compute
        var rows: [Row] = []
        let empty = { (k: Int, name: String, note: String) in
            Row(approach: k, name: name, a: nil, aInterval: nil, b: nil, bInterval: nil, allocation: nil, allocationIntervals: nil, note: note)
        }
        func row(_ k: Int, _ name: String, _ law: AllocationPowerLaw, _ boot: AllocationBootstrap?, note: String) -> Row {
            let i = boot?.exponentIntervals
            return Row(approach: k, name: name, a: law.a, aInterval: i?[0], b: law.b, bInterval: i?[1],
                       allocation: law.allocation(compute: compute), allocationIntervals: boot?.allocationIntervals(compute: compute), note: note)
        }
        if let curves {
            do {
                let e = try LossEnvelope(curves, options: .init(binWidth: binWidth, bootstrapSamples: samples, seed: seed))
                rows.append(row(1, FitFile.envelopeLaw, e.law, e.bootstrap, note: "\(e.used) of \(e.points.count) budgets used"))
            } catch { rows.append(empty(1, FitFile.envelopeLaw, "not available: \(Self.reason(error))")) }
        } else {
            rows.append(empty(1, FitFile.envelopeLaw, "not available: " + (unavailableEnvelope ?? "no training curves given")))
        }
        do {
            let p = try IsoFLOPProfiles(runs, options: .init(binning: binning, bootstrapSamples: samples, seed: seed, resampling: resampling))
            rows.append(row(2, FitFile.isoflopLaw, p.law, p.bootstrap,
                            note: "\(p.used) of \(p.profiles.count) budgets used" + (p.bootstrapCaveat.map { "; \($0)" } ?? "")))
        } catch { rows.append(empty(2, FitFile.isoflopLaw, "not available: \(Self.reason(error))")) }
        rows.append(Self.parametric(runs, compute: compute, samples: samples, seed: seed))
        self.rows = rows
    }

    /// Approach 3: Chinchilla's law fitted as Hoffmann did, a = β/(α+β), bootstrapped over runs.
    static func parametric(_ runs: IsoFLOPRuns, compute: Double, samples: Int, seed: UInt64) -> Row {
        let n = runs.parameters, d = zip(runs.compute, n).map { $0 / (6 * $1) }
        let none = { (note: String) in
            Row(approach: 3, name: ChinchillaLaw.identifier, a: nil, aInterval: nil, b: nil, bInterval: nil, allocation: nil, allocationIntervals: nil, note: "not available: " + note)
        }
        guard runs.count >= 6 else { return none("Chinchilla's law has 5 parameters; \(runs.count) runs cannot determine them") }
        do {
            try RunVariation.check(N: n, D: d, loss: runs.loss, law: "chinchilla", file: runs.file)
            let data = try ModelRuns(N: n, D: d, loss: runs.loss, file: runs.file)
            let fit = try Fit(ChinchillaLaw(), to: data)
            let law = fit.values
            let exponent = { (l: ChinchillaLaw.Parameters) in l.beta / (l.alpha + l.beta) }
            let o = ComputeOptimalAllocation(law: law, compute: compute)
            var row = Row(approach: 3, name: ChinchillaLaw.identifier, a: exponent(law), aInterval: nil, b: 1 - exponent(law),
                          bInterval: nil, allocation: .init(compute: compute, parameters: o.parameters, tokens: o.tokens), allocationIntervals: nil,
                          note: (fit.summary?.converged ?? true) ? "E + A/N^alpha + B/D^beta, Huber 1e-3 on log L" : "not sound: \(fit.summary?.message ?? "")")
            if samples > 0 {
                let boot = ChinchillaBootstrap(fit: fit, runs: data, samples: samples, seed: seed, compute: compute)
                let laws = boot.laws
                func interval(_ name: String, _ f: (ChinchillaLaw.Parameters) -> Double) -> Bootstrap.Interval {
                    Bootstrap.Interval(name: name, percentilesOf: laws.map(f).filter { $0.isFinite }.sorted())
                }
                if !laws.isEmpty {
                    row.aInterval = interval("a", exponent)
                    row.bInterval = interval("b") { 1 - exponent($0) }
                    let alloc = { (l: ChinchillaLaw.Parameters) in ComputeOptimalAllocation(law: l, compute: compute) }
                    row.allocationIntervals = [interval("params*") { alloc($0).parameters }, interval("tokens*") { alloc($0).tokens },
                                               interval("tokens_per_param*") { alloc($0).tokensPerParameter }]
                }
            }
            return row
        } catch { return none(Self.reason(error)) }
    }

    /// An error's reason without the file prefix.
    static func reason(_ error: Error) -> String {
        if case let ScaleFitError.invalidData(_, reason) = error { return reason }
        return "\(error)"
    }
}
