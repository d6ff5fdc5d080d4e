import Foundation

/// A law as the generic fit needs it: its names, its data, its least-squares problem with an
/// analytic Jacobian, where to start, how to search, and how to predict with a gradient.
///
/// A law value is the law *with its options* (Chinchilla's loss, the annealing law's
/// momentum, the multi-power law's convention); the fitted parameters θ are a separate
/// vector, in the order of `parameterNames`. Everything a law does is maths: no I/O, no
/// printing. `Fit<L>` (in `Fitting/`) does the rest once for every law: the search, the
/// covariance and standard errors, the diagnostics, the intervals and the fit file.
///
/// Predictions come with ∂log ŷ/∂θ, so every law's interval is the same delta-method
/// interval on the log scale:
///
/// ```
/// sd = √(gᵀ Σ g),   g = ∂log ŷ/∂θ,   interval ŷ·exp(±z·sd)
/// ```
public protocol Law: Sendable {
    /// What the law is fitted to (runs with N, D and a final loss; loss curves; …).
    associatedtype Observations: LawObservations
    /// Where the law is asked to predict (model sizes; a schedule and its steps; …).
    associatedtype Query: Sendable
    /// The residuals and analytic Jacobian minimised by the fit.
    associatedtype Problem: LeastSquaresProblem

    /// The name `--law` takes, fit files keep and `LawRegistry` lists.
    static var identifier: String { get }
    /// Where the law comes from, in a line.
    static var reference: String { get }
    /// The law in one line, with its options.
    var formula: String { get }
    /// The fitted parameters' names, in the order of θ.
    var parameterNames: [String] { get }
    /// The parameters as reports show them: the name of each, and whether it is the
    /// exponential of the fitted one (θⱼ = log of the reported value, its standard error
    /// by the delta method, e^θⱼ·se(θⱼ)). By default θ as it is.
    var reportedParameters: [(name: String, exponentiated: Bool)] { get }
    /// The options a fit file keeps to predict as the fit did (text values; each law
    /// documents its keys). `init(fitFile:source:)` reads them back.
    var settings: [String: String] { get }
    /// The input columns of the law, in the order its predictions take them, when they are
    /// the user's (a formula's variables, the power law's x); nil otherwise.
    var variables: [String]? { get }
    /// The objective: least squares or a robust loss on the law's residuals.
    var loss: RobustLoss { get }
    /// The scale the residuals live on: log ŷ − log y (every built-in law), or ŷ − y (a
    /// formula). `PredictionNoise` and the prediction interval follow it.
    var residualScale: LawValue.Scale { get }
    /// The law a fit file holds, with its options (`settings`, `loss`, `formula`,
    /// `variables`); `source` names the file in errors.
    init(fitFile: FitFile, source: String) throws

    /// The observations in `table` (columns by role unless `options` names them; rows
    /// checked; dropped rows counted, or `droppedRows` under `options.strict`).
    func observations(from table: RunTable, options: TableOptions) throws -> Observations
    /// The least-squares problem on `data`.
    func problem(for data: Observations) throws -> Problem
    /// A cheaper problem with the same parameters for the search's screening runs
    /// (by default `problem(for:)`).
    func screeningProblem(for data: Observations) throws -> Problem
    /// For a staged search (`ScreenedMultiStart.minimize(_:screeningProblem:reducedProblem:…)`):
    /// the same fit as `problem` on less data, and the screening problem on it; nil (the
    /// default) to screen on `screeningProblem(for:)` and polish on the problem itself.
    func stagedProblems(_ problem: Problem) throws -> (screening: Problem, reduced: Problem)?
    /// The starting grid.
    func starts(for data: Observations) -> [[Double]]
    /// Box bounds on θ, or nil.
    func bounds(for data: Observations) -> ParameterBounds?
    /// Parameters held at their start (by default none).
    var fixed: [Bool]? { get }
    /// How the grid is searched.
    var search: LawSearch { get }
    /// The fitted losses of the observations at θ (for goodness of fit), in the order of
    /// `data.observed`.
    func fitted(_ data: Observations, parameters: [Double]) -> [Double]
    /// Settings for the fit file that depend on the data (the curve laws keep each curve's
    /// schedule); by default `settings`.
    func fileSettings(for data: Observations) -> [String: String]
    /// The input columns for the fit file, when they depend on the data (the power law's x
    /// column as chosen from the table); by default `variables`.
    func fileVariables(for data: Observations) -> [String]?

    /// ŷ and ∂log ŷ/∂θ at every point of `query`.
    /// - Throws: `ScaleFitError.invalidData` for a query outside the law's domain.
    func evaluate(_ query: Query, parameters: [Double]) throws -> [LawValue]

    /// ŷ alone at every point of `query` (what a prediction needs at each leave-one-group-out
    /// fold's θ); by default the values of `evaluate`.
    func values(_ query: Query, parameters: [Double]) throws -> [Double]

    /// The law's query from a run-time `LawQuery`, or nil when it is of another kind.
    func query(_ query: LawQuery) -> Query?
    /// The kind of point the law predicts at, in words.
    var queryDescription: String { get }
    /// The kind of `LawQuery` `query(_:)` accepts; nil for a law asked only through its own
    /// `Query` (one multilingual family).
    var queryKind: LawQuery.Kind? { get }
}

