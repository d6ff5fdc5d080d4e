import Foundation

/// The language sampling ratios that minimise the weighted loss of a multilingual law at
/// model size N and tokens D:
///
/// ```
/// minimise   Σᵢ wᵢ·Lᵢ(N, D, pᵢ) = Σᵢ cᵢ·pᵢ^(−γᵢ),   cᵢ = wᵢ·Lᵢ(N, D, 1)
/// subject to Σᵢ pᵢ = 1,  pᵢ ≥ m
/// ```
///
/// or, normalised (as He et al. recommend, so that families of different loss levels weigh
/// alike), Σᵢ wᵢ·Lᵢ/Lᵢ(N, D, 1): then cᵢ = wᵢ and the answer does not depend on N and D.
///
/// Solved exactly through the KKT conditions. For γᵢ > 0 (and cᵢ > 0) each term is convex
/// and decreasing, and stationarity cᵢγᵢ·pᵢ^(−γᵢ−1) = μ gives
///
/// ```
/// pᵢ(μ) = max(m, (cᵢγᵢ/μ)^(1/(γᵢ+1)))
/// ```
///
/// (clipped families have multiplier νᵢ = μ − cᵢγᵢ·m^(−γᵢ−1) ≥ 0). Σᵢ pᵢ(μ) falls
/// monotonically in μ, so the μ with Σ pᵢ(μ) = 1 is found by bisection on log μ until the
/// bracket stops shrinking (machine precision). A family whose term does not fall with its
/// ratio (γᵢ ≤ 0, or weight 0) gains nothing from more data, so it gets the minimum m:
/// moving mass from it to a family with γ > 0 lowers both terms.
public struct OptimalMix: Sendable, Codable, Equatable {
    /// One family's part of the mix: its weight, its ratio pᵢ, and its loss there.
    public struct Share: Sendable, Codable, Equatable {
        /// The family's name, as in the law.
        public var family: String
        /// wᵢ, the family's weight in the objective (1 unless given).
        public var weight: Double
        /// pᵢ, the family's sampling ratio in the mix.
        public var ratio: Double
        /// Lᵢ(N, D, pᵢ).
        public var loss: Double
        /// Lᵢ(N, D, 1).
        public var baseLoss: Double
        /// γᵢ, the exponent of the family's ratio in Lᵢ = Lᵢ(N, D, 1)·pᵢ^(−γᵢ).
        public var gamma: Double
        /// True when the ratio sits at the minimum (clipped, or γ ≤ 0).
        public var atMinimum: Bool
    }

    /// N, the model size the mix is optimised at.
    public var parameters: Double
    /// D, the total training tokens the mix is optimised at.
    public var tokens: Double
    /// True when the objective is Σ wᵢ·Lᵢ/Lᵢ(N, D, 1) rather than Σ wᵢ·Lᵢ.
    public var normalized: Bool
    /// m, the least ratio any family may get.
    public var minRatio: Double
    /// Every family's share, in the law's family order.
    public var shares: [Share]
    /// Σ wᵢ·Lᵢ (or Σ wᵢ·Lᵢ/Lᵢ(N, D, 1) when normalised).
    public var objective: Double
    /// The KKT multiplier μ of Σ p = 1 (0 when no family has γ > 0).
    public var multiplier: Double
    /// The families whose loss does not fall with their ratio (γ ≤ 0).
    public var nonDecreasing: [String]

    /// The optimal mix.
    /// - Parameters:
    ///   - weights: wᵢ ≥ 0 per family name; families not named weigh 1.
    ///   - source: the fit file, for error messages.
    /// - Throws: `badArgument` for a weight naming no family, a negative weight, or a
    ///   `minRatio` outside [0, 1/n]; `invalidData` when no family's loss falls with its ratio.
    public init(law: MultilingualLaw, parameters n: Double, tokens d: Double, weights: [String: Double] = [:],
                normalized: Bool = false, minRatio: Double = 0, source: String = "fit") throws {
        let names = law.families.map(\.name)
        try Self.check(weights: weights, families: names)
        let count = Double(names.count)
        guard minRatio >= 0, minRatio * count <= 1 + 1e-12 else {
            throw ScaleFitError.badArgument(flag: "minRatio", position: 0,
                                            expected: "a ratio in [0, 1/\(names.count)] for \(names.count) families (n·min ≤ 1)",
                                            found: "\(minRatio)")
        }
        let w = names.map { weights[$0] ?? 1 }
        let base = law.families.map { $0.baseLoss(parameters: n, tokens: d) }
        let c = names.indices.map { normalized ? w[$0] : w[$0] * base[$0] }
        let gamma = law.families.map(\.gamma)
        let falling = names.indices.filter { gamma[$0] > 0 && c[$0] > 0 }
        guard !falling.isEmpty else {
            throw ScaleFitError.invalidData(file: source, reason: "no family's loss falls with its sampling ratio (gamma > 0 with a positive weight); the mix is not determined")
        }
        let (ratios, mu) = Self.solve(k: names.indices.map { c[$0] * gamma[$0] }, gamma: gamma,
                                      falling: Set(falling), minRatio: minRatio)
        parameters = n; tokens = d
        self.normalized = normalized
        self.minRatio = minRatio
        multiplier = mu
        nonDecreasing = names.indices.filter { gamma[$0] <= 0 }.map { names[$0] }
        shares = names.indices.map { i in
            Share(family: names[i], weight: w[i], ratio: ratios[i], loss: base[i] * pow(ratios[i], -gamma[i]),
                  baseLoss: base[i], gamma: gamma[i],
                  atMinimum: !falling.contains(i) || ratios[i] <= minRatio * (1 + 1e-12))
        }
        objective = Self.objective(shares, normalized: normalized)
    }

