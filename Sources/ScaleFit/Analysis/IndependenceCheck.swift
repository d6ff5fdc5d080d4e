import Foundation

/// A check of the multilingual law's hypothesis that family i's loss depends on its own
/// sampling ratio pᵢ alone: where runs share N, D and pᵢ but differ in the other families'
/// ratios, family i's loss should differ by noise only.
///
/// Per family, the spread is the pooled standard deviation of log L within the groups of
/// rows with equal (N, D, pᵢ) and at least two different mixes,
///
/// ```
/// s² = Σ_g Σ_{j∈g} (log Lⱼ − mean_g)² / Σ_g (n_g − 1)
/// ```
///
/// and the noise level is, in order of preference, the given relative noise, the pooled
/// standard deviation of log L between replicates (rows of the same family, N, D and whole
/// mix), or the replicates of all families pooled. The ratio spread/noise is ≈ 1 when the
/// hypothesis holds. A family is flagged when F = spread²/noise² is significant at
/// `significance` (1%): against F(df, df_noise) for replicate noise (the regularised
/// incomplete beta function), against χ²(df)/df for a given noise (Wilson–Hilferty).
public struct IndependenceCheck: Sendable, Codable, Equatable {
    /// The p-value below which a family's spread counts as more than noise.
    public static let significance = 0.01

    /// The check for one language family: its spread across mixes, the noise it is judged against, and the verdict.
    public struct Family: Sendable, Codable, Equatable {
        /// The family's name, as in the data.
        public var name: String
        /// Groups of equal (N, D, pᵢ) with at least two different mixes.
        public var groups: Int
        /// Σ (n_g − 1) over those groups.
        public var degreesOfFreedom: Int
        /// Pooled SD of log L within the groups (≈ relative spread); NaN without groups.
        public var spread: Double
        /// The noise level, an SD of log L (≈ relative noise of a loss): given, or pooled from replicates.
        public var noise: Double
        /// Where the noise level came from: "given", "replicates" or "replicates (all families)".
        public var noiseSource: String
        /// Σ (n − 1) of the replicate groups the noise came from (0 when given).
        public var noiseDegreesOfFreedom: Int
        /// spread / noise: ≈ 1 when the hypothesis holds.
        public var ratio: Double
        /// P(F ≥ ratio²) under the hypothesis.
        public var pValue: Double
        /// True when pValue ≥ significance; nil when there are no groups to judge by.
        public var consistent: Bool?
    }

    /// One check per family, in the data's family order.
    public var families: [Family]
    /// One line: how many families are consistent, and which are not.
    public var verdict: String

    /// - Parameter noise: the relative noise of a loss (e.g. 0.01), if known.
    /// - Throws: `invalidData` when there are no replicates to measure the noise and none is
    ///   given, or when no run has a run label to compare mixes by.
    public init(data: MultilingualData, noise: Double? = nil) throws {
        var mixOf: [String: [Int: Double]] = [:]
        for j in data.family.indices { mixOf[data.runs[j], default: [:]][data.family[j]] = data.ratios[j] }
        func mixKey(_ run: String) -> String {
            (mixOf[run] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        }
        func pooled(_ groups: [[Double]]) -> (sd: Double, df: Int) {
            var ss = 0.0, df = 0
            for g in groups where g.count >= 2 {
                let mean = g.reduce(0, +) / Double(g.count)
                ss += g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                df += g.count - 1
            }
            return (df > 0 ? (ss / Double(df)).squareRoot() : .nan, df)
        }
        var replicateGroups: [[[Double]]] = []
        var spreadGroups: [[[Double]]] = []
        for f in data.familyNames.indices {
            var byPoint: [[Double]: [Int]] = [:], byMix: [String: [Double]] = [:]
            for j in data.rows(of: f) {
                byPoint[[data.parameters[j], data.tokens[j], data.ratios[j]], default: []].append(j)
                byMix["\(data.parameters[j]) \(data.tokens[j]) \(mixKey(data.runs[j]))", default: []].append(log(data.loss[j]))
            }
            replicateGroups.append(byMix.keys.sorted().map { byMix[$0]! })
            spreadGroups.append(byPoint.keys.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { key in
                let rows = byPoint[key]!
                return Set(rows.map { mixKey(data.runs[$0]) }).count >= 2 ? rows.map { log(data.loss[$0]) } : nil
            })
        }
        let allReplicates = pooled(replicateGroups.flatMap { $0 })
        families = try data.familyNames.indices.map { f in
            let s = pooled(spreadGroups[f])
            let own = pooled(replicateGroups[f])
            let (level, source, noiseDF): (Double, String, Int)
            if let noise { (level, source, noiseDF) = (noise, "given", 0) }
            else if own.df > 0 { (level, source, noiseDF) = (own.sd, "replicates", own.df) }
            else if allReplicates.df > 0 { (level, source, noiseDF) = (allReplicates.sd, "replicates (all families)", allReplicates.df) }
            else {
                throw ScaleFitError.invalidData(file: data.file, reason: "no replicate runs (same N, D and mix) to measure the noise; give the relative noise of a loss")
            }
            let ratio = s.sd / level
            let p = s.df > 0 ? Self.upperTail(f: ratio * ratio, df: s.df, noiseDF: noiseDF) : .nan
            return Family(name: data.familyNames[f], groups: spreadGroups[f].count, degreesOfFreedom: s.df,
                          spread: s.sd, noise: level, noiseSource: source, noiseDegreesOfFreedom: noiseDF, ratio: ratio,
                          pValue: p, consistent: s.df > 0 ? p >= Self.significance : nil)
        }
        let judged = families.filter { $0.consistent != nil }
        let flagged = judged.filter { $0.consistent == false }.map(\.name)
        let unjudged = families.filter { $0.consistent == nil }.map(\.name)
        var text = judged.isEmpty
            ? "no runs differ only in the other families' ratios: the hypothesis cannot be checked on this data"
            : flagged.isEmpty
            ? "consistent with the hypothesis: each family's loss moves with the rest of the mix by no more than the noise (\(judged.count) of \(families.count) families checked)"
            : "the hypothesis fails for \(flagged.joined(separator: ", ")): their loss moves with the other families' ratios more than the noise explains (p < \(Self.significance))"
        if !judged.isEmpty && !unjudged.isEmpty { text += "; not checked (no such runs): \(unjudged.joined(separator: ", "))" }
        verdict = text
    }

    /// P(X ≥ f) for X ~ F(df, noiseDF); noiseDF = 0 means the noise is known: X ~ χ²(df)/df,
    /// by the Wilson–Hilferty cube-root normal approximation.
    public static func upperTail(f: Double, df: Int, noiseDF: Int) -> Double {
        let d1 = Double(df)
        guard noiseDF > 0 else {
            let v = 2 / (9 * d1)
            let z = (pow(f, 1.0 / 3) - (1 - v)) / v.squareRoot()
            return 0.5 * erfc(z / 2.squareRoot())
        }
        let d2 = Double(noiseDF)
        return regularizedBeta(x: d2 / (d2 + d1 * f), a: d2 / 2, b: d1 / 2)
    }

    /// I_x(a, b) by its continued fraction (modified Lentz; Numerical Recipes' betacf).
    static func regularizedBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x))
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(x: 1 - x, a: b, b: a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m2 = Double(2 * m), md = Double(m)
            var aa = md * (b - md) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + md) * (a + b + md) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return front * h / a
    }
}
