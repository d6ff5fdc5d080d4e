import Foundation

/// The laws by name: what `scalefit laws` lists, what `--law` takes, and how a fit file is
/// opened as the fit of the law it names — one table instead of a list per command.
///
/// ```swift
/// let fit = try LawRegistry.load(path: "runs.fit.json")       // any FittedLaw
/// try fit.predict(.sizes([ModelSize(parameters: 7e10, tokens: 1.4e12)]))
/// ```
public enum LawRegistry {
    /// The laws on the `Law` protocol, in the order `scalefit laws` lists them.
    public static let laws: [any Law.Type] = [
        ChinchillaLaw.self, KaplanLaw.self, SaturatingPowerLaw.self, AnnealingLaw.self, MultiPowerLaw.self, FormulaLaw.self,
    ]

    /// Every law scalefit fits, with its formula and reference: the `Law` conformers, then
    /// the multilingual law (fitted family by family by `MultilingualFit`), and Hoffmann's
    /// approaches 2 and 1 (`IsoFLOPProfiles`, `LossEnvelope`: two-stage fits, not laws of
    /// the runs, so not on the protocol).
    public static var descriptions: [LawDescription] {
        laws.map { LawDescription(identifier: $0.identifier, formula: $0.defaultFormula, reference: $0.reference, onCommandLine: true) }
            .map { $0.identifier == FormulaLaw.identifier
                ? LawDescription(identifier: $0.identifier, formula: "any formula: --formula 'E + A*N^-alpha + B*D^-beta'",
                                 reference: $0.reference, onCommandLine: true) : $0 }
            + [LawDescription(identifier: MultilingualLaw.identifier, formula: MultilingualLaw.formula,
                              reference: "He et al. 2024 (per language family; Huber 1e-3 on log residuals, 72 starts; optimal --mix)",
                              onCommandLine: true),
               LawDescription(identifier: FitFile.isoflopLaw, formula: "N_opt = k*C^a, D_opt = C/(6*N_opt): parabola in ln N per compute budget, then a line in log-log",
                              reference: "Hoffmann et al. 2022, approach 2 (IsoFLOP profiles; bootstrap within budgets; optimal --compute)", onCommandLine: true),
               LawDescription(identifier: FitFile.envelopeLaw, formula: "N_opt = k*C^a, D_opt = C/(6*N_opt): lower envelope of loss against C = 6*N*D across curves",
                              reference: "Hoffmann et al. 2022, approach 1 (loss envelope; bootstrap over curves; optimal --compute)", onCommandLine: true)]
    }

    /// The loss-curve laws, fitted to curves under learning-rate schedules.
    public static let curveLaws: [any CurveFittingLaw.Type] = [AnnealingLaw.self, MultiPowerLaw.self]

    /// The loss-curve law named `identifier` with the options in `settings`.
    /// - Throws: `invalidData` naming `source` for a law that is not a loss-curve law or an
    ///   option it does not take.
    public static func curveLaw(named identifier: String, settings: [String: String] = [:],
                                source: String = "fit file") throws -> any CurveFittingLaw {
        guard let type = curveLaws.first(where: { $0.identifier == identifier }) else {
            throw ScaleFitError.invalidData(file: source, reason: "\"\(identifier)\" is not a loss-curve law (expected \(curveLaws.map { $0.identifier }.joined(separator: " or ")))")
        }
        return try type.init(settings: settings, source: source)
    }

    /// The identifiers of every law, as `--law` takes them.
    public static var identifiers: [String] { descriptions.map(\.identifier) }

    /// The `Law` type named `identifier`, or nil.
    public static func law(named identifier: String) -> (any Law.Type)? {
        laws.first { $0.identifier == identifier }
    }

    /// The fit a fit file holds, as the fit of the law it names.
    /// A multilingual file opens as a `MultilingualMixFit` (its families fitted one by one).
    /// - Throws: `invalidData` for a law that predicts no loss (Hoffmann's allocation fits,
    ///   NIST models) or parameters that do not match it.
    public static func fit(_ file: FitFile, source: String = "fit file") throws -> any FittedLaw {
        if file.law == MultilingualLaw.identifier { return try MultilingualMixFit(file: file, source: source) }
        guard let type = law(named: file.law) else {
            throw ScaleFitError.invalidData(file: source, reason: "the fit file holds the \(file.law) law, which is not a law of the runs' loss (laws here: \((laws.map { $0.identifier } + [MultilingualLaw.identifier]).joined(separator: ", "))); \(file.law == FitFile.isoflopLaw || file.law == FitFile.envelopeLaw ? "it holds a compute-optimal allocation" : "read it with FitFile")")
        }
        return try open(type, file, source)
    }

    /// The fit in the fit file at `path`.
    public static func load(path: String) throws -> any FittedLaw {
        try fit(try FitFile.read(path: path), source: path)
    }

    private static func open<L: Law>(_ type: L.Type, _ file: FitFile, _ source: String) throws -> any FittedLaw {
        try Fit<L>(file: file, source: source)
    }
}

/// A law scalefit knows, with its formula and where it comes from: a row of what
/// `scalefit laws` lists (`LawRegistry.descriptions`).
public struct LawDescription: Sendable, Codable, Equatable {
    /// The name `--law` takes and fit files keep (`Law.identifier`).
    public var identifier: String
    /// The law in one line, in ASCII.
    public var formula: String
    /// Where the law comes from, in a line.
    public var reference: String
    /// Whether `scalefit fit` can fit it yet (the others are library-only so far).
    public var onCommandLine: Bool
}

