import Foundation
import ScaleFit

/// `scalefit backtest RUNS --law kaplan|power --holdout …`: the law fitted (by its own start
/// grid and `--loss`) on the runs the holdout keeps, through the one `LawBacktest`, and each
/// run predicted with its 95% prediction interval from the noise of the kept runs.
enum RunsBacktest {
    struct Row: Codable {
        let run: String; let line: Int; let inputs: [String: Double]
        let observed: Double; let predicted: Double; let error: Double; let relativeError: Double
        let lower95: Double; let upper95: Double; let meanLower95: Double; let meanUpper95: Double
        let heldOut: Bool
    }

    struct Output: Codable {
        let law: String; let holdout: String; let parameters: [ParameterEstimate]; let objective: Double
        let summary: FitSummary; let diagnostics: [String]; let runs: [Row]
        let heldOutErrors: PredictionErrors; let fittedErrors: PredictionErrors; let coverage: BacktestCoverage?
    }

    static func run(_ input: FitInput, law: FitLaw) throws -> Int32 {
        let (path, args, out) = (input.path, input.args, input.out)
        guard args.has(ChinchillaBacktest.holdout) else {
            throw UsageError(message: "backtest --law \(law.rawValue) needs --holdout largest[:K]|\(law == .kaplan ? "compute>FLOPS|" : "")random:F")
        }
        let seed = try args.value(BootstrapOptions.seed)!
        if args.has(BootstrapOptions.seed) && !(args.text(ChinchillaBacktest.holdout)?.hasPrefix("random:") ?? false) {
            throw UsageError(message: "--seed goes with --holdout random:F (the seed of the random split)")
        }
        let holdout = try PowerLawHoldout(spec: args.text(ChinchillaBacktest.holdout)!, seed: UInt64(seed), flag: "--holdout")
        if law == .power, case .computeAbove = holdout {
            throw UsageError(message: "--holdout compute>X needs params and tokens; the power law has one variable: use largest[:K] (its largest values) or random:F")
        }
        let loss = try args.value(SolverOptionsGroup.loss) ?? .l2
        if law == .power {
            let read = try PowerFitting.powerRuns(input)
            let fitLaw = SaturatingPowerLaw(variable: read.xName!, loss: loss)
            out.note("backtest: holding out \(describe(holdout, variable: read.xName!)); fitting power law on the rest…")
            let b = try LawBacktest(fitLaw, to: read.runs, holdout: holdout)
            let fitted = SaturatingPowerLaw.Parameters(fittedParameters: b.fit.parameters)
            return try finish(b, runs: read.runs, inputNames: [read.xName!], inputs: read.runs.x.map { [$0] },
                              formula: SaturatingPowerLaw.formula + ", x = \(read.xName!)", holdout: describe(holdout, variable: read.xName!),
                              input: input) {
                try PowerLawPlot.oneVariable(x: read.runs.x, observed: read.runs.loss, law: fitted.loss(at:), xLabel: read.xLabel)
            }
        }
        let read = try kaplanRuns(input)
        out.note("backtest: holding out \(holdout.description); fitting kaplan on the rest…")
        let b = try LawBacktest(KaplanLaw(loss: loss), to: read.runs, holdout: holdout)
        let fitted = KaplanLaw.Parameters(fittedParameters: b.fit.parameters)
        return try finish(b, runs: read.runs, inputNames: ["params", "tokens"], inputs: zip(read.runs.N, read.runs.D).map { [$0, $1] },
                          formula: KaplanLaw.formula, holdout: holdout.description, input: input) {
            try PowerLawPlot.sizes(parameters: read.runs.N, tokens: read.runs.D, observed: read.runs.loss, loss: fitted.loss(parameters:tokens:))
        }
    }

    static func kaplanRuns(_ input: FitInput) throws -> PowerFitting.Read<ModelRuns> { try PowerFitting.kaplanRuns(input) }

    /// The holdout in words, with x named for a law of one variable.
    static func describe(_ h: PowerLawHoldout, variable: String) -> String {
        if case let .largest(k) = h { return k == 1 ? "the runs at the largest \(variable)" : "the runs at the \(k) largest values of \(variable)" }
        return h.description
    }

