import Foundation

/// One language family's multilingual law (He et al. 2024) on the `Law` protocol, in the
/// log-sum-exp form the family is fitted in:
///
/// ```
/// log L(N, D, p) = LSE(e, a − α·log N, b − β·log D) − γ·log p,   θ = (e, a, b, α, β, γ)
/// ```
///
/// with e = log E, a = log A, b = log B (`MultilingualLaw.Family`), minimised as Huber(δ) on
/// the log residuals of the family's rows. Under the paper's hypothesis a family's loss
/// depends on its own sampling ratio only, so the multilingual law is fitted family by
/// family, each family a `Fit<MultilingualFamilyLaw>` (`MultilingualFit` puts them
/// together, and with shared parameters polishes them jointly).
///
/// The search is `Fit`'s screened one: from every start of `MultilingualLaw.startGrid` (a
/// held parameter at its value in every start) a screening run of at most 2000 evaluations
/// at tolerances of at least 1e-8 (gradient 1e-10), then the best run polished to the full
/// tolerances, kept unless the polish ends above it (`.bestOrScreening`). log L is smooth
/// and the 72-start grid small, so one polish suffices.
public struct MultilingualFamilyLaw: Law {
    /// The family's rows.
    public typealias Observations = MultilingualFamilyRows
    /// Points (N, D, p) of the family.
    public typealias Query = [MultilingualPoint]
    /// The family's log residuals with the analytic Jacobian.
    public typealias Problem = MultilingualLogProblem

    /// `multilingual-family`: one family of the multilingual law (fit files hold the whole
    /// law, `multilingual`, with every family).
    public static let identifier = "multilingual-family"
    /// Where the law comes from.
    public static let reference = "He et al. 2024, one language family (Huber on log residuals, LSE form)"
    /// The screening runs' evaluation budget.
    public static let screeningEvaluations = 2000

    /// The family's name, as in the data.
    public var family: String
    /// Huber δ on log residuals.
    public var delta: Double
    /// Parameters held at a value (index 0…5 in `MultilingualLaw.familyParameterNames` order
    /// → value, log-space for e, a, b).
    public var held: [Int: Double]
    /// The start grid before the held values are put in.
    public var grid: [[Double]]
    /// The polishing runs' tolerances and budget (the loss is Huber(δ) whatever they say).
    public var solverOptions: SolverOptions

    /// The law of `family`, fitted with Huber(`delta`) from `starts`, the parameters in `held` at their values.
    public init(family: String, delta: Double = 1e-3, held: [Int: Double] = [:], starts: [[Double]] = MultilingualLaw.startGrid,
                solverOptions: SolverOptions = SolverOptions()) {
        self.family = family
        self.delta = delta
        self.held = held
        grid = starts
        self.solverOptions = solverOptions
    }

    /// The family's law in one line.
    public var formula: String { "L_\(family)(N, D, p) = (E + A/N^alpha + B/D^beta) * p^(-gamma)" }
    /// e, a, b, alpha, beta, gamma.
    public var parameterNames: [String] { MultilingualLaw.familyParameterNames }
    /// E, A, B (the exponentials of e, a, b), alpha, beta, gamma.
    public var reportedParameters: [(name: String, exponentiated: Bool)] {
        MultilingualLaw.naturalParameterNames.enumerated().map { ($1, $0 < 3) }
    }
    /// `family`, and each held parameter as `held.NAME` (its log-space value).
    public var settings: [String: String] {
        var s = ["family": family]
        for (k, v) in held { s["held.\(MultilingualLaw.familyParameterNames[k])"] = "\(v)" }
        return s
    }
    /// Huber(δ).
    public var loss: RobustLoss { .huber(scale: delta) }

    /// The family law a fit file of one family holds (`settings`: `family`, `held.NAME`).
    /// - Throws: `invalidData` for a file without a family or with a loss other than Huber.
    public init(fitFile: FitFile, source: String) throws {
        let settings = fitFile.settings ?? [:]
        guard case let .huber(delta) = try RobustLoss(spec: fitFile.loss, flag: "\(source): loss") else {
            throw ScaleFitError.invalidData(file: source, reason: "a multilingual family is fitted with a Huber loss, found \(fitFile.loss)")
        }
        var held: [Int: Double] = [:]
        for (k, name) in MultilingualLaw.familyParameterNames.enumerated() {
            if let text = settings["held.\(name)"] {
                guard let v = Double(text) else { throw ScaleFitError.invalidData(file: source, reason: "held.\(name) is not a number: \(text)") }
                held[k] = v
            }
        }
        self.init(family: settings["family"] ?? "", delta: delta, held: held, starts: [])
    }

    /// The rows of `family` in `table` (columns by role unless `options` names them).
    /// - Throws: as `MultilingualData.read`; `invalidData` when no row is of the family.
    public func observations(from table: RunTable, options: TableOptions) throws -> MultilingualFamilyRows {
        let mapping = try ColumnMapping.detect(in: table, overrides: options.columns)
        let data = try MultilingualData.read(table: table, mapping: mapping, strict: options.strict).data
        guard let f = data.familyNames.firstIndex(of: family) else {
            throw ScaleFitError.invalidData(file: data.file, reason: "no row of the family \(family) (families: \(data.familyNames.joined(separator: ", ")))")
        }
        return MultilingualFamilyRows(data, family: f)
    }

    /// The family's log residuals.
    public func problem(for data: MultilingualFamilyRows) throws -> MultilingualLogProblem {
        MultilingualLogProblem(parameters: data.parameters, tokens: data.tokens, ratios: data.ratios, loss: data.loss)
    }

