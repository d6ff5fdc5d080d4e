import Foundation

/// The scaling law with learning-rate annealing (Tissue et al. 2024, arXiv:2408.11029):
///
/// ```
/// L(s) = L0 + A·S1(s)^(−α) − C·S2(s)
/// S1(s) = Σ_{i=0..s} η_i                                  forward area
/// S2(s) = Σ_{i=1..s} m_i,   m_0 = 0,
///         m_i = λ·m_(i−1) + (η_(i−1) − η_i)                annealing area with momentum
/// ```
///
/// θ = [L0, A, α, C], or [L0, A, α, C, λ] when λ is fitted (default: fixed at 0.999, the
/// paper's value). With λ fixed, S1 and S2 are computed once per curve and an evaluation
/// costs O(logged steps); with λ fitted, one O(steps) pass computes S2 and ∂S2/∂λ by the
/// recurrence
///
/// ```
/// ∂m_i/∂λ = m_(i−1) + λ·∂m_(i−1)/∂λ,     ∂S2/∂λ = Σ ∂m_i/∂λ
/// ```
///
/// Warmup (`.countedAtPeak`, the default and the paper's convention): the steps of the
/// initial strictly increasing run of η count as if η were already at the value it reaches
/// there (η_max), in S1 and in S2; otherwise the warmup's rising η would enter S2 as a
/// large negative "annealing" (−η_max/(1 − λ) ≈ −0.3 for η_max = 3e-4), which the paper
/// avoids. `.asScheduled` uses η as given.
public struct AnnealingLaw: LossCurveLaw {
    /// λ, the momentum of the annealing area.
    public enum Momentum: Sendable, Equatable {
        /// λ held at the value.
        case fixed(Double)
        /// λ fitted as a fifth parameter.
        case fitted
    }

    /// How the warmup enters S1 and S2.
    public enum Warmup: String, Sendable, Equatable, Codable {
        /// The warmup's steps counted at the peak η (the law's own convention).
        case countedAtPeak
        /// The warmup's η as scheduled.
        case asScheduled
    }

    /// λ, fixed (0.999 by default, the paper's value) or fitted as θ's fifth parameter.
    public var momentum: Momentum
    /// Whether the warmup's rising η counts at its peak (the default) or as scheduled.
    public var warmup: Warmup
    /// The objective on the log residuals: Huber δ = 1e-3 by default (as for the multi-power law).
    public var loss: RobustLoss
    /// How a fit searches: held parameters, bounds, starts, budget (`searching(_:)`; by
    /// default the law's own grid and box).
    public private(set) var searchSettings = CurveSearchSettings()

    /// The law with the paper's choices by default: λ fixed at 0.999, the warmup counted at
    /// its peak, Huber δ = 1e-3 on the log residuals.
    public init(momentum: Momentum = .fixed(0.999), warmup: Warmup = .countedAtPeak,
                loss: RobustLoss = .huber(scale: 1e-3)) {
        self.momentum = momentum
        self.warmup = warmup
        self.loss = loss
    }

    /// θ's order: (L0, A, alpha, C), with lambda appended when λ is fitted.
    public var parameterNames: [String] {
        momentum == .fitted ? ["L0", "A", "alpha", "C", "lambda"] : ["L0", "A", "alpha", "C"]
    }

    /// L0 ≥ 0, A ≥ 0, 0 ≤ α ≤ 10, C ≥ 0, 0 ≤ λ ≤ 0.99999 (λ = 1 makes S2 grow without bound).
    public var defaultBounds: ParameterBounds {
        var lower = [0.0, 0, 0, 0], upper = [Double.infinity, .infinity, 10, .infinity]
        if momentum == .fitted { lower.append(0); upper.append(0.99999) }
        return ParameterBounds(lower: lower, upper: upper)
    }

