/// Everything that steers one Levenberg–Marquardt run, as one value (Ceres' `Solver::Options`).
///
/// The tolerances are MINPACK's `lmder` tests, tighter by default than MINPACK's √ε ≈ 1.5e-8
/// because scalefit is judged by the digits it gets right. The function test is off by
/// default: near a minimum a relative cost change of ε corresponds to a parameter error of
/// only about √ε, so stopping on the cost leaves half the digits on the table. The run stops
/// instead when the step (trust radius) or the gradient reaches the tolerance; the extra
/// iterations near a minimum are cheap (convergence there is quadratic or fast linear).
public struct SolverOptions: Sendable, Equatable, Codable {
    /// Stop when both the actual and the predicted relative reduction of the cost are
    /// at most this (MINPACK `ftol`); 0 turns the test off.
    public var functionTolerance: Double = 0
    /// Stop when the trust region's scaled radius is at most this times the scaled norm
    /// of x (MINPACK `xtol`).
    public var parameterTolerance: Double = 1e-15
    /// Stop when the cosine of the angle between the residual vector and every Jacobian
    /// column is at most this (MINPACK `gtol`).
    public var gradientTolerance: Double = 1e-15
    /// The most residual evaluations one run may spend.
    public var maxEvaluations: Int = 20_000
    /// The initial trust-region radius is `initialStepFactor`·‖D·x₀‖ (MINPACK `factor`).
    public var initialStepFactor: Double = 100
    /// Add geodesic acceleration (Transtrum & Sethna 2012) to steps the trust region limits
    /// (λ > 0), for least-squares fits: one extra residual evaluation on such steps buys
    /// steps that follow a curved valley instead of crawling along it.
    public var geodesicAcceleration: Bool = true
    /// After convergence, take undamped Gauss–Newton steps while they shrink, for
    /// least-squares fits (see `LevenbergMarquardt`, "Stationary-point refinement"): the
    /// trust-region iteration decides on cost differences, which drown in rounding at
    /// about √ε of the parameters' spread; Gauss–Newton steps use the gradient and reach the
    /// point where Jᵀr = 0 to rounding level.
    public var refinesStationaryPoint: Bool = true
    /// Stop (converged, `.machinePrecision`) at the first rejected step whose predicted
    /// relative reduction is at rounding level (≤ 16ε): the run is where cost differences
    /// drown, and shrinking the trust region on to `parameterTolerance` only measures rounding.
    /// Off by default (the stop leaves x within about √ε of the minimum in the metric of JᵀJ,
    /// where a robust loss, which has no Gauss–Newton refinement, gets a few more digits
    /// from the remaining steps); the staged search's runs on a reduced problem and from its
    /// polished ends use it (`ScreenedMultiStart`).
    public var stopsAtNoiseLevel: Bool = false
    /// The robust loss applied to every residual.
    public var loss: RobustLoss = .l2
    /// Parameters (by index) the run moves in log coordinates, θ = exp(z) (see
    /// `LogScaledProblem`): only those that are free, bounded below by 0 and start above
    /// it. The result is reported in θ. Empty by default.
    public var logScaledParameters: [Int] = []
    /// Singular values below this times the largest count as zero when the covariance
    /// is formed and the rank is reported.
    public var rankTolerance: Double = 1e-10

    /// The defaults: no function test, parameter and gradient tolerances 1e-15, 20 000
    /// evaluations, geodesic acceleration and stationary-point refinement on, least squares.
    public init() {}

    /// The defaults with `loss` applied to every residual.
    public init(loss: RobustLoss) { self.loss = loss }
}

/// Box bounds lᵢ ≤ xᵢ ≤ uᵢ; ±∞ where a side is free.
public struct ParameterBounds: Sendable, Equatable, Codable {
    /// lᵢ, the lower bound of each parameter (−∞ where there is none).
    public var lower: [Double]
    /// uᵢ, the upper bound of each parameter (+∞ where there is none).
    public var upper: [Double]

    /// The box [lower, upper]; traps unless both have the same length.
    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count, "lower and upper bounds must have the same length")
        self.lower = lower
        self.upper = upper
    }

    /// No bounds on n parameters.
    public static func unbounded(_ n: Int) -> ParameterBounds {
        ParameterBounds(lower: Array(repeating: -.infinity, count: n),
                        upper: Array(repeating: .infinity, count: n))
    }

    /// True when every side is infinite.
    public var isUnbounded: Bool {
        lower.allSatisfy { $0 == -.infinity } && upper.allSatisfy { $0 == .infinity }
    }

    /// `x` moved to the nearest point of the box.
    public func clamp(_ x: [Double]) -> [Double] {
        var y = x
        for i in 0..<y.count { y[i] = Swift.min(Swift.max(y[i], lower[i]), upper[i]) }
        return y
    }

    /// True when lᵢ ≤ xᵢ ≤ uᵢ for all i.
    public func contains(_ x: [Double]) -> Bool {
        x.indices.allSatisfy { x[$0] >= lower[$0] && x[$0] <= upper[$0] }
    }
}
