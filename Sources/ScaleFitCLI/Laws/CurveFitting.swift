import Foundation
import ScaleFit

/// Loss-curve laws on the command line: `fit --law annealing|multipower`, `backtest`, and
/// `predict --steps` from a curve fit.
enum CurveFitting {
    static func robustLoss(_ args: ParsedArguments) throws -> RobustLoss {
        try args.value(SolverOptionsGroup.loss) ?? .huber(scale: 1e-3)
    }

    /// The curves of a table, with the detected columns printed to stderr.
    static func readCurves(table: RunTable, path: String, args: ParsedArguments, out: CommandOutput) throws -> LossCurveSet {
        var overrides: [ColumnRole: String] = [:]
        if let x = args.text(LogInputOptions.step) ?? args.text(InputOptions.x) { overrides[.step] = x }
        if let lr = args.text(LogInputOptions.lr) { overrides[.lr] = lr }
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        if let g = args.text(CurveOptions.group) { overrides[.run] = g }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let set = try LossCurveSet(table: table, mapping: mapping, schedules: try CurveOptions.schedules(args),
                                   before: try args.value(CurveOptions.warmup)!, strict: args.has(InputOptions.strict))
        var cols = "columns: step=\"\(set.stepColumn)\", loss=\"\(set.lossColumn)\""
        if let lr = set.rateColumn { cols += ", lr=\"\(lr)\"" }
        if let run = set.runColumn { cols += ", run=\"\(run)\"" }
        out.note(cols)
        if !set.dropped.isEmpty { out.note("\(path): \(set.dropped)") }
        for (curve, source) in zip(set.curves, set.sources) {
            out.note("curve \(curve.name): \(curve.steps.count) losses, steps \(curve.steps.first!)–\(curve.steps.last!); lr \(source)")
        }
        return set
    }

    /// The curve law `--law` names with `--momentum`/`--convention` and `--loss`, handed to
    /// `body` as its own type (so that it fits a `Fit<AnnealingLaw>` or `Fit<MultiPowerLaw>`).
    static func withLaw<R>(_ fitLaw: FitLaw, _ args: ParsedArguments, _ body: (any CurveFittingLaw) throws -> R) throws -> R {
        var law = try CurveOptions.law(fitLaw, args)
        law.loss = try robustLoss(args)
        return try body(law)
    }

    // MARK: fit

    static func fit(_ input: FitInput, law fitLaw: FitLaw) throws -> Int32 {
        try withLaw(fitLaw, input.args) { try fit(input, law: $0) }
    }

