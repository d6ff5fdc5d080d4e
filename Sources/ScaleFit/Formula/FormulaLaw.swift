import Foundation

/// The user's own law, on the `Law` protocol: a `FormulaModel` with its starting grid, box
/// bounds and loss, fitted to y itself (residuals f(x; θ) − y, not log residuals) from every
/// start of the grid, with the exact Jacobian of the compiled formula.
///
/// ```swift
/// let law = try FormulaLaw(formula: "E + A*N^-alpha + B*D^-beta", variables: ["N", "D"],
///                          starts: try ParameterStarts(parsing: "E=2,A=400,B=400,alpha=0.3,beta=0.3"))
/// let fit = try ScaleFit.fit(file: "runs.csv", law: law,
///                            options: TableOptions(columns: [.loss: "loss"]))
/// ```
///
/// Variables are read from the table's columns of the same names (`columns` maps a
/// variable to another column); predictions take `.columns(["N": […], "D": […]])` and their
/// intervals are additive, ŷ ± z·√(gᵀΣg) with g = ∂f/∂θ.
public struct FormulaLaw: Law {
    /// The table's variable columns and observed column.
    public typealias Observations = FormulaData
    /// One column of values per variable, in `variables` order.
    public typealias Query = [[Double]]
    /// Residuals f(xᵢ; θ) − yᵢ with the exact Jacobian.
    public typealias Problem = FormulaProblem

    /// `formula`.
    public static let identifier = FitFile.formulaLaw
    /// Where the law comes from: the user.
    public static let reference = "your own law over the table's columns; exact Jacobian by forward-mode differentiation"

    /// The parsed and compiled formula with its variables and parameters.
    public let model: FormulaModel
    /// The starting grid, in parameter order.
    public var grid: [[Double]]
    /// Box bounds on the parameters, or nil.
    public var parameterBounds: ParameterBounds?
    /// The objective on the residuals (least squares by default).
    public var loss: RobustLoss
    /// A formula is fitted on y itself: residuals ŷ − y.
    public var residualScale: LawValue.Scale { .linear }
    /// Table column for a variable, where it is not the variable's own name.
    public var columns: [String: String]

    /// - Throws: `badArgument` for a formula that does not parse, a start missing for a
    ///   parameter, or a start or bound naming no parameter.
    public init(formula: String, variables: [String], starts: ParameterStarts, bounds: ParameterRanges? = nil,
                loss: RobustLoss = .l2, columns: [String: String] = [:]) throws {
        let model = try FormulaModel(formula: formula, variables: variables)
        self.model = model
        grid = try model.startingPoints(starts)
        parameterBounds = try bounds.map { try model.parameterBounds($0) }
        self.loss = loss
        self.columns = columns
    }

    /// The formula in canonical form.
    public var formula: String { model.canonicalFormula }
    /// The formula's parameters in order of first appearance.
    public var parameterNames: [String] { model.parameterNames }
    /// None: the formula and its variables have their own fields in the fit file.
    public var settings: [String: String] { [:] }
    /// The formula's variables, in the order predictions take them.
    public var variables: [String]? { model.variableNames }

    /// The formula a fit file holds (it predicts; the grid is empty).
    public init(fitFile: FitFile, source: String) throws {
        model = try fitFile.formulaModel(file: source)
        grid = []
        parameterBounds = nil
        loss = try RobustLoss(spec: fitFile.loss, flag: "\(source): loss")
        columns = [:]
    }

    /// The variable columns (through `columns`) and the observed column of `table`.
    public func observations(from table: RunTable, options: TableOptions) throws -> FormulaData {
        try FormulaData(table: table, variables: model.variableNames.map { columns[$0] ?? $0 },
                        parameterCount: parameterNames.count, options: options)
    }

    /// The formula bound to `data`.
    public func problem(for data: FormulaData) throws -> FormulaProblem {
        try FormulaProblem(model: model, inputs: data.inputs, observed: data.observed)
    }

    /// The `--start` grid.
    public func starts(for data: FormulaData) -> [[Double]] { grid }
    /// The `--bounds` box.
    public func bounds(for data: FormulaData) -> ParameterBounds? { parameterBounds }
    /// Every start run to convergence.
    public var search: LawSearch { .everyStart(options: SolverOptions(loss: loss)) }

    /// f(xᵢ; θ) for every row.
    public func fitted(_ data: FormulaData, parameters: [Double]) -> [Double] {
        (try? model.values(inputs: data.inputs, parameters: parameters)) ?? []
    }

