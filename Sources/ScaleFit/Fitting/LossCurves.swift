import Foundation

/// Loss curves with the schedule each was trained under: what the loss-curve laws
/// (annealing, multi-power) are fitted to. From a table through `LossCurveSet` (η from a
/// schedule spec or the logged lr; dropped rows counted), or given directly.
public struct LossCurves: LawObservations {
    /// The curves: each run's η at every step and its logged losses.
    public var curves: [LossCurve]
    /// The schedule of each curve (a spec, or `.logged` rebuilt from the table).
    public var schedules: [LRSchedule]
    /// How η was obtained for each curve, in words.
    public var sources: [String]
    /// For each curve, the source line of each logged loss.
    public var lineNumbers: [[Int]]
    /// Rows of the table that could not be used.
    public var dropped: DroppedRows
    /// The file the curves came from.
    public var file: String
    /// The columns used, in words.
    public var columnsDescription: String

    /// Curves given directly, each with its schedule.
    public init(_ curves: [(name: String, schedule: LRSchedule, steps: [Int], losses: [Double])],
                file: String = "<data>") throws {
        self.curves = try curves.map { try LossCurve(name: $0.name, schedule: $0.schedule, steps: $0.steps, losses: $0.losses) }
        schedules = curves.map(\.schedule)
        sources = curves.map { "schedule \($0.schedule.spec)" }
        lineNumbers = curves.map { c in c.steps.indices.map { $0 + 1 } }
        dropped = DroppedRows()
        self.file = file
        columnsDescription = "step, loss"
    }

    /// Curves already made, each with the schedule it was made under (the benchmarks).
    package init(curves: [LossCurve], schedules: [LRSchedule], file: String = "<data>") {
        precondition(curves.count == schedules.count, "one schedule per curve")
        self.curves = curves
        self.schedules = schedules
        sources = schedules.map { "schedule \($0.spec)" }
        lineNumbers = curves.map { c in c.steps.indices.map { $0 + 1 } }
        dropped = DroppedRows()
        self.file = file
        columnsDescription = "step, loss"
    }

    /// The curves of `set` read from `file`.
    public init(_ set: LossCurveSet, file: String) {
        curves = set.curves
        schedules = set.schedules
        sources = set.sources
        lineNumbers = set.lineNumbers
        dropped = set.dropped
        self.file = file
        var cols = "step=\"\(set.stepColumn)\", loss=\"\(set.lossColumn)\""
        if let lr = set.rateColumn { cols += ", lr=\"\(lr)\"" }
        if let run = set.runColumn { cols += ", run=\"\(run)\"" }
        columnsDescription = cols
    }

    /// The curves of `table` (columns by role unless `options.columns` names them).
    public init(table: RunTable, options: TableOptions = TableOptions()) throws {
        let mapping = try ColumnMapping.detect(in: table, overrides: options.columns)
        let set = try LossCurveSet(table: table, mapping: mapping, schedules: options.schedules,
                                   before: options.before, strict: options.strict)
        self.init(set, file: table.fileName)
    }

    /// Every logged loss, curve after curve.
    public var observed: [Double] { curves.flatMap(\.losses) }
    /// `run@step` for every logged loss.
    public var labels: [String] { curves.flatMap { c in c.steps.map { "\(c.name)@\($0)" } } }
    /// The file, the logged losses used and the rows dropped.
    public var summary: FitFile.DataSummary { .init(file: file, rows: observed.count, droppedRows: dropped.count) }
}

/// Where a loss-curve law predicts: steps of a run under a schedule (held at its last η
/// past its end).
public struct CurveQuery: Sendable {
    /// The run's learning-rate schedule.
    public var schedule: LRSchedule
    /// The steps to predict at (any order; repeats allowed).
    public var steps: [Int]
    /// A query at `steps` under `schedule`.
    public init(schedule: LRSchedule, steps: [Int]) {
        self.schedule = schedule
        self.steps = steps
    }
}

/// A loss-curve law on the `Law` protocol (`AnnealingLaw`, `MultiPowerLaw`): fitted to
/// `LossCurves` through the joint `CurveFitProblem`, predicting along a schedule, its search
/// shaped by `searchSettings`. Code generic over the curve laws (the command line's fit and
/// backtest) takes one of these and fits a `Fit<L>`.
public protocol CurveFittingLaw: Law, LossCurveLaw
    where Observations == LossCurves, Query == CurveQuery, Problem == CurveFitProblem<Self> {
    /// The law with the options in `settings` (the keys `settings` writes; a missing key
    /// takes the law's default), as a fit file or a command line gives them.
    /// - Throws: `invalidData` naming `source` for a value the law does not take.
    init(settings: [String: String], source: String) throws
    /// The objective's loss on the log residuals (settable: a command line's `--loss`).
    var loss: RobustLoss { get set }
}

extension AnnealingLaw: CurveFittingLaw {}
extension MultiPowerLaw: CurveFittingLaw {}

