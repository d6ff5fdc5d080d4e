import Foundation
import ScaleFit

/// `scalefit backtest RUNS --law chinchilla --holdout …|--sweep`: fit Chinchilla's law on
/// some runs of a table and score its prediction of the others.
enum ChinchillaBacktest {
    static let holdout = Option<String>(OptionDeclaration("holdout", value: "H", help:
        "largest[:K] the runs of the K largest model sizes (K = 1), compute>X those with C = 6ND above X FLOPs, random:F a fraction F",
        laws: BacktestCommand.runLaws)) {
        _ = try PowerLawHoldout(spec: $0, seed: 0, flag: "--holdout")
        return $0
    }
    static let sweep = Flag("sweep", help: "fit on the smallest k = k0…n model sizes in turn (k0: the first with 6 runs)", laws: [.chinchilla])

    /// `--holdout` with `--seed` (which goes with `random:F` only), for every backtest of runs.
    static func parsedHoldout(_ args: ParsedArguments) throws -> PowerLawHoldout? {
        let seed = try args.value(BootstrapOptions.seed)!
        if args.has(BootstrapOptions.seed) && !(args.text(holdout)?.hasPrefix("random:") ?? false) {
            throw UsageError(message: "--seed goes with --holdout random:F (the seed of the random split)")
        }
        return try args.text(holdout).map { try PowerLawHoldout(spec: $0, seed: UInt64(seed), flag: "--holdout") }
    }

