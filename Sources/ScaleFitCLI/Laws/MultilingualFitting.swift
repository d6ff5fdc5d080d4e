import Foundation
import ScaleFit

/// `scalefit fit FILE --law multilingual` and `scalefit check-independence FILE`: the
/// multilingual law (He et al. 2024) from a table with one row per (run, language family).
enum MultilingualFitting {
    /// Reads the table and its columns: params, tokens, family, ratio, loss (run optional).
    static func data(table: RunTable, path: String, args: ParsedArguments, out: CommandOutput) throws -> (data: MultilingualData, dropped: Int) {
        var overrides: [ColumnRole: String] = [:]
        if let x = args.text(InputOptions.x) {
            let names = x.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard names.count == 2 else {
                throw UsageError(message: "--x: expected two columns PARAMS,TOKENS for multilingual, found \"\(x)\"")
            }
            overrides[.params] = names[0]
            overrides[.tokens] = names[1]
        }
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        if let g = args.text(CurveOptions.group) { overrides[.run] = g }
        if let f = args.text(MultilingualOptions.family) { overrides[.family] = f }
        if let r = args.text(MultilingualOptions.ratio) { overrides[.ratio] = r }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        out.note(mapping.description)
        let (data, dropped) = try MultilingualData.read(table: table, mapping: mapping, strict: args.has(InputOptions.strict))
        if !dropped.isEmpty { out.note("\(path): \(dropped)") }
        for w in data.warnings { out.note("warning: \(path): \(w)") }
        return (data, dropped.count)
    }

