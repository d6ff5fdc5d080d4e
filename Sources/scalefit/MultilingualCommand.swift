import Foundation
import ScaleFit

/// `scalefit fit FILE --law multilingual` and `scalefit check-independence FILE`: the
/// multilingual law (He et al. 2024) from a table with one row per (run, language family).
enum MultilingualCommand {
    /// Reads the table and its columns: params, tokens, family, ratio, loss (run optional).
    static func data(path: String, args: Arguments) throws -> (data: MultilingualData, dropped: Int) {
        let table = try RunTableReader.read(path: path)
        var overrides: [ColumnRole: String] = [:]
        if let x = args.options["x"] {
            let names = x.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard names.count == 2 else {
                throw UsageError(message: "--x: expected two columns PARAMS,TOKENS for multilingual, found \"\(x)\"")
            }
            overrides[.params] = names[0]
            overrides[.tokens] = names[1]
        }
        if let y = args.options["y"] { overrides[.loss] = y }
        if let g = args.options["group"] { overrides[.run] = g }
        if let f = args.options["family"] { overrides[.family] = f }
        if let r = args.options["ratio"] { overrides[.ratio] = r }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        eprint(mapping.description)
        let (data, dropped) = try MultilingualData.read(table: table, mapping: mapping, strict: args.options["strict"] != nil)
        if !dropped.isEmpty { eprint("\(path): \(dropped)") }
        for w in data.warnings { eprint("warning: \(path): \(w)") }
        return (data, dropped.count)
    }

