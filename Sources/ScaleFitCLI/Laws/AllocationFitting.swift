import Foundation
import ScaleFit

/// `scalefit fit runs.csv --law isoflop` (Hoffmann's approach 2) and `fit curves.csv --law
/// envelope` (approach 1): the per-budget table, a and b with the bootstrap's 95%
/// intervals, and the allocation at `--compute-budget`; `-o` writes the fit file that
/// `optimal --compute` reads.
enum AllocationFitting {
    /// An exponent as printed: the estimate, its least-squares standard error and the bootstrap interval.
    struct Exponent: Encodable {
        let name: String
        let estimate: Double
        /// The least-squares standard error; nil for two budgets (no residual is left).
        let stdError: Double?
        let lower95, median, upper95: Double?
    }

    /// What both approaches print.
    struct Result: Encodable {
        let approach: Int
        let law: String
        let method: String
        let rule: String
        let budgets: Int
        let used: Int
        let flagged: Int
        let flaggedReasons: String
        let exponents: [Exponent]
        let bootstrap: FitFile.BootstrapSummary?
        let allocation: AllocationPowerLaw.Allocation
        let allocationIntervals: [Bootstrap.Interval]?
        /// How the IsoFLOP bootstrap redrew the runs, in words (nil for the envelope).
        var resampling: String? = nil
        /// What the bootstrap could not vary, when something (`IsoFLOPProfiles.bootstrapCaveat`).
        var caveat: String? = nil
    }

    static func result(approach: Int, law: AllocationPowerLaw, bootstrap: AllocationBootstrap?, budgets: Int, used: Int,
                       flagged: Int, reasons: String, method: String, rule: String, compute: Double) -> Result {
        let intervals = bootstrap?.exponentIntervals
        let se: Double? = law.points > 2 ? law.covariance[3].squareRoot() : nil
        let exponents = [Exponent(name: "a", estimate: law.a, stdError: se, lower95: intervals?[0].lower, median: intervals?[0].median, upper95: intervals?[0].upper),
                         Exponent(name: "b", estimate: law.b, stdError: se, lower95: intervals?[1].lower, median: intervals?[1].median, upper95: intervals?[1].upper)]
        return Result(approach: approach, law: approach == 2 ? FitFile.isoflopLaw : FitFile.envelopeLaw, method: method, rule: rule,
                      budgets: budgets, used: used, flagged: flagged, flaggedReasons: reasons, exponents: exponents,
                      bootstrap: bootstrap.map { .init(samples: $0.samples, failed: $0.failed, seed: $0.seed, compute: nil, intervals: $0.exponentIntervals, draws: nil) },
                      allocation: law.allocation(compute: compute), allocationIntervals: bootstrap?.allocationIntervals(compute: compute))
    }

    static let isoflopMethod = "per budget, a least-squares parabola of the final loss in ln N; its minimum N_opt and D_opt = C/(6 N_opt); then ln N_opt = ln k + a ln C by least squares, b = 1 - a"
    static let envelopeMethod = "at each budget C, the lowest loss across the curves (each linear in ln C between its logged points) and the N attaining it; then ln N_opt = ln k + a ln C by least squares, b = 1 - a"