    /// Σ wᵢ·Lᵢ or Σ wᵢ·Lᵢ/Lᵢ(N, D, 1); a family of weight 0 adds nothing, even where its
    /// loss is infinite (ratio 0 with γ > 0), so 0·∞ does not make the objective NaN.
    static func objective(_ shares: [Share], normalized: Bool) -> Double {
        shares.reduce(0) { $0 + ($1.weight == 0 ? 0 : $1.weight * (normalized ? $1.loss / $1.baseLoss : $1.loss)) }
    }

    /// The ratios and μ: falling families at max(m, (kᵢ/μ)^(1/(γᵢ+1))), the others at m.
    static func solve(k: [Double], gamma: [Double], falling: Set<Int>, minRatio m: Double) -> ([Double], Double) {
        let n = k.count
        func ratios(_ logMu: Double) -> [Double] {
            (0..<n).map { i in
                falling.contains(i) ? max(m, exp((log(k[i]) - logMu) / (gamma[i] + 1))) : m
            }
        }
        let fixedMass = Double(n - falling.count) * m
        // Bracket: at μ ≤ min kᵢ every falling family's unclipped ratio is ≥ 1, so Σ ≥ 1;
        // at μ ≥ max kᵢ·m^(−γᵢ−1) every one is clipped, so Σ = n·m ≤ 1.
        var lo = falling.map { log(k[$0]) }.min()! - 1
        var hi: Double
        if m > 0 {
            hi = falling.map { log(k[$0]) - (gamma[$0] + 1) * log(m) }.max()! + 1
        } else {
            // No floor: Σ → 0 as μ → ∞; step up until the sum is below 1.
            hi = falling.map { log(k[$0]) }.max()! + 1
            while ratios(hi).reduce(0, +) > 1 { hi += 2 * (hi - lo) }
        }
        if fixedMass + Double(falling.count) * m >= 1 - 1e-15 {
            return (Array(repeating: m, count: n), exp(hi))
        }
        for _ in 0..<2000 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if ratios(mid).reduce(0, +) > 1 { lo = mid } else { hi = mid }
        }
        var p = ratios(0.5 * (lo + hi))
        // Put the last rounding error (≈1e-16) on the largest unclipped ratio, so Σ p = 1 exactly-ish.
        if let big = p.indices.filter({ falling.contains($0) && p[$0] > m }).max(by: { p[$0] < p[$1] }) {
            p[big] += 1 - p.reduce(0, +)
        }
        return (p, exp(0.5 * (lo + hi)))
    }

    /// Weights must name families of the fit and be finite and ≥ 0.
    static func check(weights: [String: Double], families: [String]) throws {
        for (name, w) in weights.sorted(by: { $0.key < $1.key }) {
            guard families.contains(name) else {
                throw ScaleFitError.badArgument(flag: "weights", position: 0,
                                                expected: "a family of the fit (\(families.joined(separator: ", ")))", found: name)
            }
            guard w.isFinite, w >= 0 else {
                throw ScaleFitError.badArgument(flag: "weights", position: 0, expected: "a weight ≥ 0 for \(name)", found: "\(w)")
            }
        }
    }

    /// The same quantities for a given mix (`--current`): each family's ratio from `mix`
    /// (a family left out gets 0 and is reported with infinite loss if γ > 0).
    /// - Throws: `badArgument` for a family not in the fit or a ratio outside [0, 1].
    public static func evaluate(law: MultilingualLaw, parameters n: Double, tokens d: Double, mix: [String: Double],
                                weights: [String: Double] = [:], normalized: Bool = false) throws
        -> (shares: [Share], objective: Double) {
        let names = law.families.map(\.name)
        try check(weights: weights, families: names)
        for (name, p) in mix.sorted(by: { $0.key < $1.key }) {
            guard names.contains(name) else {
                throw ScaleFitError.badArgument(flag: "mix", position: 0,
                                                expected: "a family of the fit (\(names.joined(separator: ", ")))", found: name)
            }
            guard p >= 0, p <= 1 else {
                throw ScaleFitError.badArgument(flag: "mix", position: 0, expected: "a ratio in [0, 1] for \(name)", found: "\(p)")
            }
        }
        let shares = law.families.map { f in
            let p = mix[f.name] ?? 0
            let base = f.baseLoss(parameters: n, tokens: d)
            return Share(family: f.name, weight: weights[f.name] ?? 1, ratio: p, loss: base * pow(p, -f.gamma),
                         baseLoss: base, gamma: f.gamma, atMinimum: false)
        }
        return (shares, objective(shares, normalized: normalized))
    }
}