    /// `--share alpha,beta`: parameter indices (0…5).
    static func shared(_ text: String?) throws -> Set<Int> {
        guard let text else { return [] }
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
    /// values (E, A, B > 0 are stored as their logs).
    static func fixed(_ text: String?, families: [String]) throws -> [String: [Int: Double]] {
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
                guard families.contains(family) else {
                    throw UsageError(message: "--fix: unknown family \"\(family)\" (families: \(families.joined(separator: ", ")))")
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

    static func fit(path: String, args: Arguments, format: String) throws -> Int32 {
        var options = MultilingualFitOptions()
        if let spec = args.options["loss"] {
            guard case let .huber(scale) = try RobustLoss(spec: spec) else {
                throw UsageError(message: "--loss: the multilingual fit takes huber:DELTA, found \"\(spec)\"")
            }
            options.delta = scale
        }
        options.shared = try shared(args.options["share"])
        let (data, dropped) = try data(path: path, args: args)
        options.fixed = try fixed(args.options["fix"], families: data.familyNames)
        eprint("fitting multilingual: \(data.familyNames.count) families (\(data.familyNames.joined(separator: ", "))), \(data.family.count) rows, \(options.starts.count) starts each…")
        let fit: MultilingualFit
        do {
            fit = try MultilingualFit(data: data, options: options)
        } catch ScaleFitError.invalidData(let file, let reason) where reason.hasPrefix("the data cannot identify") {
            throw ScaleFitError.invalidData(file: file, reason: reason + " (hold a parameter with --fix FAMILY.NAME=VALUE, or fit it jointly with --share NAME)")
        }
        let report = MultilingualReport(fit: fit, data: data)
        if let out = args.options["output"] {
            try FitFile(multilingual: fit, data: .init(file: path, rows: data.family.count, droppedRows: dropped)).write(to: out)
            eprint("wrote \(out)")
        }
        print(render(report, format: format, residuals: args.options["residuals"] != nil), terminator: "")
        if fit.rankDeficient { eprint("warning: some parameter is not determined by the data (infinite standard error)") }
        for f in report.families where !f.converged {
            eprint("scalefit: family \(f.name): \(f.message)")
        }
        return report.families.allSatisfy(\.converged) ? 0 : 1
    }

    static func render(_ r: MultilingualReport, format: String, residuals: Bool) -> String {
        if format == "json" { return jsonText(r) }
        let style = TextTable.Style(rawValue: format) ?? .table
        let params = TextTable(header: ["family", "parameter", "estimate", "std_error", "note"], rows: r.families.flatMap { f in
            f.parameters.map { p in
                [f.name, p.name, formatSignificant(p.estimate, digits: 6), formatSignificant(p.standardError, digits: 3),
                 f.fixed.contains(p.name) ? "fixed" : f.shared.contains(p.name) ? "shared" : ""]
            }
        })
        if style == .csv { return params.render(.csv) }
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

        \(params.render(style))
        \(stats.render(style))
        """
        if residuals {
            let rows = TextTable(header: ["run", "family", "params", "tokens", "ratio", "observed", "fitted", "rel_residual"],
                                 rows: r.rows.map {
                                     [$0.run, $0.family, formatSignificant($0.parameters, digits: 4), formatSignificant($0.tokens, digits: 4),
                                      formatSignificant($0.ratio, digits: 4), formatSignificant($0.observed, digits: 6),
                                      formatSignificant($0.fitted, digits: 6), formatSignificant($0.relativeResidual, digits: 3)]
                                 })
            text += rows.render(style)
        } else {
            text += "(\(r.rows.count) rows; --residuals prints each row's residual)\n"
        }
        return text
    }

    static let checkUsage = """
    USAGE: scalefit check-independence FILE [--noise REL] [--x PARAMS,TOKENS] [--y LOSS] [--group RUN]
                                            [--family COL] [--ratio COL] [--strict] [--format table|json|markdown]

    Checks the multilingual law's hypothesis (He et al. 2024) that a language family's loss
    depends on its own sampling ratio only. Where runs share N, D and family i's ratio but
    differ in the other families' ratios, the spread of family i's log loss (pooled SD) is
    set against the noise level: the relative noise given, else the spread between replicate
    runs (same N, D and mix). A family is flagged when spread²/noise² is significant at 1%
    (F test against the replicates' degrees of freedom; χ² when --noise is given).

    OPTIONS:
      --noise REL          the relative noise of a loss (e.g. 0.01), when the data has no replicates
      --x, --y, --group, --family, --ratio   the columns (detected by name otherwise)
      --strict             fail instead of dropping rows or passing ratios that do not sum to 1
      --format FORMAT      table (default), json, csv or markdown
      -h, --help           show this help
    """

    static func checkIndependence(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueFlags: ["noise", "x", "y", "group", "family", "ratio", "format"], boolFlags: ["strict"])
        if args.help { print(checkUsage); return 0 }
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one data file\n\n\(checkUsage)") }
        let format = try outputFormat(args)
        let noise = try args.double("noise")
        if let noise, !(noise > 0) { throw UsageError(message: "--noise: expected a positive relative noise, found \(noise)") }
        let path = args.positionals[0]
        guard FileManager.default.fileExists(atPath: path) else { throw ScaleFitError.invalidData(file: path, reason: "no such file") }
        let check: IndependenceCheck
        do {
            check = try IndependenceCheck(data: try data(path: path, args: args).data, noise: noise)
        } catch ScaleFitError.invalidData(let file, let reason) where reason.hasPrefix("no replicate runs") {
            throw ScaleFitError.invalidData(file: file, reason: reason + " with --noise")
        }
        if format == "json" { print(jsonText(check), terminator: ""); return 0 }
        let t = TextTable(header: ["family", "groups", "df", "spread", "noise", "noise_df", "noise_from", "ratio", "p_value", "verdict"], rows: check.families.map {
            [$0.name, "\($0.groups)", "\($0.degreesOfFreedom)", formatSignificant($0.spread, digits: 4), formatSignificant($0.noise, digits: 4),
             $0.noiseSource == "given" ? "-" : "\($0.noiseDegreesOfFreedom)", $0.noiseSource, formatSignificant($0.ratio, digits: 3),
             formatSignificant($0.pValue, digits: 3),
             $0.consistent.map { $0 ? "consistent" : "depends on the mix" } ?? "not checked"]
        })
        print(t.render(TextTable.Style(rawValue: format) ?? .table) + "verdict: \(check.verdict)\n", terminator: "")
        return 0
    }
}