    /// The rows, the figure (`--plot`), the report folder (`--report`) and the printed
    /// backtest; exit 1 when the fit did not converge.
    static func finish<L: Law>(_ b: LawBacktest<L>, runs: L.Observations, inputNames: [String], inputs: [[Double]],
                               formula: String, holdout: String, input: FitInput,
                               plot: @escaping () throws -> PowerLawPlot) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        let observed = runs.observed, labels = runs.labels, lines = runs.lines
        let order = b.heldOut.indices.filter { !b.heldOut[$0] } + b.heldOut.indices.filter { b.heldOut[$0] }
        let rows = order.map { i -> Row in
            let p = b.predictions[i]
            return Row(run: labels[i], line: lines[i], inputs: Dictionary(uniqueKeysWithValues: zip(inputNames, inputs[i])),
                       observed: observed[i], predicted: p.value, error: p.value - observed[i], relativeError: (p.value - observed[i]) / observed[i],
                       lower95: p.predictionLower, upper95: p.predictionUpper, meanLower95: p.lower, meanUpper95: p.upper, heldOut: b.heldOut[i])
        }
        let summary = b.fit.summary!
        let diagnostics = b.fit.diagnostics.map(\.description)
        let output = Output(law: L.identifier, holdout: holdout, parameters: b.fit.estimates, objective: b.fit.objective, summary: summary,
                            diagnostics: diagnostics, runs: rows, heldOutErrors: b.heldOutErrors, fittedErrors: b.fittedErrors,
                            coverage: b.coverage)
        if let noise = b.fit.noise { NoiseEstimate.note(noise, out: out) }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let title = "\(name): \(L.identifier) fitted without \(holdout)"
        let figure = {
            try plot().withHeldOut(x: rows.filter(\.heldOut).map { $0.inputs[inputNames[0]]! }, observed: rows.filter(\.heldOut).map(\.observed),
                                   fitted: rows.filter(\.heldOut).map(\.predicted))
                .figure(title: title, subtitle: PlotTitle.values(names: b.fit.estimates.map(\.name), values: b.fit.estimates.map(\.estimate)))
                .flagged(b.fit.diagnostics.map(\.description)).svg()
        }
        if let svg = args.text(OutputOptions.plot) { try writePlot(try figure(), to: svg, out: out) }
        if let dir = args.text(OutputOptions.report) {
            try ReportDirectory(title: title, markdown: render(output, formula: formula, inputNames: inputNames, format: .markdown, residuals: true),
                                fitFile: b.fit.file, parameters: parameterTable(b.fit.estimates),
                                residuals: rowTable(rows, inputNames: inputNames), svg: try figure()).write(to: dir, out: out)
        }
        warnIfUnsound(diagnostics, out: out)
        var text = render(output, formula: formula, inputNames: inputNames, format: format, residuals: args.has(OutputOptions.residuals))
        let coverage = b.coverage?.sentence(of: "held-out runs") ?? "coverage: no held-out run to score"
        if format == .table || format == .markdown { text += "\n" + coverage + "\n" } else { out.note(coverage) }
        try out.write(text)
        if !summary.converged { out.note("scalefit: \(summary.message)") }
        return summary.converged ? 0 : 1
    }

    static func parameterTable(_ estimates: [ParameterEstimate]) -> TextTable {
        TextTable(header: ["parameter", "estimate", "std_error"], rows: estimates.map {
            [$0.name, formatSignificant($0.estimate, digits: 6), formatSignificant($0.standardError, digits: 3)]
        })
    }

    static func rowTable(_ rows: [Row], inputNames: [String]) -> TextTable {
        TextTable(header: ["run", "line"] + inputNames + ["observed", "predicted", "error", "rel_error"] + IntervalColumns.header + ["role"],
                  rows: rows.map { r in
            [r.run, "\(r.line)"] + inputNames.map { formatSignificant(r.inputs[$0]!, digits: 4) }
                + [formatSignificant(r.observed, digits: 6), formatSignificant(r.predicted, digits: 6),
                   formatSignificant(r.error, digits: 3), formatSignificant(r.relativeError, digits: 3)]
                + [r.lower95, r.upper95, r.meanLower95, r.meanUpper95].map { formatSignificant($0, digits: 6) }
                + [r.heldOut ? "held_out" : "fitted"]
        })
    }

    static func render(_ o: Output, formula: String, inputNames: [String], format: OutputFormat, residuals: Bool) -> String {
        if format == .json { return jsonText(o) }
        let style = format.style
        let table = rowTable(residuals ? o.runs : o.runs.filter(\.heldOut), inputNames: inputNames)
        if style == .csv { return table.render(.csv) }
        let totals = TextTable(header: ChinchillaBacktest.errorHeader,
                               rows: [ChinchillaBacktest.errorRow("held_out", o.heldOutErrors), ChinchillaBacktest.errorRow("fitted", o.fittedErrors)])
        let head = style == .markdown ? "## " : ""
        return """
        \(head)\(o.law) backtest: \(formula)
        fitted on \(o.fittedErrors.runs) runs, holding out \(o.heldOutErrors.runs): \(o.holdout)
        objective: \(formatSignificant(o.objective, digits: 10)); \(o.summary.message)
        \(FitDiagnostic.reportLine(o.diagnostics))
        \(parameterTable(o.parameters).render(style))
        \(residuals ? "all runs (error = predicted - observed; lower95/upper95 the 95% prediction interval, mean_* the band of the law's value):" : "held-out runs (error = predicted - observed; lower95/upper95 the 95% prediction interval, mean_* the band of the law's value):")
        \(table.render(style))
        held-out error in total (fitted runs in-sample for comparison):
        \(totals.render(style))
        """
    }
}
