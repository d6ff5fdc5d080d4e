import Foundation

/// The multi-power law of the loss curve (Luo et al., ICLR 2025, arXiv:2503.12811):
///
/// ```
/// L(t)   = L0 + A·(S1(t) + S_W)^(−α) − LD(t)
/// LD(t)  = B · Σ_{k=1..t} (η_(k−1) − η_k) · G(η_k^(−γ) · S_k(t))
/// G(x)   = 1 − (C·x + 1)^(−β)
/// S_k(t) = Σ_{τ=k..t} η_τ,     S1(t) = Σ_{τ=0..t} η_τ
/// ```
///
/// θ = [L0, A, α, B, C, β, γ], the order of the published fits.
///
/// Convention (`.repository`, the default): η_0 … η_(T−1) include the warmup, S1 counts it
/// (S_W = 0), and the LD sum runs over every k, warmup included. This is how the authors'
/// repository evaluates the law, and its published parameters (PROVENANCE of
/// `../shared/data/lrcurves`) assume it. `.paper`: the LD sum skips the warmup (the
/// initial strictly increasing run of η), and S1(t) + S_W is still the whole area
/// Σ_{τ≤t} η_τ, which is the paper's S1 counted after warmup plus its S_W. The two give
/// different L0 (about L0_paper − B·η_max·G(…) ≈ L0_repo), so fit and predict with one.
///
/// Cost: only the steps k where η changes (η_(k−1) ≠ η_k) contribute, so `prepare` lists
/// those K change points once (with a binary tree over them). An evaluation does not sum
/// the K·n (change, logged step) pairs: `MultiPowerLossDrop` writes each term as
/// a_k·(P − σ_k)^(−β), P = S1(t), and sums whole nodes of the tree that lie far from P by a
/// multipole expansion of order p = 16, with a truncation bound that keeps
/// |LD − LD_exact| ≤ 1e-12·B·Σ_{k≤t}|η_(k−1) − η_k| at every step (below 1e-9·L for any
/// realistic fit; the tests compare with the direct sum at 1e-9). The cost is
/// O((K + n·log K)·p) per evaluation instead of O(K·n): for a cosine over T steps O(T·p)
/// for the node moments plus O(n·p·log T) for the logged steps; for WSD only the warmup
/// and decay steps count in K.
public struct MultiPowerLaw: LossCurveLaw {
    /// Which η changes enter the loss-drop sum (see the type's documentation).
    public enum Convention: String, Sendable, Equatable, Codable {
        /// Every change of η from the first step (the authors' code).
        case repository
        /// The changes after the warmup's rise only (the paper's formula).
        case paper
    }

    /// Whether the warmup's η changes enter the loss-drop sum (`.repository`, the default) or not (`.paper`).
    public var convention: Convention
    /// The bound on the loss-drop expansion's error relative to B·Σ_{k≤t}|η_(k−1) − η_k|
    /// (see `MultiPowerLossDrop`): 1e-12 by default; the screening runs of a fit's search use 1e-8
    /// (`screeningLaw`), where only the ranking of basins counts.
    public var lossDropTolerance: Double
    /// The objective on the log residuals: Huber δ = 1e-3 by default (the paper's).
    public var loss: RobustLoss
    /// How a fit searches: held parameters, bounds, starts, budget (`searching(_:)`; by
    /// default the law's own grid and box).
    public private(set) var searchSettings = CurveSearchSettings()

    /// The law with the repository's convention, a loss-drop error bound of 1e-12 and Huber
    /// δ = 1e-3 on the log residuals by default.
    public init(convention: Convention = .repository, lossDropTolerance: Double = 1e-12,
                loss: RobustLoss = .huber(scale: 1e-3)) {
        self.convention = convention
        self.lossDropTolerance = lossDropTolerance
        self.loss = loss
    }

    /// The law with the loss-drop tolerance 1e-8 for the screening runs of a multi-start fit:
    /// an error below 1e-8·B·Σ|Δη| ≈ 3e-9 in L moves no screening run to another basin, and
    /// the looser bound admits nodes at twice the relative distance (q ≈ 0.30 against 0.17
    /// with p = 16), so each logged step sums about half as many expansions.
    public var screeningLaw: MultiPowerLaw {
        var law = self
        law.lossDropTolerance = max(lossDropTolerance, 1e-8)
        return law
    }