    /// η as the law reads it (the warmup counted at its peak, or as scheduled), S1 at the
    /// logged steps, and S2 there when λ is fixed.
    public struct Prepared: Sendable {
        /// η_0 … η_s as the law reads it, up to the last logged step (the warmup at its peak under `.countedAtPeak`).
        public let rates: [Double]
        /// The logged steps s_j the curve is predicted at.
        public let steps: [Int]
        /// S1(s_j) = Σ_{i=0..s_j} η_i at each logged step.
        public let forwardArea: [Double]
        /// log S1(s_j), so that S1^(−α) = exp(−α·log S1) costs one exp per step, not a pow and a log.
        let logForwardArea: [Double]
        let fixedAnnealingArea: [Double]?
    }

    /// η after the warmup rule, S1 at the logged steps, and S2 too when λ is fixed
    /// (computed once here, so a θ evaluation costs O(logged steps)).
    public func prepare(rates: [Double], steps: [Int]) -> Prepared {
        var eta = Array(rates.prefix((steps.last ?? -1) + 1))
        if warmup == .countedAtPeak, !eta.isEmpty {
            var top = 0
            while top + 1 < eta.count, eta[top + 1] > eta[top] { top += 1 }
            for i in 0..<top { eta[i] = eta[top] }
        }
        var s1 = [Double](repeating: 0, count: steps.count)
        var sum = 0.0, j = 0
        for (i, e) in eta.enumerated() {
            sum += e
            while j < steps.count, steps[j] == i { s1[j] = sum; j += 1 }
        }
        var s2: [Double]? = nil
        if case let .fixed(lambda) = momentum {
            var area = [Double](repeating: 0, count: steps.count), unused = area
            Self.annealingArea(eta, steps, lambda, &area, derivative: &unused, withDerivative: false)
            s2 = area
        }
        return Prepared(rates: eta, steps: steps, forwardArea: s1, logForwardArea: s1.map { log($0) }, fixedAnnealingArea: s2)
    }

    /// S2 (and ∂S2/∂λ) at the logged steps: one pass over η.
    static func annealingArea(_ eta: [Double], _ steps: [Int], _ lambda: Double,
                              _ area: inout [Double], derivative: inout [Double], withDerivative: Bool) {
        var m = 0.0, dm = 0.0, s2 = 0.0, ds2 = 0.0, j = 0
        while j < steps.count, steps[j] == 0 { area[j] = 0; if withDerivative { derivative[j] = 0 }; j += 1 }
        for i in 1..<max(eta.count, 1) where j < steps.count {
            if withDerivative {
                dm = m + lambda * dm
                ds2 += dm
            }
            m = lambda * m + (eta[i - 1] - eta[i])
            s2 += m
            while j < steps.count, steps[j] == i {
                area[j] = s2
                if withDerivative { derivative[j] = ds2 }
                j += 1
            }
        }
    }

    /// L(s_j) = L0 + A·S1(s_j)^(−α) − C·S2(s_j) at each logged step, S2 recomputed from θ's λ when fitted.
    public func predict(_ prepared: Prepared, parameters: [Double], into values: inout [Double]) {
        let n = prepared.steps.count
        var area = prepared.fixedAnnealingArea ?? [Double](repeating: 0, count: n)
        if prepared.fixedAnnealingArea == nil {
            var unused: [Double] = []
            Self.annealingArea(prepared.rates, prepared.steps, parameters[4], &area,
                               derivative: &unused, withDerivative: false)
        }
        let (l0, a, alpha, c) = (parameters[0], parameters[1], parameters[2], parameters[3])
        for j in 0..<n {
            values[j] = l0 + a * exp(-alpha * prepared.logForwardArea[j]) - c * area[j]
        }
    }

