import Foundation
import ScaleFit

/// `scalefit fit runs.csv --law chinchilla`: detects the columns, fits the law and prints
/// parameters with standard errors, goodness of fit, the compute-optimal allocation and the
/// per-run residual table; `--bootstrap`, `-o`, `--plot` and `--report` as asked.
enum ChinchillaFitting {
    /// Huber's δ from `--loss` (huber:DELTA only), default 1e-3.
    static func delta(_ args: ParsedArguments) throws -> Double {
        guard let loss = try args.value(SolverOptionsGroup.loss) else { return 1e-3 }
        guard case let .huber(scale) = loss else {
            throw UsageError(message: "--loss: the Chinchilla fit takes huber:DELTA, found \"\(args.text(SolverOptionsGroup.loss)!)\"")
        }
        return scale
    }

    static func fit(_ input: FitInput) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        let delta = try delta(args)
        let budget = try args.value(FitCommand.computeBudget)!
        let bootstrapCount = try args.value(BootstrapOptions.bootstrap)
        let seed = try args.value(BootstrapOptions.seed)!
        let runs = try ChinchillaRuns.read(table: input.table!, path: path, args: args, out: out)
        let (n, d, l) = (runs.parameters, runs.tokens, runs.loss)
        guard n.count >= 6 else {
            throw ScaleFitError.invalidData(file: path, reason: "Chinchilla's law has 5 parameters; \(n.count) usable runs cannot determine them with any residual left")
        }
        try RunVariation.check(N: n, D: d, loss: l, law: "chinchilla", file: path)
        out.note("fitting chinchilla from \(ChinchillaLaw.hoffmannGrid.count) starts on \(n.count) runs…")
        let data = try runs.modelRuns(file: path)
        let fit = try Fit(ChinchillaLaw(loss: .huber(scale: delta)), to: data)
        let law = fit.values
        var report = try ChinchillaReport(fit: fit, runs: data)
        report.diagnostics += RunVariation.trendWarnings(N: n, D: d, loss: l)
        let optimal = ComputeOptimalAllocation(law: law, compute: budget)
        var bootstrap: ChinchillaBootstrap?
        if let count = bootstrapCount {
            out.note("bootstrap: \(count) resamples of the runs, seed \(seed)…")
            bootstrap = ChinchillaBootstrap(fit: fit, runs: data, samples: count, seed: UInt64(seed), compute: budget)
        }
        // The fit file, with its prediction noise, when one is written (-o, --report).
        var saved: FitFile?
        if args.has(OutputOptions.output) || args.has(OutputOptions.report) {
            // The protocol's file, with the objective summed directly as the report prints it.
            var fitFile = fit.file
            fitFile.objective = report.objectiveValue
            fitFile.bootstrap = bootstrap.map(FitFile.BootstrapSummary.init)
            fitFile = fitFile.withDiagnostics(report.diagnostics).withStatistics(report.statistics)
            saved = try NoiseEstimate.attach(fitFile, as: ChinchillaLaw.self, data: data, source: path, out: out)
        }
        if let file = args.text(OutputOptions.output), let saved { try writeFitFile(saved, to: file, args: args, out: out) }
        let figure = {
            let plot = try PowerLawPlot.chinchilla(report: report, law: law, grouping: .tokensPerParameter,
                                                   bootstrapLaws: bootstrap?.laws ?? [])
            return plot.figure(title: "\(URL(fileURLWithPath: path).lastPathComponent): " + PlotTitle.greek(ChinchillaLaw.formula),
                               subtitle: ChinchillaBacktest.subtitle(law)).flagged(report.diagnostics).svg()
        }
        if let svg = args.text(OutputOptions.plot) { try writePlot(try figure(), to: svg, out: out) }
        if let dir = args.text(OutputOptions.report) {
            try ReportDirectory(title: "chinchilla fitted to \(URL(fileURLWithPath: path).lastPathComponent)",
                                markdown: render(report, optimal: optimal, bootstrap: bootstrap, format: .markdown, correlation: true),
                                fitFile: saved!,
                                parameters: parameterTable(report), residuals: runTable(report).appending(column: "role", value: "fitted"),
                                svg: try figure()).write(to: dir, out: out)
        }
        warnIfUnsound(report.diagnostics, out: out)
        try out.write(render(report, optimal: optimal, bootstrap: bootstrap, format: format, correlation: args.has(OutputOptions.correlation)))
        if !report.summary.converged {
            out.note("scalefit: \(report.summary.message)")
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
                       format: OutputFormat, correlation: Bool = false) -> String {
        if format == .json {
            return jsonText(Output(fit: r, computeOptimal: o, bootstrap: bootstrap))
        }
        let style = format.style
        let params = parameterTable(r)
        if style == .csv { return (correlation ? StatisticsText.withCorrelationColumns(params, r.statistics) { $0[0] } : params).render(.csv) }
        let stats = TextTable(header: ["statistic", "value"], rows: [
            ["runs", "\(r.runs.count)"],
            ["objective", formatSignificant(r.objectiveValue, digits: 10)],
            ["starts", "\(r.starts) screened, best \(r.polished) polished"],
            ["polished_at_best", "\(r.polishedAtBest)/\(r.polished)"],
            ["rmse", formatSignificant(r.rmse, digits: 4)],
            ["mean_abs_rel_error", formatSignificant(r.meanAbsoluteRelativeError, digits: 4)],
            ["r_squared", formatSignificant(r.rSquared, digits: 6)],
            ["r_squared_log", formatSignificant(r.rSquaredLog, digits: 6)],
        ] + StatisticsText.rows(r.statistics))
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
        \(FitDiagnostic.reportLine(r.diagnostics))
        \(params.render(style))
        \(StatisticsText.correlationBlock(r.statistics, shown: correlation, style: style))\(stats.render(style))
        compute-optimal allocation (C = 6 N D)\(r.diagnostics.isEmpty ? "" : ", from a fit that is NOT SOUND (above): not to be relied on"):
        \(opt.render(style))
        \(boot)\(runs.render(style))
        """
    }
}