    /// B, C and β are moved in log coordinates by the solver: for small β, G ≈ β·log(1 + C·x),
    /// so only B·β is determined and the valley is B·β = const; as C → 0, C·η^(−γ) stays
    /// fixed while γ grows. Both are curves in θ and straight lines in log θ (one real
    /// 72,000-step cosine: 438 evaluations in θ).
    public var logScaledParameters: [Int] { [3, 4, 5] }
    /// A dense log is polished on knots: one evaluation on every point of 10⁵ costs what the
    /// knots' (4,096 of them) do twelve times over.
    public var polishesDenseLogsOnKnots: Bool { true }

    /// θ's order: (L0, A, alpha, B, C, beta, gamma), that of the published fits.
    public var parameterNames: [String] { ["L0", "A", "alpha", "B", "C", "beta", "gamma"] }

    /// L0 ≥ 0, A ≥ 0, 0 ≤ α ≤ 10, B ≥ 0, C ≥ 1e-12, 0 ≤ β ≤ 10, 0 ≤ γ ≤ 5.
    public var defaultBounds: ParameterBounds {
        ParameterBounds(lower: [0, 0, 0, 0, 1e-12, 0, 0],
                        upper: [.infinity, .infinity, 10, .infinity, .infinity, 10, 5])
    }

    /// `defaultBounds` with B ≤ m/η_max, m the smallest observed loss and η_max the largest
    /// rate: the loss drop B·Σ(η_(k−1) − η_k)·G ≤ B·η_max cannot exceed the loss itself. On
    /// curves that do not determine the decay terms (one cosine: for small β,
    /// G ≈ β·log(1 + C·x), so only B·β is fixed) this keeps the solver from walking the
    /// valley to B ~ 1e5 and β ~ 1e-4; a fit that reaches the bound is flagged.
    public func bounds(for curves: [LossCurve]) -> ParameterBounds {
        var box = defaultBounds
        let m = curves.lazy.flatMap(\.losses).min() ?? .nan
        let peak = curves.lazy.flatMap(\.rates).max() ?? .nan
        if m > 0, peak > 0, (m / peak).isFinite { box.upper[3] = m / peak }
        return box
    }

    /// The change points of η and the cumulative sums the law needs at the logged steps.
    public struct Prepared: Sendable {
        /// The logged steps t_j the curve is predicted at.
        public let steps: [Int]
        /// S1 at each logged step.
        let area: [Double]
        /// For each change point c: the step k, η_(k−1) − η_k, log η_k and P_(k−1) = Σ_{τ<k} η_τ.
        let changeGap: [Double]
        let changeLogRate: [Double]
        let changeAreaBefore: [Double]
        /// Number of change points k ≤ steps[j], for each logged j.
        let changesUpTo: [Int]
        /// The tree of change points the loss-drop sum is expanded over.
        let tree: MultiPowerLossDrop.Tree
        /// The tree of logged steps the loss-drop sum is expanded at, on a dense log only
        /// (`MultiPowerLossDrop.usesDualTraversal`); nil for a sparse one.
        let targets: MultiPowerLossDrop.TargetTree?
        /// The number of change points, K.
        public var changeCount: Int { changeGap.count }
    }

    /// The change points k of η (where η_(k−1) ≠ η_k; under `.paper` none in the warmup), with
    /// their gaps, log η_k and Σ_{τ<k} η_τ, S1 at the logged steps, and the tree over the change points.
    public func prepare(rates: [Double], steps: [Int]) -> Prepared {
        let last = (steps.last ?? -1)
        var skip = 0
        if convention == .paper {
            while skip + 1 <= last, rates[skip + 1] > rates[skip] { skip += 1 }
        }
        var gaps: [Double] = [], logs: [Double] = [], before: [Double] = []
        var area = [Double](repeating: 0, count: steps.count)
        var upTo = [Int](repeating: 0, count: steps.count)
        var sum = 0.0, j = 0
        for k in 0...max(last, 0) where k <= last {
            if k >= 1, k > skip, rates[k - 1] != rates[k] {
                gaps.append(rates[k - 1] - rates[k])
                logs.append(log(rates[k]))
                before.append(sum)
            }
            sum += rates[k]
            while j < steps.count, steps[j] == k { area[j] = sum; upTo[j] = gaps.count; j += 1 }
        }
        return Prepared(steps: steps, area: area, changeGap: gaps, changeLogRate: logs,
                        changeAreaBefore: before, changesUpTo: upTo,
                        tree: MultiPowerLossDrop.Tree(count: gaps.count,
                                                      leafSize: MultiPowerLossDrop.leafSize(changes: gaps.count, steps: steps.count)),
                        targets: MultiPowerLossDrop.usesDualTraversal(changes: gaps.count, steps: steps.count)
                            ? MultiPowerLossDrop.TargetTree(area: area) : nil)
    }

