import Foundation
import ScaleFit

/// `scalefit fit runs.csv --formula 'E + A*N^-alpha' --start E=2,A=400,alpha=0:1:0.25`:
/// fits the user's own law to a table and prints the parameters with standard errors, the
/// goodness of fit, the solver's summary and the residual table.
///
/// Variables are table columns: those `--x` lists, or else every name of the formula that
/// is a column (exact spelling); every other name is a parameter and needs a `--start`
/// value or grid. The observed column is `--y` or the detected loss column.
enum FormulaFitting {
    /// The formula's names that stand for a column role when no column has that name.
    static let roleAliases: [String: ColumnRole] = ["N": .params, "D": .tokens]

    static func fit(_ input: FitInput) throws -> Int32 {
        let (path, args, format, out, table) = (input.path, input.args, input.format, input.out, input.table!)
        let text = args.text(FormulaOptions.formula) ?? ""
        let startText = args.text(FormulaOptions.start)
        let starts = try startText.map { try ParameterStarts(parsing: $0, flag: "--start") } ?? ParameterStarts(flag: "--start", entries: [])
        let variables = try variableNames(formula: text, table: table, listed: args.text(InputOptions.x), starts: starts)
        let model = try FormulaModel(formula: text, variables: variables)
        for name in variables where !model.usedVariableNames.contains(name) {
            throw ScaleFitError.badArgument(flag: "--x", position: 0, expected: "a column the formula uses", found: name)
        }
        let points = try startingPoints(model, startText, table: table)
        if variables.isEmpty {
            out.note("warning: no name in the formula is a column of \(path) (columns: \(table.columnNames.joined(separator: ", "))); fitting a constant")
        }
        let ranges = try args.value(FormulaOptions.bounds)
        _ = try ranges.map { try model.parameterBounds($0) }
        var loss = RobustLoss.l2
        if let given = try args.value(SolverOptionsGroup.loss) { loss = given }

        var overrides: [ColumnRole: String] = [:]
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let yName = try mapping.require(.loss, in: table)
        let columns = try self.columns(of: variables, in: table, mapping: mapping)
        guard !columns.contains(yName) else {
            throw UsageError(message: "--y: the observed column \"\(yName)\" is also a variable of the formula")
        }
        let labelColumn = mapping[.run].flatMap { columns.contains($0) || $0 == yName ? nil : $0 }
        out.note("columns: " + zip(variables, columns).map { "\($0)=\"\($1)\"" }.joined(separator: ", ")
               + (variables.isEmpty ? "" : ", ") + "observed=\"\(yName)\"" + (labelColumn.map { ", run=\"\($0)\"" } ?? ""))
        let law = try FormulaLaw(formula: text, variables: variables, starts: starts, bounds: ranges,
                                 loss: loss, columns: Dictionary(zip(variables, columns), uniquingKeysWith: { a, _ in a }))
        let data = try law.observations(from: table, options: TableOptions(columns: [.loss: yName], strict: args.has(InputOptions.strict)))
        if !data.dropped.isEmpty { out.note("\(path): \(data.dropped)") }
        let n = model.parameterNames.count
        out.note("fitting \(model.canonicalFormula) from \(points.count) start\(points.count == 1 ? "" : "s") on \(data.observed.count) rows…")
        var fit = try Fit(law, to: data)
        fit.data.file = path
        // The one bootstrap over runs (here rows), of the same formula, columns, starts, bounds and loss.
        fit.bootstrap = try PowerFitting.bootstrap(fit, data, args: args, out: out)
        let report = try FormulaFitReport(fit: fit, data: data)
        if report.rank < n {
            out.note("warning: the Jacobian at the optimum has rank \(report.rank) of \(n): some combination of parameters is not determined by the data")
        }
        var saved: FitFile?
        if args.has(OutputOptions.output) || args.has(OutputOptions.report) {
            saved = NoiseEstimate.attachResidual(fit.file.withDiagnostics(report.diagnostics), observed: data.observed,
                                                 fitted: law.fitted(data, parameters: fit.parameters),
                                                 parameterCount: report.observations - report.degreesOfFreedom, scale: .linear, out: out)
        }
        if let file = args.text(OutputOptions.output), let saved { try writeFitFile(saved, to: file, args: args, out: out) }
        try writeFigures(report, fit: fit, data: data, saved: saved, observedName: yName, path: path, args: args, out: out)
        warnIfUnsound(report.diagnostics, out: out)
        try out.write(render(report, observedName: yName, format: format, correlation: args.has(OutputOptions.correlation)))
        if !report.summary.converged {
            out.note("scalefit: \(report.summary.message)")
            return 1
        }
        return 0
    }

    /// The column of each variable: the column of that name, or for a role alias (`N`, `D`)
    /// without one, the column detected for its role.
    static func columns(of variables: [String], in table: RunTable, mapping: ColumnMapping) throws -> [String] {
        try variables.map { name in
            if table.columnIndex(named: name) == nil, let role = roleAliases[name], let column = mapping[role] { return column }
            return try table.requireColumn(named: name).name
        }
    }

    /// The `--x` columns, or the formula's names that are columns of `table` (exact
    /// spelling) or role aliases (`N`, `D`) with a detected column and no `--start`, in order
    /// of first appearance.
    static func variableNames(formula: String, table: RunTable, listed: String?, starts: ParameterStarts) throws -> [String] {
        if let listed {
            let names = listed.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            for name in names where name.isEmpty {
                throw UsageError(message: "--x: expected column names separated by commas, found \"\(listed)\"")
            }
            return names
        }
        // Parsed once without variables, every name is a parameter: those that are columns are the variables.
        let names = try FormulaModel(formula: formula, variables: []).parameterNames
        let columns = Set(table.columnNames)
        let mapping = try? ColumnMapping.detect(in: table)
        return names.filter { name in
            if columns.contains(name) { return true }
            guard starts[name] == nil, let role = roleAliases[name], let mapping else { return false }
            return mapping[role] != nil
        }
    }

