import Foundation
import ScaleFit

/// `scalefit fit runs.csv --law power|kaplan`: the saturating power law L = E + A·x^(−α) on
/// one column, or Kaplan et al.'s L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D, fitted on log L
/// (least squares unless `--loss` says otherwise) from each law's data-relative start grid.
/// Prints parameters with standard errors, goodness of fit, the solver's summary and the
/// per-run residual table; `-o` saves a version-2 fit file that `predict` reads.
enum PowerFitting {
    /// The runs of a power-law or Kaplan fit or backtest (`--x`, `--y`, `--strict`), each
    /// with its source line and label; the columns and dropped rows said on stderr.
    struct Read<Runs> {
        let runs: Runs
        /// The power law's x column (nil for Kaplan's).
        let xName: String?
        /// x as the figure labels it (FLOPs for compute).
        let xLabel: String
    }

    /// The table's columns by role, with `--x` and `--y` in place.
    static func mapping(_ input: FitInput, law: FitLaw) throws -> (mapping: ColumnMapping, xNames: [String]?) {
        let (args, table) = (input.args, input.table!)
        var overrides: [ColumnRole: String] = [:]
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        var xNames: [String]? = nil
        if let x = args.text(InputOptions.x) {
            let names = x.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard names.count == (law == .power ? 1 : 2) else {
                throw UsageError(message: law == .power
                                 ? "--x: expected one column for the power law, found \"\(x)\""
                                 : "--x: expected two columns PARAMS,TOKENS for kaplan, found \"\(x)\"")
            }
            for name in names where table.columnIndex(named: name) == nil {
                throw ScaleFitError.missingColumn(file: table.fileName, name: name, available: table.columnNames)
            }
            xNames = names.map { table.columns[table.columnIndex(named: $0)!].name }
            if law == .kaplan { overrides[.params] = names[0]; overrides[.tokens] = names[1] }
        }
        return (try ColumnMapping.detect(in: table, overrides: overrides), xNames)
    }

    /// The power law's runs: x from `--x`, else params, tokens or compute.
    static func powerRuns(_ input: FitInput) throws -> Read<PowerLawRuns> {
        let (path, args, out, table) = (input.path, input.args, input.out, input.table!)
        let (mapping, xNames) = try mapping(input, law: .power)
        let lName = try mapping.require(.loss, in: table)
        let labelColumn = mapping[.run]
        guard let xName = xNames?[0] ?? mapping[.params] ?? mapping[.tokens] ?? mapping[.compute] else {
            _ = try mapping.require(.params, in: table)
            throw ScaleFitError.missingColumn(file: table.fileName, name: "params", available: table.columnNames)
        }
        out.note("columns: x=\"\(xName)\", loss=\"\(lName)\"" + (labelColumn.map { ", run=\"\($0)\"" } ?? ""))
        let (usable, dropped) = try table.usableRows(numericColumns: [xName, lName], strict: args.has(InputOptions.strict))
        if !dropped.isEmpty { out.note("\(path): \(dropped)") }
        let x = try usable.values(of: xName), l = try usable.values(of: lName)
        try checkPositive([x, l], names: [xName, lName], lines: usable.lineNumbers, path: path)
        guard x.count >= 4 else {
            throw ScaleFitError.invalidData(file: path, reason: "the power law has 3 parameters; \(x.count) usable runs cannot determine them with any residual left")
        }
        try RunVariation.check(x: x, loss: l, variable: xName, file: path)
        var runs = try PowerLawRuns(x: x, loss: l, variable: xName, file: path)
        runs.lines = usable.lineNumbers
        runs.labels = labels(usable, labelColumn)
        runs.dropped = dropped
        return Read(runs: runs, xName: xName, xLabel: xName == mapping[.compute] ? "\(xName) (FLOPs)" : xName)
    }

