import Foundation
import ScaleFit

/// `scalefit backtest RUNS --law kaplan|power|multilingual --holdout …`: the law fitted (by
/// its own start grid and `--loss`) on the runs the holdout keeps (`LawBacktest`; the
/// multilingual law's families one by one, `MultilingualBacktest`), and each run predicted
/// with its 95% prediction interval from the noise of the kept runs.
enum RunsBacktest {
    struct Row: Codable {
        let run: String; let line: Int; let inputs: [String: Double]
        let observed: Double; let predicted: Double; let error: Double; let relativeError: Double
        let lower95: Double; let upper95: Double; let meanLower95: Double; let meanUpper95: Double
        let heldOut: Bool
    }

    struct Output: Codable {
        let law: String; let holdout: String; let parameters: [ParameterEstimate]; let objective: Double
        let converged: Bool; let message: String; let diagnostics: [String]; let runs: [Row]
        let heldOutErrors: PredictionErrors; let fittedErrors: PredictionErrors; let coverage: BacktestCoverage?
    }

    /// A finished backtest of any law, as the output needs it: the fit to the kept runs and
    /// every run with its prediction.
    struct Scored {
        let law: String; let estimates: [ParameterEstimate]; let objective: Double
        let converged: Bool; let message: String; let diagnostics: [String]; let noise: PredictionNoise?; let file: FitFile
        let labels: [String]; let lines: [Int]; let inputs: [[Double]]; let observed: [Double]
        let predictions: [Prediction]; let heldOut: [Bool]
        let heldOutErrors: PredictionErrors; let fittedErrors: PredictionErrors; let coverage: BacktestCoverage?

        init<L: Law>(_ b: LawBacktest<L>, runs: L.Observations, inputs: [[Double]]) {
            let summary = b.fit.summary
            law = L.identifier; estimates = b.fit.estimates; objective = b.fit.objective
            converged = summary?.converged ?? true; message = summary?.message ?? ""
            diagnostics = b.fit.diagnostics.map(\.description); noise = b.fit.noise; file = b.fit.file
            labels = runs.labels; lines = runs.lines; self.inputs = inputs; observed = runs.observed
            predictions = b.predictions; heldOut = b.heldOut
            heldOutErrors = b.heldOutErrors; fittedErrors = b.fittedErrors; coverage = b.coverage
        }

        init(_ b: MultilingualBacktest, data: MultilingualData) {
            law = MultilingualLaw.identifier; estimates = b.mix.estimates; objective = b.fit.objective
            converged = b.fit.converged
            message = b.fit.converged ? "every family converged"
                : b.fit.families.filter { !$0.summary.converged }.map { "family \($0.name): \($0.summary.message)" }.joined(separator: "; ")
            diagnostics = b.fit.rankDeficient ? ["some parameter is not determined by the kept rows (infinite standard error)"] : []
            noise = b.mix.file.noise; file = b.mix.file
            labels = data.family.indices.map { "\(data.runs[$0])/\(data.familyNames[data.family[$0]])" }
            lines = data.lines
            inputs = data.family.indices.map { [data.parameters[$0], data.tokens[$0], data.ratios[$0]] }
            observed = data.loss
            predictions = b.predictions; heldOut = b.heldOut
            heldOutErrors = b.heldOutErrors; fittedErrors = b.fittedErrors; coverage = b.coverage
        }
    }

    static func run(_ input: FitInput, law: FitLaw) throws -> Int32 {
        let (args, out) = (input.args, input.out)
        guard let holdout = try ChinchillaBacktest.parsedHoldout(args) else {
            throw UsageError(message: "backtest --law \(law.rawValue) needs --holdout largest[:K]|\(law != .power ? "compute>FLOPS|" : "")random:F")
        }
        if law == .power, case .computeAbove = holdout {
            throw UsageError(message: "--holdout compute>X needs params and tokens; the power law has one variable: use largest[:K] (its largest values) or random:F")
        }
        if law == .multilingual { return try multilingual(input, holdout: holdout) }
        let loss = try args.value(SolverOptionsGroup.loss) ?? .l2
        if law == .power {
            let read = try PowerFitting.powerRuns(input)
            let fitLaw = SaturatingPowerLaw(variable: read.xName!, loss: loss)
            out.note("backtest: holding out \(describe(holdout, variable: read.xName!)); fitting power law on the rest…")
            let b = try LawBacktest(fitLaw, to: read.runs, holdout: holdout)
            let fitted = SaturatingPowerLaw.Parameters(fittedParameters: b.fit.parameters)
            return try finish(Scored(b, runs: read.runs, inputs: read.runs.x.map { [$0] }), inputNames: [read.xName!],
                              formula: SaturatingPowerLaw.formula + ", x = \(read.xName!)", holdout: describe(holdout, variable: read.xName!),
                              input: input) {
                try PowerLawPlot.oneVariable(x: read.runs.x, observed: read.runs.loss, law: fitted.loss(at:), xLabel: read.xLabel)
            }
        }
        let read = try PowerFitting.kaplanRuns(input)
        out.note("backtest: holding out \(holdout.description); fitting kaplan on the rest…")
        let b = try LawBacktest(KaplanLaw(loss: loss), to: read.runs, holdout: holdout)
        let fitted = KaplanLaw.Parameters(fittedParameters: b.fit.parameters)
        return try finish(Scored(b, runs: read.runs, inputs: zip(read.runs.N, read.runs.D).map { [$0, $1] }), inputNames: ["params", "tokens"],
                          formula: KaplanLaw.formula, holdout: holdout.description, input: input) {
            try PowerLawPlot.sizes(parameters: read.runs.N, tokens: read.runs.D, observed: read.runs.loss, loss: fitted.loss(parameters:tokens:))
        }
    }