/// The `Law` requirements the two loss-curve laws share: observations from `LossCurves`,
/// the joint `CurveFitProblem`, the screened search with `CurveFit.defaultOptions`, and predictions along a
/// schedule.
extension Law where Self: LossCurveLaw, Observations == LossCurves, Query == CurveQuery,
                    Problem == CurveFitProblem<Self> {
    /// The curves of `table` (`LossCurves(table:options:)`).
    public func observations(from table: RunTable, options: TableOptions) throws -> LossCurves {
        try LossCurves(table: table, options: options)
    }

    /// The joint log-ratio problem over every curve.
    public func problem(for data: LossCurves) throws -> CurveFitProblem<Self> {
        try CurveFitProblem(law: self, curves: data.curves)
    }

    /// The same problem on the law's `screeningLaw` (reduced on a dense log or a long schedule).
    public func screeningProblem(for data: LossCurves) throws -> CurveFitProblem<Self> {
        try problem(for: data).screeningProblem()
    }

    /// On a dense log or a schedule of many change points, the reduced problem
    /// (`CurveFitProblem.reducedProblem`) and the screening problem on it: the search screens
    /// and polishes on fewer points and change points, and refines its best ends on all.
    public func stagedProblems(_ problem: CurveFitProblem<Self>) throws -> (screening: CurveFitProblem<Self>, reduced: CurveFitProblem<Self>)? {
        try problem.reducedProblem().map { (try $0.thinnedForScreening(), $0) }
    }

    /// The law's documented grid for these curves, as `searchSettings` makes it (its count
    /// of starts, the held values written in).
    public func starts(for data: LossCurves) -> [[Double]] {
        searchSettings.starts(startingGrid(for: data.curves), names: parameterNames,
                              bounds: searchSettings.bounds(bounds(for: data.curves), names: parameterNames))
    }
    /// The parameters `searchSettings` holds, or nil.
    public var fixed: [Bool]? { searchSettings.fixed(names: parameterNames) }

    /// The law's box for these curves with `searchSettings`' bounds and held values.
    public func bounds(for data: LossCurves) -> ParameterBounds? {
        searchSettings.bounds(bounds(for: data.curves), names: parameterNames)
    }

    /// The screened search: 20-evaluation screening runs (cost tolerance 1e-8), the distinct
    /// ends (1e-3) among the best 3 polished with `CurveFit.defaultOptions` (or
    /// `searchSettings`' budget), the law's loss and its log-scaled parameters.
    public var search: LawSearch {
        var options = searchSettings.options(solverOptions(CurveFit.defaultOptions))
        options.loss = loss
        return .screened(screeningEvaluations: CurveFit.screeningEvaluations, screeningFunctionTolerance: 1e-8,
                         selection: .distinctAmongBest(count: 3, tolerance: 1e-3), options: options)
    }

    /// L at every logged step, curve after curve.
    public func fitted(_ data: LossCurves, parameters: [Double]) -> [Double] {
        data.curves.flatMap { predict($0, parameters: parameters) }
    }

    /// The law's settings and each fitted curve's schedule under `schedule:NAME`.
    public func fileSettings(for data: LossCurves) -> [String: String] {
        var s = settings
        for (curve, schedule) in zip(data.curves, data.schedules) { s[FitFile.scheduleKey(curve.name)] = schedule.spec }
        return s
    }

    /// The query's steps sorted and distinct, checked (none negative, none past
    /// `LRSchedule.maximumSteps`), and η at every step up to the last. Steps from ranges come
    /// sorted and distinct (10⁶ of them for a long prediction): kept as they are
    /// (`increasing`), without a set or a position table. `query.steps` is not empty.
    private func checkedSteps(_ query: CurveQuery) throws -> (sorted: [Int], increasing: Bool, rates: [Double]) {
        let increasing = zip(query.steps, query.steps.dropFirst()).allSatisfy { $0 < $1 }
        let sorted = increasing ? query.steps : Array(Set(query.steps)).sorted()
        guard sorted[0] >= 0 else {
            throw ScaleFitError.invalidData(file: "query", reason: "step \(sorted[0]) is negative")
        }
        try LRSchedule.checkStep(sorted.last!, argument: "steps")
        try LRSchedule.checkStep(query.schedule.totalSteps - 1, argument: "schedule")
        return (sorted, increasing, query.schedule.rates(count: max(query.schedule.totalSteps, sorted.last! + 1)))
    }

    /// L at each step of the query (in the query's order), without the gradient.
    public func values(_ query: CurveQuery, parameters: [Double]) throws -> [Double] {
        guard !query.steps.isEmpty else { return [] }
        let (sorted, increasing, rates) = try checkedSteps(query)
        var values = [Double](repeating: 0, count: sorted.count)
        predict(prepare(rates: rates, steps: sorted), parameters: parameters, into: &values)
        if increasing { return values }
        let position = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
        return query.steps.map { values[position[$0]!] }
    }

    /// L at each step of the query (in the query's order) and ∂log L/∂θ = (∂L/∂θ)/L.
    public func evaluate(_ query: CurveQuery, parameters: [Double]) throws -> [LawValue] {
        guard !query.steps.isEmpty else { return [] }
        let (sorted, increasing, rates) = try checkedSteps(query)
        var values = [Double](repeating: 0, count: sorted.count)
        var gradient = [Double](repeating: 0, count: sorted.count * parameterNames.count)
        predictWithGradient(prepare(rates: rates, steps: sorted), parameters: parameters,
                            values: &values, gradient: &gradient)
        let n = sorted.count, p = parameterNames.count
        if increasing {
            return (0..<n).map { j in
                let v = values[j]
                return LawValue(value: v, logGradient: (0..<p).map { gradient[j + $0 * n] / v })
            }
        }
        let position = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
        return query.steps.map { step in
            let j = position[step]!
            let v = values[j]
            return LawValue(value: v, logGradient: parameterNames.indices.map { gradient[j + $0 * n] / v })
        }
    }
}
