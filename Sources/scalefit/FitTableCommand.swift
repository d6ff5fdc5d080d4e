import Foundation
import ScaleFit

/// `scalefit fit runs.csv`: reads a table of runs, detects the columns, fits the law and
/// prints parameters with standard errors, goodness of fit, the compute-optimal allocation
/// and the per-run residual table.
enum FitTableCommand {
    static func run(path: String, args: Arguments, format: String) throws -> Int32 {
        if args.options["formula"] != nil { return try FormulaFitCommand.run(path: path, args: args, format: format) }
        if args.options["law"] == MultilingualLaw.identifier { return try MultilingualCommand.fit(path: path, args: args, format: format) }
        var lawName = args.options["law"] ?? "auto"
        let known = ["auto", "chinchilla", "power", "kaplan", MultilingualLaw.identifier] + CurveLaw.identifiers
        guard known.contains(lawName) else {
            let hint = nearest(lawName, in: known).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "--law: expected \(known.joined(separator: ", ")), found \"\(lawName)\"\(hint)")
        }
        if lawName == "auto" {
            let table = try RunTableReader.read(path: path)
            let mapping = try ColumnMapping.detect(in: table)
            lawName = mapping[.step] != nil && mapping[.params] == nil ? "multipower" : "chinchilla"
            if mapping[.family] != nil && mapping[.ratio] != nil { lawName = MultilingualLaw.identifier }
            eprint("law: \(lawName) (chosen from the columns; --law to choose)")
            if lawName == MultilingualLaw.identifier { return try MultilingualCommand.fit(path: path, args: args, format: format) }
        }
        if CurveLaw.identifiers.contains(lawName) {
            return try CurveFitCommand.fit(path: path, lawName: lawName, args: args, format: format)
        }
        if lawName == "power" || lawName == "kaplan" {
            return try PowerFitCommand.run(path: path, args: args, format: format, law: lawName)
        }
        var delta = 1e-3
        if let spec = args.options["loss"] {
            guard case let .huber(scale) = try RobustLoss(spec: spec) else {
                throw UsageError(message: "--loss: the Chinchilla fit takes huber:DELTA, found \"\(spec)\"")
            }
            delta = scale
        }
        let runs = try ChinchillaRuns.read(path: path, args: args)
        let (n, d, l, labels) = (runs.parameters, runs.tokens, runs.loss, runs.labels)
        guard n.count >= 6 else {
            throw ScaleFitError.invalidData(file: path, reason: "Chinchilla's law has 5 parameters; \(n.count) usable runs cannot determine them with any residual left")
        }
        eprint("fitting chinchilla from \(ChinchillaLaw.hoffmannGrid.count) starts on \(n.count) runs…")
        let budget = try args.double("compute-budget") ?? 5.76e23
        let fit = try ChinchillaFit(parameters: n, tokens: d, loss: l, delta: delta)
        let report = try ChinchillaReport(fit: fit, parameters: n, tokens: d, loss: l,
                                          lines: runs.lines, labels: labels, delta: delta)
        let optimal = ComputeOptimalAllocation(law: fit.law, compute: budget)
        var bootstrap: ChinchillaBootstrap?
        if let count = try args.int("bootstrap") {
            guard count >= 10 else { throw UsageError(message: "--bootstrap: expected at least 10 resamples, found \(count)") }
            let seed = try args.int("seed") ?? 0
            guard seed >= 0 else { throw UsageError(message: "--seed: expected a non-negative integer, found \(seed)") }
            eprint("bootstrap: \(count) resamples of the runs, seed \(seed)…")
            bootstrap = ChinchillaBootstrap(parameters: n, tokens: d, loss: l, fit: fit, samples: count,
                                            seed: UInt64(seed), compute: budget)
        }
        if let out = args.options["output"] {
            var file = try FitFile(chinchilla: fit, loss: .huber(scale: delta),
                                   data: .init(file: path, rows: n.count, droppedRows: runs.dropped))
            file.bootstrap = bootstrap.map(FitFile.BootstrapSummary.init)
            try file.write(to: out)
            eprint("wrote \(out)")
        }
        let figure = {
            let plot = try PowerLawPlot.chinchilla(report: report, law: fit.law, grouping: .tokensPerParameter,
                                                   bootstrapLaws: bootstrap?.laws ?? [])
            return plot.figure(title: "\(URL(fileURLWithPath: path).lastPathComponent): " + PlotTitle.greek(ChinchillaLaw.formula),
                               subtitle: PowerBacktestCommand.subtitle(fit.law)).svg()
        }
        if let svg = args.options["plot"] { try writePlot(try figure(), to: svg) }
        if let dir = args.options["report"] {
            try ReportDirectory(title: "chinchilla fitted to \(URL(fileURLWithPath: path).lastPathComponent)",
                                markdown: render(report, optimal: optimal, bootstrap: bootstrap, format: "markdown"),
                                fitFile: try FitFile(chinchilla: fit, loss: .huber(scale: delta),
                                                     data: .init(file: path, rows: n.count, droppedRows: runs.dropped)),
                                parameters: parameterTable(report), residuals: runTable(report).appending(column: "role", value: "fitted"),
                                svg: try figure()).write(to: dir)
        }
        print(render(report, optimal: optimal, bootstrap: bootstrap, format: format), terminator: "")
        if !report.summary.converged {
            eprint("scalefit: \(report.summary.message)")
            return 1
        }
        return 0
    }

    static func parameterTable(_ r: ChinchillaReport) -> TextTable {
        TextTable(header: ["parameter", "estimate", "std_error"], rows: r.parameters.map {
            [$0.name, formatSignificant($0.estimate, digits: 6), formatSignificant($0.standardError, digits: 3)]
        })
    }

    /// The residual table: one row per run.
    static func runTable(_ r: ChinchillaReport) -> TextTable {
        TextTable(header: ["run", "params", "tokens", "observed", "fitted", "residual", "rel_residual"], rows: r.runs.map {
            [$0.label, formatSignificant($0.parameters, digits: 4), formatSignificant($0.tokens, digits: 4),
             formatSignificant($0.observed, digits: 6), formatSignificant($0.fitted, digits: 6),
             formatSignificant($0.residual, digits: 3), formatSignificant($0.relativeResidual, digits: 3)]
        })
    }

    struct Output: Codable { let fit: ChinchillaReport; let computeOptimal: ComputeOptimalAllocation; let bootstrap: ChinchillaBootstrap? }

    static func render(_ r: ChinchillaReport, optimal o: ComputeOptimalAllocation, bootstrap: ChinchillaBootstrap?,
                       format: String) -> String {
        if format == "json" {
            return jsonText(Output(fit: r, computeOptimal: o, bootstrap: bootstrap))
        }
        let style = TextTable.Style(rawValue: format) ?? .table
        let params = parameterTable(r)
        if style == .csv { return params.render(.csv) }
        let stats = TextTable(header: ["statistic", "value"], rows: [
            ["runs", "\(r.runs.count)"],
            ["objective", formatSignificant(r.objectiveValue, digits: 10)],
            ["starts", "\(r.starts) screened, best \(r.polished) polished"],
            ["polished_at_best", "\(r.polishedAtBest)/\(r.polished)"],
            ["rmse", formatSignificant(r.rmse, digits: 4)],
            ["mean_abs_rel_error", formatSignificant(r.meanAbsoluteRelativeError, digits: 4)],
            ["r_squared", formatSignificant(r.rSquared, digits: 6)],
            ["r_squared_log", formatSignificant(r.rSquaredLog, digits: 6)],
        ])
        let opt = TextTable(header: ["compute", "params", "tokens", "tokens_per_param", "loss"], rows: [[
            formatSignificant(o.compute, digits: 3), formatSignificant(o.parameters, digits: 4),
            formatSignificant(o.tokens, digits: 4), formatSignificant(o.tokensPerParameter, digits: 4),
            formatSignificant(o.loss, digits: 5),
        ]])
        let runs = runTable(r)
        let head = style == .markdown ? "## " : ""
        var boot = ""
        if let b = bootstrap {
            let t = TextTable(header: ["quantity", "lower95", "median", "upper95"], rows: b.intervals.map {
                [$0.name, formatSignificant($0.lower, digits: 4), formatSignificant($0.median, digits: 4), formatSignificant($0.upper, digits: 4)]
            })
            boot = "bootstrap over runs: \(b.samples) resamples (\(b.failed) failed), seed \(b.seed); * at \(formatSignificant(b.compute, digits: 3)) FLOPs\n" + t.render(style) + "\n"
        }
        return """
        \(head)chinchilla: \(r.formula)
        objective: \(r.objective)
        \(r.summary.message); best of \(r.starts) starts

        \(params.render(style))
        \(stats.render(style))
        compute-optimal allocation (C = 6 N D):
        \(opt.render(style))
        \(boot)\(runs.render(style))
        """
    }
}

/// Deterministic JSON: sorted keys, and non-finite numbers as the strings "inf", "-inf", "nan".
func jsonText<T: Encodable>(_ value: T) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: (try? enc.encode(value)) ?? Data(), as: UTF8.self) + "\n"
}

func eprint(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