    /// Kaplan's runs: params, and tokens or compute (tokens = compute / (6 params)).
    static func kaplanRuns(_ input: FitInput) throws -> Read<ModelRuns> {
        let (path, args, out, table) = (input.path, input.args, input.out, input.table!)
        let (mapping, _) = try mapping(input, law: .kaplan)
        let lName = try mapping.require(.loss, in: table)
        let labelColumn = mapping[.run]
        let nName = try mapping.require(.params, in: table)
        let dName = mapping[.tokens]
        let cName = dName == nil ? mapping[.compute] : nil
        guard dName != nil || cName != nil else {
            _ = try mapping.require(.tokens, in: table)
            throw ScaleFitError.missingColumn(file: table.fileName, name: "tokens", available: table.columnNames)
        }
        out.note("columns: params=\"\(nName)\", \(dName.map { "tokens=\"\($0)\"" } ?? "compute=\"\(cName!)\" (tokens = compute / (6 params))"), loss=\"\(lName)\"" + (labelColumn.map { ", run=\"\($0)\"" } ?? ""))
        let (usable, dropped) = try table.usableRows(numericColumns: [nName, lName, dName ?? cName!], strict: args.has(InputOptions.strict))
        if !dropped.isEmpty { out.note("\(path): \(dropped)") }
        let n = try usable.values(of: nName), l = try usable.values(of: lName)
        let d = try dName.map { try usable.values(of: $0) } ?? zip(try usable.values(of: cName!), n).map { $0 / (6 * $1) }
        try checkPositive([n, d, l], names: ["params", "tokens", "loss"], lines: usable.lineNumbers, path: path)
        guard n.count >= 5 else {
            throw ScaleFitError.invalidData(file: path, reason: "Kaplan's law has 4 parameters; \(n.count) usable runs cannot determine them with any residual left")
        }
        try RunVariation.check(N: n, D: d, loss: l, law: "kaplan", file: path)
        var runs = try ModelRuns(N: n, D: d, loss: l, labels: labels(usable, labelColumn), file: path)
        runs.lines = usable.lineNumbers
        runs.dropped = dropped
        return Read(runs: runs, xName: nil, xLabel: "params")
    }

    static func fit(_ input: FitInput, law fitLaw: FitLaw) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        let lossSpec = try args.value(SolverOptionsGroup.loss) ?? .l2
        if fitLaw == .power {
            let read = try powerRuns(input)
            let runs = read.runs, xName = read.xName!
            out.note("fitting power law on \(runs.x.count) runs…")
            var fit = try Fit(SaturatingPowerLaw(variable: xName, loss: lossSpec), to: runs)
            fit.bootstrap = try bootstrap(fit, runs, args: args, out: out)
            var report = try LawFitReport(fit, data: runs, formula: SaturatingPowerLaw.formula + ", x = \(xName)", inputNames: [xName],
                                          inputs: runs.x.map { [$0] }, lines: runs.lines, labels: runs.labels)
            report.diagnostics += RunVariation.trendWarnings(x: runs.x, loss: runs.loss, variable: xName)
            let saved = try savedFile(fit, report: report, data: runs, args: args, out: out)
            let fitted = SaturatingPowerLaw.Parameters(fittedParameters: fit.parameters)
            try writeFigures(report, saved: saved, path: path, args: args, out: out) {
                try PowerLawPlot.oneVariable(x: runs.x, observed: runs.loss, law: fitted.loss(at:), xLabel: read.xLabel)
            }
            return try finish(report, format: format, correlation: args.has(OutputOptions.correlation), out: out)
        }
        let read = try kaplanRuns(input)
        let runs = read.runs
        out.note("fitting kaplan on \(runs.N.count) runs…")
        var fit = try Fit(KaplanLaw(loss: lossSpec), to: runs)
        fit.bootstrap = try bootstrap(fit, runs, args: args, out: out)
        var report = try LawFitReport(fit, data: runs, formula: KaplanLaw.formula, inputNames: ["params", "tokens"],
                                      inputs: zip(runs.N, runs.D).map { [$0, $1] }, lines: runs.lines, labels: runs.labels)
        report.diagnostics += RunVariation.trendWarnings(N: runs.N, D: runs.D, loss: runs.loss)
        let saved = try savedFile(fit, report: report, data: runs, args: args, out: out)
        let fitted = KaplanLaw.Parameters(fittedParameters: fit.parameters)
        try writeFigures(report, saved: saved, path: path, args: args, out: out) {
            try PowerLawPlot.sizes(parameters: runs.N, tokens: runs.D, observed: runs.loss, loss: fitted.loss(parameters:tokens:))
        }
        return try finish(report, format: format, correlation: args.has(OutputOptions.correlation), out: out)
    }

    /// `--bootstrap N --seed S`: the one `Bootstrap` over runs, of `fit` made to `data`.
    static func bootstrap<L: Law>(_ fit: Fit<L>, _ data: L.Observations, args: ParsedArguments, out: CommandOutput) throws -> Bootstrap?
        where L.Observations: ResamplableObservations {
        guard let count = try args.value(BootstrapOptions.bootstrap) else { return nil }
        let seed = try args.value(BootstrapOptions.seed)!
        out.note("bootstrap: \(count) resamples of the runs, seed \(seed)…")
        return try fit.bootstrapped(data, samples: count, seed: UInt64(seed)).bootstrap
    }

    /// The fit file of `fit` when one is written (`-o`, `--report`): `Fit.file` with the
    /// report's diagnostics (the fit's and the data's) and the prediction noise; written to `-o`.
    static func savedFile<L: Law>(_ fit: Fit<L>, report: LawFitReport, data: L.Observations, args: ParsedArguments,
                                  out: CommandOutput) throws -> FitFile? where L.Observations: GroupedObservations {
        guard args.has(OutputOptions.output) || args.has(OutputOptions.report) else { return nil }
        let file = fit.file.withDiagnostics(report.diagnostics)
        let saved = try NoiseEstimate.attach(file, as: L.self, data: data, source: fit.data.file, out: out)
        if let path = args.text(OutputOptions.output) { try writeFitFile(saved, to: path, args: args, out: out) }
        return saved
    }

    /// `--plot FILE.svg` and `--report DIR` for the power law and Kaplan's: the figure
    /// `plot` makes, titled with the law and its fitted values, and the report folder.
    static func writeFigures(_ report: LawFitReport, saved: FitFile?, path: String, args: ParsedArguments, out: CommandOutput,
                             plot: () throws -> PowerLawPlot) throws {
        guard args.has(OutputOptions.plot) || args.has(OutputOptions.report) else { return }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let svg = try plot().figure(title: "\(name): " + PlotTitle.greek(report.formula),
                                    subtitle: PlotTitle.values(names: report.parameters.map(\.name),
                                                               values: report.parameters.map(\.estimate))).flagged(report.diagnostics).svg()
        if let file = args.text(OutputOptions.plot) { try writePlot(svg, to: file, out: out) }
        if let dir = args.text(OutputOptions.report) {
            try ReportDirectory(title: "\(report.law) fitted to \(name)", markdown: render(report, format: .markdown, correlation: true),
                                fitFile: saved, parameters: parameterTable(report),
                                residuals: runTable(report).appending(column: "role", value: "fitted"), svg: svg).write(to: dir, out: out)
        }
    }

    static func labels(_ usable: RunTable, _ column: String?) -> [String] {
        usable.rowLabels(column: column)
    }

    static func checkPositive(_ columns: [[Double]], names: [String], lines: [Int], path: String) throws {
        for (c, name) in zip(columns, names) {
            if let i = c.firstIndex(where: { !($0 > 0) }) {
                throw ScaleFitError.invalidData(file: path, reason: "line \(lines[i]): \(name) must be positive for a power law, found \(c[i])")
            }
        }
    }

    static func finish(_ report: LawFitReport, format: OutputFormat, correlation: Bool, out: CommandOutput) throws -> Int32 {
        warnIfUnsound(report.diagnostics, out: out)
        try out.write(render(report, format: format, correlation: correlation))
        if !report.summary.converged {
            out.note("scalefit: \(report.summary.message)")
            return 1
        }
        return 0
    }

    static func render(_ r: LawFitReport, format: OutputFormat, correlation: Bool = false) -> String {
        if format == .json { return jsonText(r) }
        let style = format.style
        let params = parameterTable(r)
        if style == .csv { return (correlation ? StatisticsText.withCorrelationColumns(params, r.statistics) { $0[0] } : params).render(.csv) }
        let stats = TextTable(header: ["statistic", "value"], rows: [
            ["runs", "\(r.runs.count)"],
            ["cost", formatSignificant(r.cost, digits: 10)],
            ["starts_at_best", "\(r.startsAtBest)/\(r.starts)"],
            ["rmse", formatSignificant(r.rmse, digits: 4)],
            ["mean_abs_rel_error", formatSignificant(r.meanAbsoluteRelativeError, digits: 4)],
            ["r_squared", formatSignificant(r.rSquared, digits: 6)],
            ["r_squared_log", formatSignificant(r.rSquaredLog, digits: 6)],
        ] + StatisticsText.rows(r.statistics))
        let runs = runTable(r)
        let head = style == .markdown ? "## " : ""
        let s = r.summary
        return """
        \(head)\(r.law): \(r.formula)
        objective: \(r.objective)
        \(s.message); best of \(r.starts) starts; \(s.effort)
        \(FitDiagnostic.reportLine(r.diagnostics))
        \(params.render(style))
        \(StatisticsText.correlationBlock(r.statistics, shown: correlation, style: style))\(stats.render(style))
        \(bootstrapTable(r.bootstrap, style: style))\(runs.render(style))
        """
    }

    static func parameterTable(_ r: LawFitReport) -> TextTable {
        TextTable(header: ["parameter", "estimate", "std_error"], rows: r.parameters.map {
            [$0.name, formatSignificant($0.estimate, digits: 6), formatSignificant($0.standardError, digits: 3)]
        })
    }

    /// The residual table: one row per run.
    static func runTable(_ r: LawFitReport) -> TextTable {
        TextTable(header: ["run"] + r.inputNames + ["observed", "fitted", "residual", "rel_residual"], rows: r.runs.map {
            [$0.label] + $0.inputs.map { formatSignificant($0, digits: 4) }
                + [formatSignificant($0.observed, digits: 6), formatSignificant($0.fitted, digits: 6),
                   formatSignificant($0.residual, digits: 3), formatSignificant($0.relativeResidual, digits: 3)]
        })
    }

    /// The bootstrap's intervals as the Chinchilla report prints them, or "".
    static func bootstrapTable(_ b: Bootstrap?, style: TextTable.Style, over units: String = "runs") -> String {
        guard let b else { return "" }
        let t = TextTable(header: ["quantity", "lower95", "median", "upper95"], rows: b.intervals.map {
            [$0.name, formatSignificant($0.lower, digits: 4), formatSignificant($0.median, digits: 4), formatSignificant($0.upper, digits: 4)]
        })
        return "bootstrap over \(units): \(b.samples) resamples (\(b.failed) failed), seed \(b.seed)\n" + t.render(style) + "\n"
    }
}