    /// The `--start` grid in parameter order. A parameter without a start is a usage error
    /// naming every parameter that lacks one (and the column a name differs from only in case).
    static func startingPoints(_ model: FormulaModel, _ text: String?, table: RunTable) throws -> [[Double]] {
        let starts = try text.map { try ParameterStarts(parsing: $0, flag: "--start") } ?? ParameterStarts(flag: "--start", entries: [])
        do {
            return try model.startingPoints(starts)
        } catch let ScaleFitError.badArgument(flag, _, expected, _) where flag == "formula" && expected.hasSuffix("for this parameter") {
            let missing = model.parameterNames.filter { starts[$0] == nil }
            let hints = missing.compactMap { name in
                table.column(named: name).map { "; \(name) is not a column (did you mean \"\($0.name)\"? names are case-sensitive)" }
            }
            throw UsageError(message: "--start: no starting value for the parameter\(missing.count == 1 ? "" : "s") "
                             + missing.joined(separator: ", ") + " of the formula (give --start "
                             + missing.map { "\($0)=…" }.joined(separator: ",") + ")" + hints.joined())
        }
    }

    /// `--plot FILE.svg` and `--report DIR`: the data and the fitted formula against its one
    /// variable, or observed against fitted for several (`FormulaPlot`), and the report folder.
    static func writeFigures(_ report: FormulaFitReport, fit: Fit<FormulaLaw>, data: FormulaData, saved: FitFile?,
                             observedName: String, path: String, args: ParsedArguments, out: CommandOutput) throws {
        guard args.has(OutputOptions.plot) || args.has(OutputOptions.report) else { return }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let svg = try figure(fit, data: data, observedName: observedName, title: "\(name): \(observedName) ~ ",
                             diagnostics: report.diagnostics)
        if let file = args.text(OutputOptions.plot) { try writePlot(svg, to: file, out: out) }
        if let dir = args.text(OutputOptions.report) {
            try ReportDirectory(title: "\(observedName) ~ \(report.formula) fitted to \(name)",
                                markdown: render(report, observedName: observedName, format: .markdown, correlation: true),
                                fitFile: saved, parameters: parameterTable(report),
                                residuals: rowTable(report).appending(column: "role", value: "fitted"), svg: svg).write(to: dir, out: out)
        }
    }

    /// The figure of `fit` over `data` (`FormulaPlot`), titled `title` and the formula, its
    /// fitted values below, flagged when `diagnostics` say the fit is not sound: what
    /// `fit --formula --plot` and `plot FORMULA.fit.json DATA` draw.
    static func figure(_ fit: Fit<FormulaLaw>, data: FormulaData, observedName: String, title: String,
                       diagnostics: [String]) throws -> String {
        try FormulaPlot(fit: fit, data: data, observedName: observedName)
            .figure(title: title + PlotTitle.greek(fit.law.formula),
                    subtitle: PlotTitle.values(names: fit.estimates.map(\.name), values: fit.estimates.map(\.estimate)))
            .flagged(diagnostics).svg()
    }

    static func parameterTable(_ r: FormulaFitReport) -> TextTable {
        NISTFitting.precisionTable(r.parameters)
    }

    /// The residual table: one row per data row.
    static func rowTable(_ r: FormulaFitReport) -> TextTable {
        TextTable(header: ["run"] + r.variables + ["observed", "fitted", "residual", "rel_residual"],
                  rows: r.rows.map { row in
                      [row.label] + row.inputs.map { formatSignificant($0, digits: 6) }
                          + [formatSignificant(row.observed, digits: 8), formatSignificant(row.fitted, digits: 8),
                             formatSignificant(row.residual, digits: 4), formatSignificant(row.relativeResidual, digits: 3)]
                  })
    }

    static func render(_ r: FormulaFitReport, observedName: String, format: OutputFormat, correlation: Bool = false) -> String {
        if format == .json { return jsonText(r) }
        let style = format.style
        let params = parameterTable(r)
        if style == .csv { return (correlation ? StatisticsText.withCorrelationColumns(params, r.statistics) { $0[0] } : params).render(.csv) }
        let stats = TextTable(header: ["statistic", "value"], rows: [
            ["observations", "\(r.observations)"],
            ["degrees_of_freedom", "\(r.degreesOfFreedom)"],
            ["residual_sum_of_squares", formatSignificant(r.residualSumOfSquares, digits: 10)],
            ["rmse", formatSignificant(r.rmse, digits: 6)],
            ["r_squared", formatSignificant(r.rSquared, digits: 8)],
            ["mean_abs_rel_error", formatSignificant(r.meanAbsoluteRelativeError, digits: 4)],
            ["starts_at_best", "\(r.startsAtBest)/\(r.starts)"],
        ] + StatisticsText.rows(r.statistics))
        let rows = rowTable(r)
        let head = style == .markdown ? "## " : ""
        let s = r.summary
        return """
        \(head)formula: \(observedName) ~ \(r.formula)
        loss: \(r.loss); \(s.message); best of \(r.starts) start\(r.starts == 1 ? "" : "s")
        \(FitDiagnostic.reportLine(r.diagnostics))\(s.effort), cost \(formatSignificant(s.initialCost)) -> \(formatSignificant(s.finalCost, digits: 10))

        \(params.render(style))
        \(StatisticsText.correlationBlock(r.statistics, shown: correlation, style: style))\(stats.render(style))
        \(PowerFitting.bootstrapTable(r.bootstrap, style: style))\(rows.render(style))
        """
    }
}