    /// L(t_j) = L0 + A·S1(t_j)^(−α) − LD(t_j) at each logged step, LD by `MultiPowerLossDrop`
    /// within `lossDropTolerance`.
    public func predict(_ prepared: Prepared, parameters p: [Double], into values: inout [Double]) {
        var unused: [Double] = []
        evaluate(prepared, p, &values, &unused, withGradient: false)
    }

    /// L(t_j) and ∂L/∂θ for θ = (L0, A, α, B, C, β, γ), from the same pass over the tree.
    public func predictWithGradient(_ prepared: Prepared, parameters p: [Double],
                                    values: inout [Double], gradient: inout [Double]) {
        evaluate(prepared, p, &values, &gradient, withGradient: true)
    }

    private func evaluate(_ prepared: Prepared, _ p: [Double], _ values: inout [Double],
                          _ gradient: inout [Double], withGradient: Bool) {
        values.withUnsafeMutableBufferPointer { out in
            gradient.withUnsafeMutableBufferPointer { grad in
                MultiPowerLossDrop.evaluate(prepared, p, out, withGradient ? grad : nil, tolerance: lossDropTolerance)
            }
        }
    }
}

extension MultiPowerLaw: Law {
    /// Loss curves with their schedules.
    public typealias Observations = LossCurves
    /// A schedule and the steps to predict at.
    public typealias Query = CurveQuery
    /// The log-ratio problem over all the curves, with the analytic gradient.
    public typealias Problem = CurveFitProblem<MultiPowerLaw>

    /// "multipower", the name `--law` takes and fit files keep.
    public static let identifier = "multipower"
    /// Luo et al., ICLR 2025, arXiv:2503.12811.
    public static let reference = "Luo et al. 2025 (multi-power law)"
    /// L(t) = L0 + A·S1^(−α) − B·Σ_k (η_(k−1) − η_k)·G(…) with this law's convention, in one line.
    public var formula: String {
        "L(t) = L0 + A*S1(t)^(-alpha) - B*sum_k (eta_(k-1)-eta_k)*(1-(C*eta_k^(-gamma)*S_k(t)+1)^(-beta)); \(convention.rawValue) convention"
    }
    /// What a fit file keeps: `convention` (`repository` or `paper`).
    public var settings: [String: String] { ["convention": convention.rawValue] }

    /// The law with `settings` for its fits, every name checked against `parameterNames`.
    /// - Throws: `ScaleFitError.badArgument` naming the argument (`CurveSearchSettings.check`).
    public func searching(_ settings: CurveSearchSettings) throws -> MultiPowerLaw {
        try settings.check(parameterNames: parameterNames, law: Self.identifier)
        var law = self
        law.searchSettings = settings
        return law
    }

    /// The law the fit file's `settings` describe (its convention), with its `loss`; the loss-drop tolerance keeps its default.
    public init(fitFile: FitFile, source: String) throws {
        try self.init(settings: fitFile.settings ?? [:], source: source)
        loss = try RobustLoss(spec: fitFile.loss, flag: "\(source): loss")
    }

    /// The law with the options in `settings` (`convention`; the repository's when missing).
    /// - Throws: `invalidData` naming `source` for a convention that is neither.
    public init(settings: [String: String], source: String) throws {
        var convention = Convention.repository
        if let text = settings["convention"] {
            guard let c = Convention(rawValue: text) else {
                throw ScaleFitError.invalidData(file: source, reason: "convention \"\(text)\": expected repository or paper")
            }
            convention = c
        }
        self.init(convention: convention)
    }
}
