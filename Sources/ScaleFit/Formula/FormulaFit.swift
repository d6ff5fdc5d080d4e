import Foundation

/// A formula fitted to data: Levenberg–Marquardt from every starting point (in parallel,
/// `MultiStart`), the best run kept, and the parameter covariance at its optimum.
///
/// ```
/// minimise  ½·Σᵢ ρ((f(xᵢ; θ) − yᵢ)²)   over θ in the box,   ρ = the robust loss (default ρ(s) = s)
/// ```
///
/// The best run is the converged one with the lowest cost (see `MultiStart`); the covariance
/// is `ParameterCovariance` at that run (for a robust loss, the Gauss–Newton covariance of
/// the raw residuals).
public struct FormulaFit: Sendable {
    /// The formula, its variables and parameters, as fitted.
    public let model: FormulaModel
    /// The inputs, one column per variable in `model.variableNames` order.
    public let inputs: [[Double]]
    /// The observed values yᵢ.
    public let observed: [Double]
    /// Every start's outcome and the best run.
    public let multiStart: MultiStartResult
    /// Uncertainty of the best run's parameters.
    public let covariance: ParameterCovariance
    /// The loss the fit minimised.
    public let loss: RobustLoss
    /// The box the parameters were held in, if any.
    public let bounds: ParameterBounds?

    /// The best run.
    public var best: SolverResult { multiStart.best }
    /// The fitted parameters, in `model.parameterNames` order.
    public var parameters: [Double] { best.parameters }
    /// f(xᵢ; θ̂) for every row.
    public var fitted: [Double] { zip(observed, best.residuals).map { $0 + $1 } }

    /// Fits `model` to `inputs` and `observed` from each of `starts` (parameter vectors in
    /// `model.parameterNames` order). Throws `dimensionMismatch` for inputs or starts of the
    /// wrong size, `badArgument(flag: "--formula", …)` for a formula without parameters,
    /// `fitFailed` when no start reaches a finite cost.
    public init(model: FormulaModel, inputs: [[Double]], observed: [Double], starts: [[Double]],
                bounds: ParameterBounds? = nil, options: SolverOptions = SolverOptions(),
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let problem = try FormulaProblem(model: model, inputs: inputs, observed: observed)
        let solver = LevenbergMarquardt(options: options)
        self.model = model
        self.inputs = inputs
        self.observed = observed
        self.multiStart = try MultiStart(solver: solver, threads: threads).minimize(problem, starts: starts, bounds: bounds)
        self.covariance = try ParameterCovariance(result: multiStart.best, rankTolerance: options.rankTolerance)
        self.loss = options.loss
        self.bounds = bounds
    }
}
