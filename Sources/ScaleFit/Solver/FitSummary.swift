/// Why a solver run stopped, and how it got there (Ceres' `Solver::Summary`).
public struct FitSummary: Sendable, Equatable, Codable {
    /// The stopping reason. The first four are convergence in MINPACK's sense; the
    /// machine-precision ones mean the tolerances asked for more than doubles can give,
    /// which at a minimum is convergence too.
    public enum Termination: String, Sendable, Codable, CaseIterable {
        /// Actual and predicted relative cost reductions fell below the function tolerance.
        case functionTolerance
        /// The relative step fell below the parameter tolerance.
        case parameterTolerance
        /// Both of the above at once.
        case functionAndParameterTolerance
        /// The gradient is orthogonal to the residuals within the gradient tolerance.
        case gradientTolerance
        /// No further reduction of the cost is possible in double precision.
        case machinePrecision
        /// The evaluation budget ran out first.
        case maxEvaluations
        /// The residuals at the start are not all finite.
        case nonFiniteStart
        /// The Jacobian has a NaN or ∞ entry at an accepted point.
        case nonFiniteJacobian
        /// A LAPACK routine failed.
        case linearAlgebraFailure

        /// True when the run ended at a (local) minimum.
        public var isConverged: Bool {
            switch self {
            case .functionTolerance, .parameterTolerance, .functionAndParameterTolerance,
                 .gradientTolerance, .machinePrecision:
                return true
            case .maxEvaluations, .nonFiniteStart, .nonFiniteJacobian, .linearAlgebraFailure:
                return false
            }
        }
    }

    /// Why the run stopped; `converged` and `message` are read off it.
    public var termination: Termination
    /// Accepted steps.
    public var iterations: Int
    /// Residual evaluations, including rejected trial points.
    public var residualEvaluations: Int
    /// Jacobian evaluations.
    public var jacobianEvaluations: Int
    /// Gauss–Newton refinement steps taken after convergence (included in `iterations`).
    public var refinementSteps: Int = 0
    /// ½·Σρ(rᵢ²) at the start.
    public var initialCost: Double
    /// ½·Σρ(rᵢ²) at the end.
    public var finalCost: Double
    /// Detail for a failure (the LAPACK routine, the NaN's place), empty otherwise.
    public var detail: String

    /// True when the run converged.
    public var converged: Bool { termination.isConverged }

    /// What the run took, in words: "iterations 37 (3 of them Gauss–Newton refinement),
    /// evaluations 92 residual + 39 Jacobian".
    public var effort: String {
        let refinement = refinementSteps > 0 ? " (\(refinementSteps) of them Gauss–Newton refinement)" : ""
        return "iterations \(iterations)\(refinement), evaluations \(residualEvaluations) residual + \(jacobianEvaluations) Jacobian"
    }

    /// Why it stopped, in words.
    public var message: String {
        let base: String
        switch termination {
        case .functionTolerance: base = "converged: relative reduction of the cost below the function tolerance"
        case .parameterTolerance: base = "converged: relative step below the parameter tolerance"
        case .functionAndParameterTolerance: base = "converged: cost reduction and step both below tolerance"
        case .gradientTolerance: base = "converged: gradient below the gradient tolerance"
        case .machinePrecision: base = "converged: no further reduction possible in double precision"
        case .maxEvaluations: base = "not converged: the evaluation budget ran out"
        case .nonFiniteStart: base = "failed: the residuals at the starting point are not finite"
        case .nonFiniteJacobian: base = "failed: the Jacobian has a non-finite entry"
        case .linearAlgebraFailure: base = "failed: a linear-algebra routine failed"
        }
        return detail.isEmpty ? base : "\(base) (\(detail))"
    }
}

/// The outcome of one solver run.
public struct SolverResult: Sendable {
    /// The final parameters (all n, fixed ones included).
    public var parameters: [Double]
    /// The raw residuals r(x) at the final parameters.
    public var residuals: [Double]
    /// ½·Σρ(rᵢ²) at the final parameters.
    public var cost: Double
    /// The raw Jacobian at the final parameters (m×n; zero columns for fixed parameters).
    public var jacobian: Matrix
    /// Which parameters were held fixed.
    public var fixed: [Bool]
    /// Why this run stopped, and what it cost (iterations, evaluations, initial and final cost).
    public var summary: FitSummary
    /// The loss the run minimised (`ParameterCovariance(result:)` calibrates for it).
    public var loss: RobustLoss = .l2
}