    static func run(_ input: FitInput) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        let sweep = args.has(Self.sweep)
        guard sweep != args.has(holdout) else {
            throw UsageError(message: "backtest --law chinchilla needs one of --holdout largest[:K]|compute>FLOPS|random:F and --sweep")
        }
        if sweep {
            guard !args.has(OutputOptions.report), !args.has(OutputOptions.plot) else {
                throw UsageError(message: "--sweep writes no figure; --plot and --report go with --holdout")
            }
            guard !args.has(OutputOptions.residuals) else {
                throw UsageError(message: "--sweep prints no residuals; --residuals goes with --holdout")
            }
        }
        let holdout = try parsedHoldout(args)
        let delta = try ChinchillaFitting.delta(args)
        let runs = try ChinchillaRuns.read(table: input.table!, path: path, args: args, out: out)
        let name = URL(fileURLWithPath: path).lastPathComponent
        if let holdout {
            out.note("backtest: holding out \(holdout.description); fitting chinchilla from \(ChinchillaLaw.hoffmannGrid.count) starts on the rest…")
            let b = try PowerLawBacktest(parameters: runs.parameters, tokens: runs.tokens, loss: runs.loss, lines: runs.lines,
                                         labels: runs.labels, holdout: holdout, delta: delta, file: path)
            let title = "\(name): chinchilla fitted without \(holdout.description)"
            let figure = { try PowerLawPlot.chinchilla(backtest: b).figure(title: title, subtitle: subtitle(b.law)).svg() }
            if let svg = args.text(OutputOptions.plot) { try writePlot(try figure(), to: svg, out: out) }
            if let dir = args.text(OutputOptions.report) {
                let file = fitFile(b, dropped: runs.dropped)
                try ReportDirectory(title: title, markdown: render(b, format: .markdown, residuals: true), fitFile: file,
                                    parameters: parameterTable(b.law), residuals: residualTable(b.runs), svg: try figure()).write(to: dir, out: out)
            }
            // The held-out runs against the 95% prediction interval of the fit to the others
            // (its noise estimated on the kept runs).
            if let noise = b.fit.noise { NoiseEstimate.note(noise, out: out) }
            let coverage = b.coverage?.sentence(of: "held-out runs") ?? "coverage: no held-out run to score"
            var text = render(b, format: format, residuals: args.has(OutputOptions.residuals))
            if format == .table || format == .markdown { text += "\n" + coverage + "\n" } else { out.note(coverage) }
            try out.write(text)
            return b.summary.converged ? 0 : 1
        }
        out.note("sweep: fitting chinchilla on the smallest 1…n model sizes in turn…")
        let s = try PowerLawSweep(parameters: runs.parameters, tokens: runs.tokens, loss: runs.loss, lines: runs.lines,
                                  labels: runs.labels, delta: delta, file: path)
        try out.write(render(s, format: format))
        return 0
    }

    /// The fit file of the backtest's fit on the kept runs: the protocol's (`Fit.file`), with
    /// the objective summed directly as the backtest prints it and the rows the table dropped.
    static func fitFile(_ b: PowerLawBacktest, dropped: Int) -> FitFile {
        var file = b.fit.file
        file.objective = b.objectiveValue
        file.data.droppedRows = dropped
        return file
    }

    static func subtitle(_ law: ChinchillaLaw.Parameters) -> String {
        PlotTitle.values(names: ["E", "A", "B", "alpha", "beta"], values: [law.E, law.A, law.B, law.alpha, law.beta])
    }

    static func parameterTable(_ law: ChinchillaLaw.Parameters) -> TextTable {
        TextTable(header: ["parameter", "estimate"], rows: zip(["E", "A", "B", "alpha", "beta"], [law.E, law.A, law.B, law.alpha, law.beta]).map {
            [$0.0, formatSignificant($0.1, digits: 6)]
        })
    }

    /// Every run: inputs, observed, predicted, error and whether it was fitted or held out.
    static func residualTable(_ runs: [PowerLawBacktest.Run]) -> TextTable {
        TextTable(header: ["run", "line", "params", "tokens", "compute", "observed", "predicted", "error", "rel_error", "role"], rows: runs.map {
            [$0.label, "\($0.line)", formatSignificant($0.parameters, digits: 4), formatSignificant($0.tokens, digits: 4),
             formatSignificant($0.compute, digits: 3), formatSignificant($0.observed, digits: 6), formatSignificant($0.predicted, digits: 6),
             formatSignificant($0.error, digits: 3), formatSignificant($0.relativeError, digits: 3), $0.heldOut ? "held_out" : "fitted"]
        })
    }

    static func errorRow(_ name: String, _ e: PredictionErrors) -> [String] {
        [name, "\(e.runs)", formatSignificant(e.meanAbsoluteError, digits: 3), formatSignificant(e.rootMeanSquaredError, digits: 3),
         formatSignificant(e.meanAbsoluteRelativeError, digits: 3), formatSignificant(e.maxAbsoluteError, digits: 3),
         formatSignificant(e.maxAbsoluteRelativeError, digits: 3)]
    }

    static let errorHeader = ["runs", "count", "mae", "rmse", "mean_abs_rel_error", "max_abs_error", "max_abs_rel_error"]

    static func render(_ b: PowerLawBacktest, format: OutputFormat, residuals: Bool) -> String {
        if format == .json { return jsonText(b) }
        let style = format.style
        let shown = residuals ? b.runs : b.runs.filter(\.heldOut)
        let runs = residualTable(shown)
        if style == .csv { return runs.render(.csv) }
        let totals = TextTable(header: errorHeader, rows: [errorRow("held_out", b.heldOutErrors), errorRow("fitted", b.fittedErrors)])
        let head = style == .markdown ? "## " : ""
        let fitted = b.runs.count - b.heldOutErrors.runs
        return """
        \(head)chinchilla backtest: \(ChinchillaLaw.formula)
        fitted on \(fitted) runs, holding out \(b.heldOutErrors.runs): \(b.holdout)
        objective: sum of Huber of log residuals = \(formatSignificant(b.objectiveValue, digits: 10)); \(b.summary.message)

        \(parameterTable(b.law).render(style))
        \(residuals ? "all runs (error = predicted - observed):" : "held-out runs (error = predicted - observed):")
        \(runs.render(style))
        held-out error in total (fitted runs in-sample for comparison):
        \(totals.render(style))
        """
    }

    static func render(_ s: PowerLawSweep, format: OutputFormat) -> String {
        if format == .json { return jsonText(s) }
        let style = format.style
        let each = s.targets.count <= 5
        var header = ["sizes", "runs", "largest_N", "E", "A", "B", "alpha", "beta"]
        if each { header += s.targets.map { "pred_\($0.label)" } }
        header += ["mean_abs_rel_error", "max_abs_rel_error", "target_in_fit"]
        let rows = s.steps.map { step -> [String] in
            var r = ["\(step.sizes)", "\(step.runs)", formatSignificant(step.largestSizeUsed, digits: 3)]
            r += [step.law.E, step.law.A, step.law.B, step.law.alpha, step.law.beta].map { formatSignificant($0, digits: 4) }
            if each { r += step.predicted.map { formatSignificant($0, digits: 5) } }
            r += [formatSignificant(step.errors.meanAbsoluteRelativeError, digits: 3),
                  formatSignificant(step.errors.maxAbsoluteRelativeError, digits: 3), step.targetsInFit ? "yes" : "no"]
            return r
        }
        let table = TextTable(header: header, rows: rows)
        if style == .csv { return table.render(.csv) }
        // For people: the fits and the predictions as two tables, each within 100 columns.
        let fits = TextTable(header: ["sizes", "runs", "largest_N", "E", "A", "B", "alpha", "beta", "mean_rel_err", "max_rel_err", "in_fit"],
                             rows: rows.map { Array($0.prefix(8)) + Array($0.suffix(3)) })
        let predictions = TextTable(header: ["sizes"] + s.targets.map(\.label), rows: s.steps.map { step in
            ["\(step.sizes)"] + step.predicted.map { formatSignificant($0, digits: 5) }
        })
        let targets = TextTable(header: ["run", "line", "params", "tokens", "observed"], rows: s.targets.map {
            [$0.label, "\($0.line)", formatSignificant($0.parameters, digits: 4), formatSignificant($0.tokens, digits: 4),
             formatSignificant($0.observed, digits: 6)]
        })
        let head = style == .markdown ? "## " : ""
        return """
        \(head)chinchilla sweep: fit on the smallest k model sizes, predict the largest's \(s.targets.count) runs
        the largest size's runs:
        \(targets.render(style))
        fits (errors: the largest size's runs, |predicted - observed| / observed):
        \(fits.render(style))
        """ + (each ? "predicted loss of the largest size's runs:\n" + predictions.render(style) : "")
    }
}