    /// The multilingual law: every family fitted alone on the kept rows (`MultilingualBacktest`).
    static func multilingual(_ input: FitInput, holdout: PowerLawHoldout) throws -> Int32 {
        let (path, args, out) = (input.path, input.args, input.out)
        var options = MultilingualFitOptions()
        if let delta = try MultilingualFitting.delta(args) { options.delta = delta }
        let (data, _) = try MultilingualFitting.data(table: input.table!, path: path, args: args, out: out)
        let heldRows = holdout.description.replacingOccurrences(of: "runs", with: "rows")
        out.note("backtest: holding out \(heldRows); fitting multilingual on the rest (each family from \(options.starts.count) starts)…")
        let b = try MultilingualBacktest(data: data, holdout: holdout, options: options)
        let names = data.familyNames
        return try finish(Scored(b, data: data), inputNames: ["params", "tokens", "ratio"], formula: MultilingualLaw.formula,
                          holdout: heldRows, input: input) {
            let groups = names.map { name -> PowerLawPlot.Group in
                let rows = data.family.indices.filter { names[data.family[$0]] == name }
                    .sorted { (data.parameters[$0], data.lines[$0]) < (data.parameters[$1], data.lines[$1]) }
                return PowerLawPlot.Group(name: name, x: rows.map { data.parameters[$0] }, observed: rows.map { data.loss[$0] },
                                          fitted: rows.map { b.predictions[$0].value })
            }
            return try PowerLawPlot(groups: groups, groupHeading: "family")
        }
    }

    /// The holdout in words, with x named for a law of one variable.
    static func describe(_ h: PowerLawHoldout, variable: String) -> String {
        if case let .largest(k) = h { return k == 1 ? "the runs at the largest \(variable)" : "the runs at the \(k) largest values of \(variable)" }
        return h.description
    }

    /// The rows, the figure (`--plot`), the report folder (`--report`) and the printed
    /// backtest; exit 1 when the fit did not converge.
    static func finish(_ b: Scored, inputNames: [String], formula: String, holdout: String, input: FitInput,
                       plot: @escaping () throws -> PowerLawPlot) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        let order = b.heldOut.indices.filter { !b.heldOut[$0] } + b.heldOut.indices.filter { b.heldOut[$0] }
        let rows = order.map { i -> Row in
            let p = b.predictions[i]
            return Row(run: b.labels[i], line: b.lines[i], inputs: Dictionary(uniqueKeysWithValues: zip(inputNames, b.inputs[i])),
                       observed: b.observed[i], predicted: p.value, error: p.value - b.observed[i],
                       relativeError: (p.value - b.observed[i]) / b.observed[i],
                       lower95: p.predictionLower, upper95: p.predictionUpper, meanLower95: p.lower, meanUpper95: p.upper, heldOut: b.heldOut[i])
        }
        let output = Output(law: b.law, holdout: holdout, parameters: b.estimates, objective: b.objective, converged: b.converged,
                            message: b.message, diagnostics: b.diagnostics, runs: rows, heldOutErrors: b.heldOutErrors,
                            fittedErrors: b.fittedErrors, coverage: b.coverage)
        if let noise = b.noise { NoiseEstimate.note(noise, out: out) }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let title = "\(name): \(b.law) fitted without \(holdout)"
        let figure = {
            try plot().withHeldOut(x: rows.filter(\.heldOut).map { $0.inputs[inputNames[0]]! }, observed: rows.filter(\.heldOut).map(\.observed),
                                   fitted: rows.filter(\.heldOut).map(\.predicted))
                .figure(title: title, subtitle: b.estimates.count <= 8
                        ? PlotTitle.values(names: b.estimates.map(\.name), values: b.estimates.map(\.estimate)) : "residuals are predicted − observed")
                .flagged(b.diagnostics).svg()
        }
        if let svg = args.text(OutputOptions.plot) { try writePlot(try figure(), to: svg, out: out) }
        if let dir = args.text(OutputOptions.report) {
            try ReportDirectory(title: title, markdown: render(output, formula: formula, inputNames: inputNames, format: .markdown, residuals: true),
                                fitFile: b.file, parameters: parameterTable(b.estimates),
                                residuals: rowTable(rows, inputNames: inputNames), svg: try figure()).write(to: dir, out: out)
        }
        warnIfUnsound(b.diagnostics, out: out)
        var text = render(output, formula: formula, inputNames: inputNames, format: format, residuals: args.has(OutputOptions.residuals))
        let coverage = b.coverage?.sentence(of: "held-out runs") ?? "coverage: no held-out run to score"
        if format == .table || format == .markdown { text += "\n" + coverage + "\n" } else { out.note(coverage) }
        try out.write(text)
        if !b.converged { out.note("scalefit: \(b.message)") }
        return b.converged ? 0 : 1
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
        objective: \(formatSignificant(o.objective, digits: 10)); \(o.message)
        \(FitDiagnostic.reportLine(o.diagnostics))
        \(parameterTable(o.parameters).render(style))
        \(residuals ? "all runs (error = predicted - observed; lower95/upper95 the 95% prediction interval, mean_* the band of the law's value):" : "held-out runs (error = predicted - observed; lower95/upper95 the 95% prediction interval, mean_* the band of the law's value):")
        \(table.render(style))
        held-out error in total (fitted runs in-sample for comparison):
        \(totals.render(style))
        """
    }
}