    static func fit<L: CurveFittingLaw>(_ input: FitInput, law: L) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        let set = try readCurves(table: input.table!, path: path, args: args, out: out)
        let law = try CurveSearch.searching(law, args)
        let data = LossCurves(set, file: path)
        out.note("fitting \(L.identifier) to \(set.curves.count) curve\(set.curves.count == 1 ? "" : "s") from \(law.starts(for: data).count) starts…")
        let fit = try Fit(law, to: data)
        let items = set.curves.indices.map { (curve: set.curves[$0], lines: set.lineNumbers[$0], schedule: set.sources[$0]) }
        let report = try CurveFitReport(fit, fitted: items)
        let title = "\(L.identifier) law fitted to \(URL(fileURLWithPath: path).lastPathComponent)"
        return try finish(report, fit: fit, data: data, set: set, fitted: Array(set.curves.indices), title: title,
                          path: path, args: args, format: format, out: out)
    }

    /// What `fit` and `backtest` do with a finished fit (of `data`, the curves `indices` of
    /// `set`): the fit file (`-o`), the figure (`--plot`), the report folder (`--report`), the
    /// printed report, and the exit status (1 when the fit did not converge).
    static func finish<L: CurveFittingLaw>(_ report: CurveFitReport, fit: Fit<L>, data: LossCurves, set: LossCurveSet, fitted indices: [Int],
                                       title: String, path: String, args: ParsedArguments, format: OutputFormat,
                                       out: CommandOutput) throws -> Int32 {
        var file = fit.file
        if args.has(OutputOptions.output) || args.has(OutputOptions.report) || report.scoredMean != nil {
            file = try NoiseEstimate.attach(file, as: L.self, law: fit.law, data: data, source: path, out: out)
        }
        var report = report
        let scored = set.curves.indices.filter { !indices.contains($0) }
        if !scored.isEmpty {
            var observed: [Double] = [], predictions: [ScaleFit.CurvePrediction] = []
            for i in scored {
                let c = set.curves[i]
                let byStep = Dictionary(try file.predictCurve(schedule: set.schedules[i], steps: c.steps, file: path).map { ($0.step, $0) },
                                        uniquingKeysWith: { a, _ in a })
                for (s, y) in zip(c.steps, c.losses) {
                    guard let p = byStep[s] else { continue }
                    observed.append(y)
                    predictions.append(p)
                }
            }
            report.coverage = CurveFitReport.Coverage(observed: observed, intervals: predictions.map { ($0.lower95, $0.upper95) },
                                                      bands: predictions.map { ($0.meanLower95, $0.meanUpper95) })
        }
        warnIfUnsound(report.diagnostics, out: out)
        if let path = args.text(OutputOptions.output) { try writeFitFile(file, to: path, args: args, out: out) }
        if let svg = args.text(OutputOptions.plot) { try writePlot(try plot(report, curves: set.curves, title: title), to: svg, out: out) }
        if let dir = args.text(OutputOptions.report) {
            try writeReport(report, title: title, curves: set.curves, fitFile: file, to: dir, out: out)
        }
        try out.write(render(report, format: format, residuals: args.has(OutputOptions.residuals), correlation: args.has(OutputOptions.correlation)))
        if !report.summary.converged {
            out.note("scalefit: \(report.summary.message)")
            return 1
        }
        return 0
    }

    static func render(_ r: CurveFitReport, format: OutputFormat, residuals: Bool, correlation: Bool = false) -> String {
        if format == .json { return jsonText(r) }
        let style = format.style
        let params = parameterTable(r)
        func metricRow(_ name: String, _ role: String, _ points: String, _ m: LossCurveMetrics) -> [String] {
            [name, role, points, formatSignificant(m.r2, digits: 5), formatSignificant(m.mae, digits: 3),
             formatSignificant(m.rmse, digits: 3), formatSignificant(m.meanRelativeError, digits: 3),
             formatSignificant(m.worstRelativeError, digits: 3), formatSignificant(m.maxError, digits: 3),
             formatSignificant(m.finalError, digits: 3)]
        }
        var rows = r.curves.map { metricRow($0.name, $0.role.rawValue, "\($0.points.count)", $0.metrics) }
        rows.append(metricRow("mean", "fitted", "", r.fittedMean))
        if let s = r.scoredMean { rows.append(metricRow("mean", "scored", "", s)) }
        let curves = TextTable(header: ["curve", "role", "points", "r2", "mae", "rmse", "mean_rel", "worst_rel", "max_error", "final_error"], rows: rows)
        let points = pointTable(r)
        if style == .csv {
            return residuals ? points.render(.csv)
                : (correlation ? StatisticsText.withCorrelationColumns(params, r.statistics) { $0[0] } : params).render(.csv)
        }
        let stats = TextTable(header: ["statistic", "value"], rows: StatisticsText.rows(r.statistics))
        let head = style == .markdown ? "## " : ""
        let schedules = r.curves.map { "  \($0.name) (\($0.role.rawValue)): lr \($0.schedule)" }.joined(separator: "\n")
        return """
        \(head)\(r.law): \(r.formula)
        objective: \(r.objective) = \(formatSignificant(r.objectiveValue, digits: 10))
        \(r.summary.message); best of \(r.startsTried) starts (\(searchLine(r)))
        \(FitDiagnostic.reportLine(r.diagnostics))\(schedules)

        \(params.render(style))
        \(StatisticsText.correlationBlock(r.statistics, shown: correlation, style: style))\(stats.render(style))
        \(curves.render(style))
        """ + coverageLine(r) + (residuals ? "\n" + points.render(style) : "")
    }

    /// How the search ended: the polished runs that converged and, for a staged search, that
    /// they ran on a reduced problem and how many were refined on the full one.
    static func searchLine(_ r: CurveFitReport) -> String {
        let polished = "\(r.startsConverged) of \(r.startsPolished) distinct polished runs converged"
        guard r.startsRefined > 0 else { return polished }
        return polished + " on a reduced problem; the best \(r.startsRefined == 1 ? "one" : "\(r.startsRefined)") run on to convergence on every point and change of the schedule"
    }

    /// The backtest's coverage of the scored points by the 95% intervals, or "".
    static func coverageLine(_ r: CurveFitReport) -> String {
        guard let c = r.coverage else { return "" }
        return "\n" + c.sentence(of: "scored points") + "\n"
    }

    static func parameterTable(_ r: CurveFitReport) -> TextTable {
        TextTable(header: ["parameter", "estimate", "std_error"], rows: r.parameters.map {
            [$0.name, formatSignificant($0.estimate, digits: 8), formatSignificant($0.standardError, digits: 3)]
        })
    }

    /// Every logged point's residual, with its curve's role (fitted or scored).
    static func pointTable(_ r: CurveFitReport) -> TextTable {
        TextTable(header: ["curve", "line", "step", "lr", "observed", "predicted", "residual", "rel_residual", "role"],
                  rows: r.curves.flatMap { c in c.points.map {
                      [c.name, "\($0.line)", "\($0.step)", formatSignificant($0.lr, digits: 4),
                       formatSignificant($0.observed, digits: 6), formatSignificant($0.predicted, digits: 6),
                       formatSignificant($0.residual, digits: 3), formatSignificant($0.relativeResidual, digits: 3), c.role.rawValue]
                  } })
    }

    /// `--report DIR` for a curve fit or backtest.
    static func writeReport(_ r: CurveFitReport, title: String, curves: [LossCurve], fitFile: FitFile, to dir: String,
                            out: CommandOutput) throws {
        try ReportDirectory(title: title, markdown: render(r, format: .markdown, residuals: false, correlation: true), fitFile: fitFile,
                            parameters: parameterTable(r), residuals: pointTable(r), svg: try plot(r, curves: curves, title: title)).write(to: dir, out: out)
    }
}

// MARK: plots

extension CurveFitting {
    /// The loss-curve figure of a report: fitted curves as solid lines, scored (held-out)
    /// curves as dashed predictions, observed points, residuals and the learning rates.
    static func plot(_ report: CurveFitReport, curves: [LossCurve], title: String) throws -> String {
        let byName = Dictionary(curves.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let items = try report.curves.map { c -> LossCurvePlot.Curve in
            guard let curve = byName[c.name] else {
                throw ScaleFitError.invalidData(file: "plot", reason: "no curve \(c.name)")
            }
            let predicted = c.points.map(\.predicted)
            return c.role == .fitted
                ? LossCurvePlot.Curve(curve: curve, fitted: predicted)
                : LossCurvePlot.Curve(curve: curve, fitted: [], predictionSteps: curve.steps, predicted: predicted)
        }
        let subtitle = PlotTitle.values(names: report.parameters.map(\.name), values: report.parameters.map(\.estimate))
        return try LossCurvePlot(curves: items).figure(title: title, subtitle: subtitle).flagged(report.diagnostics).svg()
    }
}