/// What a prediction is asked at, whatever the law: model sizes (Chinchilla, Kaplan), values
/// of one variable (the power law), or steps under a schedule (the curve laws). A law that
/// predicts at another kind of point refuses with the kind it takes.
public enum LawQuery: Sendable {
    /// Model sizes (N, D): Chinchilla, Kaplan.
    case sizes([ModelSize])
    /// Values of the law's one variable x: the power law.
    case values([Double])
    /// Steps under a schedule: the loss-curve laws.
    case curve(CurveQuery)
    /// Values of named variables, one array per variable, all of one length (formulas).
    case columns([String: [Double]])
    /// (N, D, p) points of named families (the multilingual law).
    case families([MultilingualFamilyPoint])

    /// The kinds of query, as a fit says which it takes (`FittedLaw.queryKind`).
    public enum Kind: String, Sendable, CaseIterable {
        /// `.sizes`.
        case sizes
        /// `.values`.
        case values
        /// `.curve`.
        case curve
        /// `.columns`.
        case columns
        /// `.families`.
        case families
    }

    /// In words, for errors.
    public var kind: String {
        switch self {
        case .sizes: return "model sizes (N, D)"
        case .values: return "values of x"
        case .curve: return "steps under a schedule"
        case .columns: return "values of named variables"
        case .families: return "(N, D, p) points of the families"
        }
    }
}

/// A fit of any law, as a command or a script holds it when the law is known only at run
/// time (from `--law` or a fit file).
public protocol FittedLaw: Sendable {
    var lawIdentifier: String { get }
    var parameterNames: [String] { get }
    var parameters: [Double] { get }
    var standardErrors: [Double] { get }
    var estimates: [ParameterEstimate] { get }
    var diagnostics: [FitDiagnostic] { get }
    var isSound: Bool { get }
    var file: FitFile { get }
    /// The kind of query the fit predicts at.
    var queryKind: LawQuery.Kind? { get }
    /// Predictions at `query` with intervals at `level`; `invalidData` when the law does
    /// not predict at that kind of point.
    func predict(_ query: LawQuery, level: Double) throws -> [Prediction]
    /// The compute-optimal allocation at each budget, with the bootstrap's intervals when
    /// the fit has resamples; nil for a law without one (`ComputeOptimalLaw`).
    func allocations(compute: [Double]) -> [(allocation: ComputeOptimalAllocation, intervals: [Bootstrap.Interval]?)]?
}

extension FittedLaw {
    /// None by default.
    public func allocations(compute: [Double]) -> [(allocation: ComputeOptimalAllocation, intervals: [Bootstrap.Interval]?)]? { nil }
}

extension Fit: FittedLaw {
    /// The law's identifier, as the fit file names it.
    public var lawIdentifier: String { L.identifier }

    /// The kind of `LawQuery` the law takes (the one its `query(_:)` accepts).
    public var queryKind: LawQuery.Kind? { law.queryKind }

    /// The allocation when the law is a `ComputeOptimalLaw`, else nil.
    public func allocations(compute: [Double]) -> [(allocation: ComputeOptimalAllocation, intervals: [Bootstrap.Interval]?)]? {
        guard let law = law as? any ComputeOptimalLaw else { return nil }
        return compute.map { c in
            (law.allocation(compute: c, parameters: parameters),
             bootstrap.map { b in ComputeOptimalAllocation.intervals(b.draws.map { law.allocation(compute: c, parameters: $0) }) })
        }
    }

    /// Predictions at a run-time query; `invalidData` naming the kind of point the law takes when `query` is of another kind.
    public func predict(_ query: LawQuery, level: Double = 0.95) throws -> [Prediction] {
        guard let q = law.query(query) else {
            throw ScaleFitError.invalidData(file: data.file, reason: "the \(L.identifier) law predicts at \(law.queryDescription), not at \(query.kind)")
        }
        return try predict(q, level: level)
    }
}

extension Law {
    /// The formula of the law with its default options.
    static var defaultFormula: String {
        let file = FitFile(law: identifier, formula: "", parameterNames: [], parameters: [], covariance: Matrix(rows: 0, columns: 0),
                           objective: 0, loss: RobustLoss.l2.spec, starts: 0, data: .init(file: "", rows: 0, droppedRows: 0))
        return (try? Self(fitFile: file, source: "").formula) ?? identifier
    }
}

extension Law where Query == [ModelSize] {
    /// The sizes of a `.sizes` query.
    public func query(_ q: LawQuery) -> [ModelSize]? {
        if case let .sizes(s) = q { return s }
        return nil
    }
    /// Model sizes (N, D).
    public var queryDescription: String { "model sizes (N, D)" }
    /// `.sizes`.
    public var queryKind: LawQuery.Kind? { .sizes }
}

extension Law where Query == [Double] {
    /// The values of a `.values` query.
    public func query(_ q: LawQuery) -> [Double]? {
        if case let .values(v) = q { return v }
        return nil
    }
    /// Values of the law's one variable.
    public var queryDescription: String { "values of x" }
    /// `.values`.
    public var queryKind: LawQuery.Kind? { .values }
}

extension Law where Query == CurveQuery {
    /// The schedule and steps of a `.curve` query.
    public func query(_ q: LawQuery) -> CurveQuery? {
        if case let .curve(c) = q { return c }
        return nil
    }
    /// Steps under a schedule.
    public var queryDescription: String { "steps under a schedule" }
    /// `.curve`.
    public var queryKind: LawQuery.Kind? { .curve }
}