    /// rᵢ = f(xᵢ; θ) − yᵢ at every row, as the fit minimises them (the problem's own residuals).
    public func residuals(_ data: FormulaData, parameters: [Double]) throws -> [Double] {
        let problem = try problem(for: data)
        var r = [Double](repeating: 0, count: problem.residualCount)
        problem.residuals(at: parameters, into: &r)
        return r
    }

    /// f and ∂f/∂θ at each row of `query` (one column per variable, in `variables` order).
    public func evaluate(_ query: [[Double]], parameters: [Double]) throws -> [LawValue] {
        let values = try model.values(inputs: query, parameters: parameters)
        let jacobian = try model.jacobian(inputs: query, parameters: parameters)
        return values.indices.map { i in
            LawValue(value: values[i], gradient: parameters.indices.map { jacobian[i, $0] }, scale: .linear)
        }
    }

    /// The columns of a `.columns` query naming exactly the formula's variables.
    public func query(_ q: LawQuery) -> [[Double]]? {
        guard case let .columns(byName) = q else { return nil }
        let columns = model.variableNames.compactMap { byName[$0] }
        guard columns.count == model.variableNames.count, Set(byName.keys) == Set(model.variableNames) else { return nil }
        return columns
    }

    /// Values of the formula's variables.
    public var queryKind: LawQuery.Kind? { .columns }
    /// Values of the formula's variables, in words.
    public var queryDescription: String { "values of its variables (\(model.variableNames.joined(separator: ", ")))" }
}

/// A table's rows as a formula sees them: one column per variable and the observed column.
public struct FormulaData: LawObservations {
    /// One column per variable, in the formula's variable order.
    public var inputs: [[Double]]
    /// The observed column yᵢ.
    public var observed: [Double]
    /// The run column's text, or `line K`.
    public var labels: [String]
    /// The source line of each row.
    public var lines: [Int]
    /// Rows that could not be used.
    public var dropped: DroppedRows
    /// The file the rows came from.
    public var file: String
    /// The columns used, in words.
    public var columnsDescription: String

    /// The rows of `table` with every variable column and the observed column (`options`'
    /// `.loss` column, or the detected loss) numeric; others dropped and counted.
    /// - Throws: `missingColumn` for a variable that is no column; `invalidData` when the
    ///   observed column is also a variable or too few rows remain for `parameterCount`.
    public init(table: RunTable, variables: [String], parameterCount: Int, options: TableOptions = TableOptions()) throws {
        let mapping = try ColumnMapping.detect(in: table, overrides: options.columns)
        let yName = try mapping.require(.loss, in: table)
        let names = try variables.map { try table.requireColumn(named: $0).name }
        guard !names.contains(yName) else {
            throw ScaleFitError.invalidData(file: table.fileName, reason: "the observed column \"\(yName)\" is also a variable of the formula")
        }
        let runColumn = mapping[.run].flatMap { names.contains($0) || $0 == yName ? nil : $0 }
        let (usable, dropped) = try table.usableRows(numericColumns: names + [yName], strict: options.strict)
        inputs = try names.map { try usable.values(of: $0) }
        observed = try usable.values(of: yName)
        guard observed.count > parameterCount else {
            throw ScaleFitError.invalidData(file: table.fileName, reason: "the formula has \(parameterCount) parameters; \(observed.count) usable rows cannot determine them with any residual left")
        }
        lines = usable.lineNumbers
        labels = usable.rowLabels(column: runColumn)
        self.dropped = dropped
        file = table.fileName
        columnsDescription = zip(variables, names).map { "\($0)=\"\($1)\"" }.joined(separator: ", ")
            + (variables.isEmpty ? "" : ", ") + "observed=\"\(yName)\"" + (runColumn.map { ", run=\"\($0)\"" } ?? "")
    }

    /// The file, the rows used and the rows dropped.
    public var summary: FitFile.DataSummary { .init(file: file, rows: observed.count, droppedRows: dropped.count) }
}

extension FormulaData: ResamplableObservations {
    /// The rows.
    public var unitCount: Int { observed.count }
    /// The rows at `indices`, repeats allowed.
    public func resampled(_ indices: [Int]) -> FormulaData {
        var s = self
        s.inputs = inputs.map { column in indices.map { column[$0] } }
        s.observed = indices.map { observed[$0] }
        s.labels = indices.map { labels[$0] }
        s.lines = indices.map { lines[$0] }
        return s
    }
}