extension Law {
    /// The problem itself.
    public func screeningProblem(for data: Observations) throws -> Problem { try problem(for: data) }
    /// No staged search.
    public func stagedProblems(_ problem: Problem) throws -> (screening: Problem, reduced: Problem)? { nil }
    /// None fixed.
    public var fixed: [Bool]? { nil }
    /// Log residuals.
    public var residualScale: LawValue.Scale { .log }
    /// None: the law's inputs are its own (N, D, steps).
    public var variables: [String]? { nil }
    /// θ as it is, by its names.
    public var reportedParameters: [(name: String, exponentiated: Bool)] { parameterNames.map { ($0, false) } }
    /// The law's settings.
    public func fileSettings(for data: Observations) -> [String: String] { settings }
    /// The law's variables.
    public func fileVariables(for data: Observations) -> [String]? { variables }
    /// The law's identifier (`Self.identifier`), for a value.
    public var identifier: String { Self.identifier }
    /// The values of `evaluate`, gradient dropped.
    public func values(_ query: Query, parameters: [Double]) throws -> [Double] {
        try evaluate(query, parameters: parameters).map(\.value)
    }
}

/// What a law's observations tell the generic fit: the observed values (for goodness of
/// fit), a label for each (a run name, or `curve@step`), and where they came from.
public protocol LawObservations: Sendable {
    /// The observed values, one per fitted point.
    var observed: [Double] { get }
    /// A label per observed value, for residual tables.
    var labels: [String] { get }
    /// The file, rows used and rows dropped.
    var summary: FitFile.DataSummary { get }
}

/// A prediction before its interval: ŷ and its gradient by θ, on the scale the law's
/// residuals live on — ∂log ŷ/∂θ for the laws fitted on log L (every built-in law), ∂ŷ/∂θ
/// for a formula fitted on y itself. The interval follows the scale: ŷ·exp(±z·sd) or ŷ ± z·sd.
public struct LawValue: Sendable, Equatable {
    /// Which scale the gradient and the interval are on.
    public enum Scale: String, Sendable, Codable { case log, linear }
    /// ŷ.
    public var value: Double
    /// ∂log ŷ/∂θ (log scale) or ∂ŷ/∂θ (linear), in the order of θ.
    public var gradient: [Double]
    /// The gradient's scale.
    public var scale: Scale
    /// ŷ with its gradient on `scale`.
    public init(value: Double, gradient: [Double], scale: Scale) {
        self.value = value
        self.gradient = gradient
        self.scale = scale
    }
    /// ŷ with g = ∂log ŷ/∂θ.
    public init(value: Double, logGradient: [Double]) {
        self.init(value: value, gradient: logGradient, scale: .log)
    }
}

/// How a law's starting grid is searched: by `ScreenedMultiStart` (a short run from every
/// start, the best distinct ends polished), or every start run to convergence (small grids).
public enum LawSearch: Sendable, Equatable {
    /// Every start run for at most `screeningEvaluations`, the best distinct ends polished
    /// (`ScreenedMultiStart`).
    case screened(screeningEvaluations: Int, screeningFunctionTolerance: Double?,
                  selection: ScreenedMultiStart.PolishSelection, options: SolverOptions)
    /// Every start run to convergence (`MultiStart`).
    case everyStart(options: SolverOptions)

    /// The polishing (or only) runs' options.
    public var options: SolverOptions {
        switch self {
        case let .screened(_, _, _, options), let .everyStart(options): return options
        }
    }
}

/// How a table is turned into a law's observations: columns named by role (otherwise
/// detected by name), strictness, and for the loss-curve laws the schedules and what η was
/// before the first logged step.
public struct TableOptions: Sendable {
    /// Role → column name, matched like `RunTable.column(named:)`.
    public var columns: [ColumnRole: String]
    /// Throw `droppedRows` instead of dropping a row that cannot be used.
    public var strict: Bool
    /// Curve laws: schedules by run name; the key `""` applies to every run without its own.
    public var schedules: [String: LRSchedule]
    /// Curve laws: η before the first logged lr.
    public var before: LoggedSchedule.Before
    /// How the file is read: format, step range, runs, W&B segments (`LogReadOptions`).
    public var reading: LogReadOptions

    /// Options; by default columns are detected by name, rows that cannot be used are dropped and counted, and η comes from the lr column.
    public init(columns: [ColumnRole: String] = [:], strict: Bool = false,
                schedules: [String: LRSchedule] = [:], before: LoggedSchedule.Before = .hold,
                reading: LogReadOptions = LogReadOptions()) {
        self.columns = columns
        self.strict = strict
        self.schedules = schedules
        self.before = before
        self.reading = reading
    }
}

extension Law {
    /// ŷ and ∂log ŷ/∂θ from a log-residual problem built on the query points with observed
    /// loss 1: its residuals are log ŷ and its Jacobian rows ∂log ŷ/∂θ, so predictions use
    /// exactly the maths the fit minimised.
    public func logValues<P: LeastSquaresProblem>(of problem: P, at p: [Double]) -> [LawValue] {
        let m = problem.residualCount, n = problem.parameterCount
        var r = [Double](repeating: 0, count: m)
        var j = Matrix(rows: m, columns: n)
        problem.residuals(at: p, into: &r)
        problem.jacobian(at: p, into: &j)
        return (0..<m).map { i in LawValue(value: exp(r[i]), logGradient: (0..<n).map { j[i, $0] }) }
    }
}