    /// The grid with each held parameter at its value.
    public func starts(for data: MultilingualFamilyRows) -> [[Double]] {
        grid.map { s in (0..<6).map { held[$0] ?? s[$0] } }
    }
    /// None.
    public func bounds(for data: MultilingualFamilyRows) -> ParameterBounds? { nil }
    /// The held parameters.
    public var fixed: [Bool]? { (0..<6).map { held[$0] != nil } }
    /// Screening runs of `screeningEvaluations`, the best end polished.
    public var search: LawSearch {
        var options = solverOptions
        options.loss = loss
        return .screened(screeningEvaluations: Self.screeningEvaluations, screeningFunctionTolerance: nil,
                         selection: .bestOrScreening, options: options)
    }

    /// L at every row.
    public func fitted(_ data: MultilingualFamilyRows, parameters: [Double]) -> [Double] {
        (try? evaluate(data.points, parameters: parameters).map(\.value)) ?? []
    }

    /// L and ∂log L/∂θ at each point (`MultilingualLaw.logLoss`).
    /// - Throws: `invalidData` for a point with N, D or p not positive.
    public func evaluate(_ query: [MultilingualPoint], parameters: [Double]) throws -> [LawValue] {
        try query.map { q in
            guard q.parameters > 0, q.tokens > 0, q.ratio > 0 else {
                throw ScaleFitError.invalidData(file: "query", reason: "N, D and the ratio must be positive, found (\(q.parameters), \(q.tokens), \(q.ratio))")
            }
            let (v, g) = MultilingualLaw.logLoss(parameters[...], logN: log(q.parameters), logD: log(q.tokens), logP: log(q.ratio))
            return LawValue(value: exp(v), logGradient: g)
        }
    }

    /// None of `LawQuery`'s kinds: a family predicts at (N, D, p).
    public func query(_ query: LawQuery) -> [MultilingualPoint]? { nil }
    /// (N, D, p) points.
    public var queryDescription: String { "(N, D, p) points of the family \(family)" }
    /// None: a family is asked through its own query (the whole mix: `LawQuery.families`).
    public var queryKind: LawQuery.Kind? { nil }
}

/// A model size, total tokens and the family's sampling ratio.
public struct MultilingualPoint: Sendable, Equatable {
    /// N.
    public var parameters: Double
    /// D.
    public var tokens: Double
    /// p, in (0, 1].
    public var ratio: Double
    /// (N, D, p).
    public init(parameters: Double, tokens: Double, ratio: Double) {
        self.parameters = parameters
        self.tokens = tokens
        self.ratio = ratio
    }
}

/// One family's rows of a `MultilingualData`.
public struct MultilingualFamilyRows: LawObservations {
    /// The family's name.
    public var family: String
    /// N, D, p and the loss of each of the family's rows, in the data's order.
    public var parameters: [Double], tokens: [Double], ratios: [Double], loss: [Double]
    /// Each row's run.
    public var runs: [String]
    /// The file, with the rows of every family and those dropped.
    public var file: String
    /// How many rows of the table were dropped.
    public var droppedRows: Int

    /// The rows of family `f` (an index into `data.familyNames`).
    public init(_ data: MultilingualData, family f: Int) {
        let rows = data.rows(of: f)
        family = data.familyNames[f]
        parameters = rows.map { data.parameters[$0] }
        tokens = rows.map { data.tokens[$0] }
        ratios = rows.map { data.ratios[$0] }
        loss = rows.map { data.loss[$0] }
        runs = rows.map { data.runs[$0] }
        file = data.file
        droppedRows = data.droppedRowCount
    }

    /// (N, D, p) of each row.
    public var points: [MultilingualPoint] {
        parameters.indices.map { MultilingualPoint(parameters: parameters[$0], tokens: tokens[$0], ratio: ratios[$0]) }
    }
    /// The family's losses.
    public var observed: [Double] { loss }
    /// Each row's run.
    public var labels: [String] { runs }
    /// The file, the family's rows, the rows dropped.
    public var summary: FitFile.DataSummary { .init(file: file, rows: loss.count, droppedRows: droppedRows) }
}

extension MultilingualFamilyRows: GroupedObservations {
    /// Whether the family's rows are grouped by model size (two sizes or more) or, trained
    /// at one size, by sampling ratio.
    var groupsBySize: Bool { Set(parameters).count >= 2 }
    /// "model sizes" or "ratios", for reports.
    var groupKind: String { groupsBySize ? "model sizes" : "ratios" }
    /// One group per model size N (at most 8 bands), or per ratio p for a family trained at
    /// one size: what a leave-one-group-out fold leaves out.
    public var groups: [Int] {
        groupsBySize ? SizeGroups.groups(parameters, name: "N").groups : SizeGroups.groups(ratios, name: "p").groups
    }
    /// `N 5e+07`, or `p 0.3` (or a band of them).
    public var groupNames: [String] {
        groupsBySize ? SizeGroups.groups(parameters, name: "N").names : SizeGroups.groups(ratios, name: "p").names
    }
    /// The rows of the groups at `kept`.
    public func keeping(groups kept: [Int]) -> MultilingualFamilyRows {
        let g = groups, keep = Set(kept)
        let rows = g.indices.filter { keep.contains(g[$0]) }
        var out = self
        out.parameters = rows.map { parameters[$0] }
        out.tokens = rows.map { tokens[$0] }
        out.ratios = rows.map { ratios[$0] }
        out.loss = rows.map { loss[$0] }
        out.runs = rows.map { runs[$0] }
        return out
    }
}