    static func fit(_ input: FitInput, law: FitLaw) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        let compute = try args.value(FitCommand.computeBudget)!
        let samples = try AllocationOptions.samples(args), seed = UInt64(try args.value(BootstrapOptions.seed)!)
        var result: Result, budgets: TextTable, file: FitFile
        let residuals: TextTable, figure: () -> PlotFigure
        let name = URL(fileURLWithPath: path).lastPathComponent
        if law == .isoflop {
            let (runs, dropped) = try AllocationInputs.runs(table: input.table!, path: path, args: args, out: out)
            let binning = try ComputeBinning(tolerance: try args.value(AllocationOptions.computeTolerance)!)
            let resampling = try args.value(AllocationOptions.resample)!
            out.note("IsoFLOP profiles of \(runs.count) runs; bootstrap: \(samples) resamples (\(resampling.rawValue)) within each budget, seed \(seed)…")
            let fit = try IsoFLOPProfiles(runs, options: .init(binning: binning, bootstrapSamples: samples, seed: seed, resampling: resampling))
            result = Self.result(approach: 2, law: fit.law, bootstrap: fit.bootstrap, budgets: fit.profiles.count, used: fit.used,
                                 flagged: fit.flagged, reasons: IsoFLOPProfiles.flagSummary(fit.profiles), method: isoflopMethod,
                                 rule: binning.description, compute: compute)
            result.resampling = resampling == .residuals ? "of the runs' residuals within each used budget" : "over runs within each used budget"
            result.caveat = fit.bootstrapCaveat
            if let c = fit.bootstrapCaveat { out.note("warning: \(c); --resample runs draws whole runs") }
            budgets = profileTable(fit)
            file = FitFile(isoflop: fit, droppedRows: dropped)
            residuals = runTable(fit)
            figure = { AllocationPlot.isoflop(fit, compute: compute, title: "\(name): IsoFLOP profiles (Hoffmann approach 2)") }
        } else {
            let (curves, rows, dropped) = try AllocationInputs.curves(table: input.table!, path: path, args: args, out: out)
            let width = try args.value(AllocationOptions.binWidth)!
            out.note("loss envelope of \(curves.curves.count) curves; bootstrap: \(samples) resamples of the curves, seed \(seed)…")
            let fit = try LossEnvelope(curves, options: .init(binWidth: width, bootstrapSamples: samples, seed: seed))
            result = Self.result(approach: 1, law: fit.law, bootstrap: fit.bootstrap, budgets: fit.points.count, used: fit.used,
                                 flagged: fit.flagged, reasons: "\(fit.flagged) with the envelope at the smallest or largest size covering the budget flagged",
                                 method: envelopeMethod, rule: "budgets C = 10^(k*\(width)), k integer, within the logged compute", compute: compute)
            budgets = envelopeTable(fit)
            file = FitFile(envelope: fit, rows: rows, droppedRows: dropped)
            residuals = envelopeResiduals(fit)
            figure = { AllocationPlot.envelope(fit, compute: compute, title: "\(name): loss envelope (Hoffmann approach 1)") }
        }
        if let o = args.text(OutputOptions.output) { try writeFitFile(file, to: o, args: args, out: out) }
        if let svg = args.text(OutputOptions.plot) { try writePlot(figure().svg(), to: svg, out: out) }
        if let dir = args.text(OutputOptions.report) {
            try ReportDirectory(title: "\(law.rawValue) fitted to \(name)", markdown: render(result, budgets: budgets, format: .markdown),
                                fitFile: file, parameters: exponentTable(result), residuals: residuals, svg: figure().svg()).write(to: dir, out: out)
        }
        try out.write(render(result, budgets: budgets, format: format))
        return 0
    }

    static func span(_ lower: Double?, _ upper: Double?, digits: Int = 3) -> String {
        guard let lower, let upper else { return "" }
        return "\(formatSignificant(lower, digits: digits))–\(formatSignificant(upper, digits: digits))"
    }

    static func profileTable(_ fit: IsoFLOPProfiles) -> TextTable {
        TextTable(header: ["budget", "compute_range", "runs", "sizes", "params_range", "params_opt", "tokens_opt", "loss_min", "status"],
                  rows: fit.profiles.map { p in
                      [formatSignificant(p.compute, digits: 3), span(p.computeRange.lower, p.computeRange.upper), "\(p.runs.count)",
                       "\(p.parabola.distinctSizes)", span(p.parameterRange.lower, p.parameterRange.upper),
                       p.parabola.optimalParameters.map { formatSignificant($0, digits: 4) } ?? "",
                       p.optimalTokens.map { formatSignificant($0, digits: 4) } ?? "",
                       p.parabola.minimumLoss.map { formatSignificant($0, digits: 5) } ?? "",
                       p.isUsed ? "used" : "flagged: " + p.parabola.status.rawValue]
                  })
    }

    static func envelopeTable(_ fit: LossEnvelope) -> TextTable {
        TextTable(header: ["budget", "loss", "run", "params_opt", "tokens_opt", "curves", "status"], rows: fit.points.map { p in
            [formatSignificant(p.compute, digits: 3), formatSignificant(p.loss, digits: 5), p.run, formatSignificant(p.parameters, digits: 4),
             formatSignificant(p.compute / (6 * p.parameters), digits: 4), "\(p.curves)",
             p.isUsed ? "used" : "flagged: at the smallest or largest size covering it"]
        })
    }

    /// The report's residuals.csv for approach 2: every run with its budget, its budget's
    /// parabola at its N and the residual, and whether its budget was used (the role).
    static func runTable(_ fit: IsoFLOPProfiles) -> TextTable {
        var rows: [[String]] = []
        for p in fit.profiles {
            for i in p.runs {
                let observed = fit.runs.loss[i], fitted = p.parabola.loss(parameters: fit.runs.parameters[i])
                let has = fitted.isFinite
                rows.append(["\(fit.runs.lines[i])", formatSignificant(fit.runs.parameters[i]), formatSignificant(fit.runs.compute[i]),
                             formatSignificant(p.compute, digits: 4), formatSignificant(observed),
                             has ? formatSignificant(fitted) : "", has ? formatSignificant(fitted - observed, digits: 4) : "",
                             has ? formatSignificant((fitted - observed) / observed, digits: 4) : "",
                             p.isUsed ? "fitted" : "flagged: " + p.parabola.status.rawValue])
            }
        }
        return TextTable(header: ["line", "params", "compute", "budget", "loss", "parabola", "residual", "rel_residual", "role"], rows: rows)
    }

    /// The report's residuals.csv for approach 1: every budget's envelope, the N attaining it,
    /// the fitted k·C^a there and the residual in ln N_opt, and whether it was used (the role).
    static func envelopeResiduals(_ fit: LossEnvelope) -> TextTable {
        TextTable(header: ["budget", "loss", "run", "params_opt", "params_fit", "log_residual", "role"], rows: fit.points.map { p in
            let line = fit.law.parameters(compute: p.compute)
            return [formatSignificant(p.compute, digits: 4), formatSignificant(p.loss), p.run, formatSignificant(p.parameters),
                    formatSignificant(line), formatSignificant(log(p.parameters / line), digits: 4),
                    p.isUsed ? "fitted" : "flagged: at the smallest or largest size covering it"]
        })
    }

    /// The exponents as a table: a and b with the least-squares standard error and the bootstrap interval.
    static func exponentTable(_ r: Result) -> TextTable {
        TextTable(header: ["parameter", "estimate", "std_error", "lower95", "upper95"], rows: r.exponents.map {
            [$0.name, formatSignificant($0.estimate, digits: 4), $0.stdError.map { formatSignificant($0, digits: 3) } ?? "",
             $0.lower95.map { formatSignificant($0, digits: 4) } ?? "", $0.upper95.map { formatSignificant($0, digits: 4) } ?? ""]
        })
    }

    static func allocationTable(_ r: Result) -> TextTable {
        let o = r.allocation, i = r.allocationIntervals
        return TextTable(header: ["compute", "params", "tokens", "tokens_per_param", "params_95", "tokens_95", "tokens_per_param_95"], rows: [[
            formatSignificant(o.compute, digits: 4), formatSignificant(o.parameters, digits: 4), formatSignificant(o.tokens, digits: 4),
            formatSignificant(o.tokensPerParameter, digits: 4), span(i?[0].lower, i?[0].upper), span(i?[1].lower, i?[1].upper),
            span(i?[2].lower, i?[2].upper)]])
    }

    static func render(_ r: Result, budgets: TextTable, format: OutputFormat) -> String {
        if format == .json { return jsonText(r) }
        let style = format.style
        if style == .csv { return exponentTable(r).render(.csv) }
        let head = style == .markdown ? "## " : ""
        let title = r.approach == 2 ? "IsoFLOP profiles (Hoffmann et al. 2022, approach 2)" : "loss envelope (Hoffmann et al. 2022, approach 1)"
        let boot = r.bootstrap.map {
            "bootstrap \(r.resampling ?? "over curves"): \($0.samples) resamples, seed \($0.seed), \($0.failed) with fewer than 2 usable budgets left out"
        } ?? "no bootstrap"
        let caveat = r.caveat.map { "\nwarning: \($0)" } ?? ""
        return """
        \(head)\(title): N_opt = k*C^a, D_opt = C/(6*N_opt)
        budgets: \(r.budgets), \(r.used) used, \(r.flagged) flagged (\(r.flaggedReasons))\(r.used == 2 ? "; with 2 budgets the line passes through both and leaves no residual for a standard error" : "")
        binning: \(r.rule)
        method: \(r.method)
        \(budgets.render(style))
        \(exponentTable(r).render(style))
        \(boot)\(caveat)
        compute-optimal allocation at \(formatSignificant(r.allocation.compute, digits: 3)) FLOPs:
        \(allocationTable(r).render(style))
        """
    }
}