    /// `--share alpha,beta`: parameter indices (0…5).
    @Sendable static func shared(_ text: String) throws -> Set<Int> {
        var out: Set<Int> = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let k = parameterIndex(name) else {
                let known = MultilingualLaw.naturalParameterNames
                let hint = nearest(name, in: known).map { "; did you mean '\($0)'?" } ?? ""
                throw UsageError(message: "--share: expected parameter names among \(known.joined(separator: ", ")), found \"\(name)\"\(hint)")
            }
            out.insert(k)
        }
        return out
    }

    static func parameterIndex(_ name: String) -> Int? {
        MultilingualLaw.naturalParameterNames.firstIndex(of: name) ?? MultilingualLaw.familyParameterNames.firstIndex(of: name)
    }

    /// `--fix zh.gamma=0.15,alpha=0.3`: FAMILY.NAME=V for one family, NAME=V for all; natural
    /// values (E, A, B > 0 are stored as their logs). With `families` nil, any family name
    /// passes (the syntax check before the data is read).
    static func fixed(_ text: String?, families: [String]?) throws -> [String: [Int: Double]] {
        guard let text else { return [:] }
        var out: [String: [Int: Double]] = [:]
        for part in text.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            let pieces = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let value = Double(pieces[1]), value.isFinite else {
                throw UsageError(message: "--fix: expected FAMILY.NAME=VALUE or NAME=VALUE, found \"\(item)\"")
            }
            var family = "*", name = pieces[0]
            if let dot = name.lastIndex(of: ".") {
                family = String(name[..<dot]); name = String(name[name.index(after: dot)...])
                guard families?.contains(family) ?? true else {
                    throw UsageError(message: "--fix: unknown family \"\(family)\" (families: \(families!.joined(separator: ", ")))")
                }
            }
            guard let k = parameterIndex(name) else {
                throw UsageError(message: "--fix: unknown parameter \"\(name)\" (expected \(MultilingualLaw.naturalParameterNames.joined(separator: ", ")))")
            }
            if k < 3 && MultilingualLaw.naturalParameterNames.contains(name) {
                guard value > 0 else { throw UsageError(message: "--fix: \(name) must be positive, found \(value)") }
                out[family, default: [:]][k] = log(value)
            } else {
                out[family, default: [:]][k] = value
            }
        }
        return out
    }

    /// δ of `--loss huber:DELTA`, the one loss the multilingual fit takes; nil without `--loss`.
    static func delta(_ args: ParsedArguments) throws -> Double? {
        guard let loss = try args.value(SolverOptionsGroup.loss) else { return nil }
        guard case let .huber(scale) = loss else {
            throw UsageError(message: "--loss: the multilingual fit takes huber:DELTA, found \"\(args.text(SolverOptionsGroup.loss)!)\"")
        }
        return scale
    }

    static func fit(_ input: FitInput) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        var options = MultilingualFitOptions()
        if let delta = try delta(args) { options.delta = delta }
        options.shared = try args.value(MultilingualOptions.share) ?? []
        let (data, dropped) = try data(table: input.table!, path: path, args: args, out: out)
        options.fixed = try fixed(args.text(MultilingualOptions.fix), families: data.familyNames)
        out.note("fitting multilingual: \(data.familyNames.count) families (\(data.familyNames.joined(separator: ", "))), \(data.family.count) rows, \(options.starts.count) starts each…")
        let fit: MultilingualFit
        do {
            fit = try MultilingualFit(data: data, options: options)
        } catch ScaleFitError.invalidData(let file, let reason) where reason.hasPrefix("the data cannot identify") {
            throw ScaleFitError.invalidData(file: file, reason: reason + " (hold a parameter with --fix FAMILY.NAME=VALUE, or fit it jointly with --share NAME)")
        }
        var report = MultilingualReport(fit: fit, data: data)
        if let count = try args.value(BootstrapOptions.bootstrap) {
            let seed = try args.value(BootstrapOptions.seed)!
            out.note("bootstrap: \(count) resamples of the rows within each family, seed \(seed), each refitted from the fit's optimum…")
            report.bootstrap = try fit.bootstrap(data, samples: count, seed: UInt64(seed))
        }
        var saved = FitFile(multilingual: fit, data: .init(file: path, rows: data.family.count, droppedRows: dropped))
            .withStatistics(report.statistics).withDiagnostics(report.diagnostics).withBootstrap(report.bootstrap)
        if args.has(OutputOptions.output) || args.has(OutputOptions.report) {
            out.note("prediction noise: each family's leave-one-out refits…")
            saved.noise = fit.predictionNoise(data)
            NoiseEstimate.note(saved.noise!, out: out)
        }
        if let file = args.text(OutputOptions.output) { try writeFitFile(saved, to: file, args: args, out: out) }
        if args.has(OutputOptions.plot) || args.has(OutputOptions.report) {
            let svg = try figure(report, path: path)
            if let file = args.text(OutputOptions.plot) { try writePlot(svg, to: file, out: out) }
            if let dir = args.text(OutputOptions.report) {
                try ReportDirectory(title: "multilingual fitted to \(URL(fileURLWithPath: path).lastPathComponent)",
                                    markdown: render(report, format: .markdown, residuals: true, correlation: true), fitFile: saved,
                                    parameters: parameterTable(report), residuals: rowTable(report).appending(column: "role", value: "fitted"),
                                    svg: svg).write(to: dir, out: out)
            }
        }
        try out.write(render(report, format: format, residuals: args.has(OutputOptions.residuals), correlation: args.has(OutputOptions.correlation)))
        warnIfUnsound(report.diagnostics, out: out)
        for f in report.families where !f.converged {
            out.note("scalefit: family \(f.name): \(f.message)")
        }
        return report.families.allSatisfy(\.converged) ? 0 : 1
    }

    /// The figure: every row's loss against N on log axes, one colour per family, the fitted
    /// value's residual below (a row's law depends on its D and ratio too, so no law line).
    static func figure(_ r: MultilingualReport, path: String) throws -> String {
        try figure(families: r.families.map(\.name), rows: r.rows.map { ($0.family, $0.parameters, $0.line, $0.observed, $0.fitted) },
                   formula: r.formula, diagnostics: r.diagnostics, path: path)
    }

    /// The figure of a multilingual law over the rows of `data` (`plot FIT DATA`).
    static func figure(_ law: MultilingualLaw, data: MultilingualData, diagnostics: [String], path: String) throws -> String {
        let names = law.families.map(\.name)
        let rows = data.family.indices.compactMap { i -> (String, Double, Int, Double, Double)? in
            let name = data.familyNames[data.family[i]]
            guard let family = law.family(named: name) else { return nil }
            return (name, data.parameters[i], data.lines[i], data.loss[i],
                    family.loss(parameters: data.parameters[i], tokens: data.tokens[i], ratio: data.ratios[i]))
        }
        return try figure(families: names, rows: rows, formula: MultilingualLaw.formula, diagnostics: diagnostics, path: path)
    }

    static func figure(families: [String], rows all: [(family: String, parameters: Double, line: Int, observed: Double, fitted: Double)],
                       formula: String, diagnostics: [String], path: String) throws -> String {
        let groups = families.map { name in
            let rows = all.filter { $0.family == name }.sorted { ($0.parameters, $0.line) < ($1.parameters, $1.line) }
            return PowerLawPlot.Group(name: name, x: rows.map(\.parameters), observed: rows.map(\.observed), fitted: rows.map(\.fitted))
        }
        return try PowerLawPlot(groups: groups, groupHeading: "family")
            .figure(title: "\(URL(fileURLWithPath: path).lastPathComponent): " + PlotTitle.greek(formula),
                    subtitle: "each family fitted alone; residuals are fitted − observed").flagged(diagnostics).svg()
    }

    static func parameterTable(_ r: MultilingualReport) -> TextTable {
        TextTable(header: ["family", "parameter", "estimate", "std_error", "note"], rows: r.families.flatMap { f in
            f.parameters.map { p in
                [f.name, p.name, formatSignificant(p.estimate, digits: 6), formatSignificant(p.standardError, digits: 3),
                 f.fixed.contains(p.name) ? "fixed" : f.shared.contains(p.name) ? "shared" : ""]
            }
        })
    }

    static func rowTable(_ r: MultilingualReport) -> TextTable {
        TextTable(header: ["run", "family", "params", "tokens", "ratio", "observed", "fitted", "rel_residual"], rows: r.rows.map {
            [$0.run, $0.family, formatSignificant($0.parameters, digits: 4), formatSignificant($0.tokens, digits: 4),
             formatSignificant($0.ratio, digits: 4), formatSignificant($0.observed, digits: 6),
             formatSignificant($0.fitted, digits: 6), formatSignificant($0.relativeResidual, digits: 3)]
        })
    }

    static func render(_ r: MultilingualReport, format: OutputFormat, residuals: Bool, correlation: Bool = false) -> String {
        if format == .json { return jsonText(r) }
        let style = format.style
        let params = parameterTable(r)
        if style == .csv {
            guard correlation else { return params.render(.csv) }
            // A row's parameter is FAMILY.NAME in the correlation (a shared one in every family).
            return StatisticsText.withCorrelationColumns(params, r.statistics) { "\($0[0]).\($0[1])" }.render(.csv)
        }
        let joint = TextTable(header: ["statistic", "value"], rows: StatisticsText.rows(r.statistics))
        let stats = TextTable(header: ["family", "rows", "objective", "starts_at_best", "rmse", "mean_abs_rel_error", "r_squared_log", "log_rms"],
                              rows: r.families.map { f in
                                  [f.name, "\(f.rows)", formatSignificant(f.objective, digits: 8), "\(f.startsAtBest)/\(f.starts)",
                                   formatSignificant(f.rmse, digits: 4), formatSignificant(f.meanAbsoluteRelativeError, digits: 4),
                                   formatSignificant(f.rSquaredLog, digits: 6), formatSignificant(f.logResidualRMS, digits: 4)]
                              })
        let head = style == .markdown ? "## " : ""
        var text = """
        \(head)multilingual: \(r.formula)
        objective: \(r.objective); total \(formatSignificant(r.objectiveValue, digits: 10))
        \(r.families.map { "\($0.name): \($0.message)" }.joined(separator: "; "))
        \(FitDiagnostic.reportLine(r.diagnostics))
        \(params.render(style))
        \(StatisticsText.correlationBlock(r.statistics, shown: correlation, style: style))\(stats.render(style))
        all families together:
        \(joint.render(style))\(PowerFitting.bootstrapTable(r.bootstrap, style: style, over: "rows within each family"))
        """
        if residuals {
            text += rowTable(r).render(style)
        } else {
            text += "(\(r.rows.count) rows; --residuals prints each row's residual)\n"
        }
        return text
    }
}