    /// L(s_j) and its gradient: ∂L/∂L0 = 1, ∂L/∂A = S1^(−α), ∂L/∂α = −A·S1^(−α)·log S1,
    /// ∂L/∂C = −S2, and when λ is fitted ∂L/∂λ = −C·∂S2/∂λ.
    public func predictWithGradient(_ prepared: Prepared, parameters: [Double],
                                    values: inout [Double], gradient: inout [Double]) {
        let n = prepared.steps.count
        var area = prepared.fixedAnnealingArea ?? [Double](repeating: 0, count: n)
        var dArea = [Double](repeating: 0, count: n)
        let fitted = prepared.fixedAnnealingArea == nil
        if fitted {
            Self.annealingArea(prepared.rates, prepared.steps, parameters[4], &area,
                               derivative: &dArea, withDerivative: true)
        }
        let (l0, a, alpha, c) = (parameters[0], parameters[1], parameters[2], parameters[3])
        for j in 0..<n {
            let logS1 = prepared.logForwardArea[j]
            let power = exp(-alpha * logS1)
            values[j] = l0 + a * power - c * area[j]
            gradient[j] = 1
            gradient[j + n] = power
            gradient[j + 2 * n] = -a * power * logS1
            gradient[j + 3 * n] = -area[j]
            if fitted { gradient[j + 4 * n] = -c * dArea[j] }
        }
    }
}

extension AnnealingLaw: Law {
    /// Loss curves with their schedules.
    public typealias Observations = LossCurves
    /// A schedule and the steps to predict at.
    public typealias Query = CurveQuery
    /// The log-ratio problem over all the curves, with `predictWithGradient`'s analytic gradient.
    public typealias Problem = CurveFitProblem<AnnealingLaw>

    /// "annealing", the name `--law` takes and fit files keep.
    public static let identifier = "annealing"
    /// Tissue et al. 2024, arXiv:2408.11029.
    public static let reference = "Tissue et al. 2024 (LR annealing with momentum)"
    /// L(s) = L0 + A·S1^(−α) − C·S2 with this law's λ and warmup, in one line.
    public var formula: String {
        let lambda: String
        switch momentum {
        case let .fixed(value): lambda = "lambda = \(value) fixed"
        case .fitted: lambda = "lambda fitted"
        }
        return "L(s) = L0 + A*S1(s)^(-alpha) - C*S2(s), S2 with momentum (\(lambda)); warmup \(warmup.rawValue)"
    }
    /// What a fit file keeps: `momentum` (λ as a number, or `fitted`) and `warmup`
    /// (`countedAtPeak` or `asScheduled`).
    public var settings: [String: String] {
        let text: String
        switch momentum {
        case let .fixed(value): text = "\(value)"
        case .fitted: text = "fitted"
        }
        return ["momentum": text, "warmup": warmup.rawValue]
    }

    /// The law with `settings` for its fits, every name checked against `parameterNames`.
    /// - Throws: `ScaleFitError.badArgument` naming the argument (`CurveSearchSettings.check`).
    public func searching(_ settings: CurveSearchSettings) throws -> AnnealingLaw {
        try settings.check(parameterNames: parameterNames, law: Self.identifier)
        var law = self
        law.searchSettings = settings
        return law
    }

    /// The law the fit file's `settings` describe (momentum, warmup), with its `loss`.
    public init(fitFile: FitFile, source: String) throws {
        try self.init(settings: fitFile.settings ?? [:], source: source)
        loss = try RobustLoss(spec: fitFile.loss, flag: "\(source): loss")
    }

    /// The law with the options in `settings` (`momentum`, `warmup`; a missing key takes the
    /// default: λ = 0.999 fixed, warmup counted at the peak).
    /// - Throws: `invalidData` naming `source` for a value that is not one of them.
    public init(settings: [String: String], source: String) throws {
        var momentum = Momentum.fixed(0.999)
        if let text = settings["momentum"] {
            if text == "fitted" {
                momentum = .fitted
            } else if let value = Double(text), value >= 0, value < 1 {
                momentum = .fixed(value)
            } else {
                throw ScaleFitError.invalidData(file: source, reason: "momentum \"\(text)\": expected a number in [0, 1) or \"fitted\"")
            }
        }
        var warmup = Warmup.countedAtPeak
        if let text = settings["warmup"] {
            guard let w = Warmup(rawValue: text) else {
                throw ScaleFitError.invalidData(file: source, reason: "warmup \"\(text)\": expected countedAtPeak or asScheduled")
            }
            warmup = w
        }
        self.init(momentum: momentum, warmup: warmup)
    }
}
