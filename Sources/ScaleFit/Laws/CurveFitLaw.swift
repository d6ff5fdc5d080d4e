import Foundation

/// A law of the whole loss curve under a learning-rate schedule: L(s; θ) for every logged
/// step s of a curve, with its analytic gradient ∂L/∂θ.
///
/// A law first turns a curve into its `Prepared` form (the parts that do not depend on θ:
/// cumulative sums of η, the steps where η changes), once per fit, so that each evaluation
/// costs only what θ forces.
public protocol LossCurveLaw: Sendable {
    associatedtype Prepared: Sendable

    /// The parameters' names, in the order of θ.
    var parameterNames: [String] { get }
    /// What the fit may range over (L0 > 0, exponents in a sane range, …).
    var defaultBounds: ParameterBounds { get }

    /// The documented starting points for a multi-start fit of these curves.
    func startingGrid(for curves: [LossCurve]) -> [[Double]]

    /// The box for a fit to these curves (by default `defaultBounds`).
    func bounds(for curves: [LossCurve]) -> ParameterBounds

    /// The θ-independent part of a curve with η = `rates` logged at `steps`.
    func prepare(rates: [Double], steps: [Int]) -> Prepared

    /// Writes L(s_j; θ) for each logged step j into `values` (one per logged step).
    func predict(_ prepared: Prepared, parameters: [Double], into values: inout [Double])

    /// Writes L(s_j; θ) into `values` and ∂L(s_j)/∂θ_p into `gradient[j + p·count]`
    /// (column-major, `count` = number of logged steps).
    func predictWithGradient(_ prepared: Prepared, parameters: [Double],
                             values: inout [Double], gradient: inout [Double])

    /// The law a multi-start fit's short screening runs use: the same law, or a cheaper
    /// approximation of it close enough to rank the starts (the polish uses `self`). The
    /// `Prepared` form must be the same. By default `self`.
    var screeningLaw: Self { get }

    /// The parameters (by index) the solver moves in log coordinates
    /// (`SolverOptions.logScaledParameters`): positive scales whose flat valleys are
    /// products of parameters. By default none.
    var logScaledParameters: [Int] { get }

    /// Whether a dense log's search polishes on knots (`KnotInterpolation`,
    /// `CurveFitProblem.reducedProblem`): for a law whose evaluation costs far more per point
    /// than the solver's linear algebra (the multi-power law's loss-drop tree), not for one
    /// whose evaluation is a pass over the steps (annealing: there the polish on every point
    /// costs less than the corrections on the knots). By default false.
    var polishesDenseLogsOnKnots: Bool { get }

    /// How a fit of the law searches beyond its grid and box (held parameters, bounds,
    /// starts, budget).
    var searchSettings: CurveSearchSettings { get }
    /// The law with `settings` for its fits.
    /// - Throws: `ScaleFitError.badArgument` naming the argument for a parameter the law
    ///   does not have (`CurveSearchSettings.check`).
    func searching(_ settings: CurveSearchSettings) throws -> Self
}

extension LossCurveLaw {
    /// By default a law screens with itself.
    public var screeningLaw: Self { self }

    /// By default no parameter is moved in log coordinates.
    public var logScaledParameters: [Int] { [] }

    /// By default a dense log is polished on every point.
    public var polishesDenseLogsOnKnots: Bool { false }

    /// `options` with this law's `logScaledParameters` added.
    public func solverOptions(_ options: SolverOptions) -> SolverOptions {
        var o = options
        o.logScaledParameters = Array(Set(o.logScaledParameters).union(logScaledParameters)).sorted()
        return o
    }

    /// The box for a fit to `curves`: `defaultBounds` unless the law narrows it by the data.
    public func bounds(for curves: [LossCurve]) -> ParameterBounds { defaultBounds }

    /// n, the number of parameters.
    public var parameterCount: Int { parameterNames.count }

    /// The predicted loss at `steps` of a run with η = `rates` (η_0 … η_(T−1)).
    public func predict(rates: [Double], steps: [Int], parameters: [Double]) -> [Double] {
        var values = [Double](repeating: 0, count: steps.count)
        predict(prepare(rates: rates, steps: steps), parameters: parameters, into: &values)
        return values
    }

    /// The predicted loss at `steps` (increasing) of a run with η = `rates`, and ∂L/∂θ
    /// column-major (`gradient[j + p·steps.count]`).
    public func predictWithGradient(rates: [Double], steps: [Int], parameters: [Double]) -> (values: [Double], gradient: [Double]) {
        var values = [Double](repeating: 0, count: steps.count)
        var gradient = [Double](repeating: 0, count: steps.count * parameterNames.count)
        predictWithGradient(prepare(rates: rates, steps: steps), parameters: parameters, values: &values, gradient: &gradient)
        return (values, gradient)
    }

    /// The predicted loss at `steps` of a run with the given schedule (extended by holding
    /// its last value if a step lies past its end).
    public func predict(schedule: LRSchedule, steps: [Int], parameters: [Double]) -> [Double] {
        let count = max(schedule.totalSteps, (steps.max() ?? -1) + 1)
        return predict(rates: schedule.rates(count: count), steps: steps, parameters: parameters)
    }

    /// The predicted loss at a curve's logged steps.
    public func predict(_ curve: LossCurve, parameters: [Double]) -> [Double] {
        predict(rates: curve.rates, steps: curve.steps, parameters: parameters)
    }
}
