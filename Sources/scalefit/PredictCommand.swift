import Foundation
import ScaleFit

/// Parses a comma-separated list of numbers (size suffixes allowed: 70M, 1.3B, 1.4T).
func numberList(_ text: String, flag: String) throws -> [Double] {
    var out: [Double] = []
    var position = 1
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        let s = part.trimmingCharacters(in: .whitespaces)
        var v = Double(s)
        if v == nil, let last = s.last, let base = Double(s.dropLast()) {
            let scale: [Character: Double] = ["K": 1e3, "k": 1e3, "M": 1e6, "m": 1e6, "B": 1e9, "b": 1e9, "G": 1e9, "T": 1e12, "t": 1e12]
            if let f = scale[last] { v = base * f }
        }
        guard let value = v, value.isFinite, value > 0 else {
            throw ScaleFitError.badArgument(flag: flag, position: position, expected: "a positive number (e.g. 7e10 or 70B)", found: s)
        }
        out.append(value)
        position += part.count + 1
    }
    return out
}

/// The `--params` and `--tokens` lists of a prediction, a single value on one side paired
/// with each value on the other; `missing` is the usage message when either is absent.
func pairedSizes(_ args: Arguments, missing: String) throws -> (params: [Double], tokens: [Double]) {
    guard let ptext = args.options["params"], let dtext = args.options["tokens"] else {
        throw UsageError(message: missing)
    }
    var n = try numberList(ptext, flag: "--params")
    var d = try numberList(dtext, flag: "--tokens")
    if n.count == 1 && d.count > 1 { n = Array(repeating: n[0], count: d.count) }
    if d.count == 1 && n.count > 1 { d = Array(repeating: d[0], count: n.count) }
    guard n.count == d.count else {
        throw UsageError(message: "--params has \(n.count) values and --tokens \(d.count); give equal counts or one of either")
    }
    return (n, d)
}

/// `scalefit predict FIT.json --params N[,N…] --tokens D[,D…]`.
enum PredictCommand {
    static let usage = """
    USAGE: scalefit predict FIT.json --params N[,N…] --tokens D[,D…] [--format table|json|csv|markdown]
           scalefit predict FIT.json --steps S[,S…]|START:END:STRIDE
                            [--schedule SPEC | --schedule-file FILE | --run NAME] [--format …]
           scalefit predict FORMULA-FIT.json --at NAME=V[,V…] [--at NAME=V[,V…] …] [--format …]
           scalefit predict POWER.fit.json --at COLUMN=X[,X…]
           scalefit predict MULTILINGUAL-FIT.json --params N[,N…] --tokens D[,D…] --at FAMILY=P[,P…] [--at …]

    Predicts from a saved fit, with a 95% interval from the parameter covariance (delta
    method on log L). A Chinchilla fit predicts the loss of models of N parameters trained
    on D tokens (with one value on one side and several on the other, the one is paired
    with each); a loss-curve fit (annealing, multipower) predicts the loss at the given
    steps of a run under the given learning-rate schedule.

    OPTIONS:
      --params N,…         model sizes (7e10 or 70B)
      --tokens D,…         training tokens (1.4e12 or 1.4T)
      --steps LIST         steps, or ranges START:END:STRIDE (0:24000:500), comma-separated
      --schedule SPEC      the schedule, e.g. wsd:peak=3e-4,warmup=500,stable=20000,decay=4000
      --schedule-file FILE a CSV of step,lr (piecewise linear between rows)
      --warmup linear|none with --schedule-file: a linear warmup from 0 before its first row
      --run NAME           the schedule of a run the fit was made on (default when it has one)
      --at NAME=V,…        formula fits: the values of one variable; one --at per variable
                           (a single value is paired with each of the others); prints the
                           formula's value with a 95% interval (delta method, exact gradient);
                           multilingual fits: --at FAMILY=P,… gives the family's sampling
                           ratios, and each is predicted at every (N, D)
      --at COLUMN=X,…      power-law fits: values of the fitted column (e.g. --at params=7e10)
      --format FORMAT      table (default), json, csv or markdown
      -h, --help           show this help
    """

    struct Row: Codable { let params: Double; let tokens: Double; let loss: Double; let lower95: Double; let upper95: Double }

    /// Every flag any law's prediction takes; each law checks the ones it needs.
    static let valueFlags = ["params", "tokens", "format", "at", "steps", "schedule", "schedule-file", "run", "warmup"]

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueFlags: valueFlags)
        if args.help { print(usage); return 0 }
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one fit file\n\n\(usage)") }
        let path = args.positionals[0]
        let format = try outputFormat(args)
        // Usage errors first, whatever the file holds.
        if args.options["params"] != nil || args.options["tokens"] != nil {
            _ = try pairedSizes(args, missing: "--params and --tokens go together\n\n\(usage)")
        }
        if let s = args.options["steps"] { _ = try CurveFitCommand.steps(s) }
        let fit = try FitFile.read(path: path)
        switch fit.law {
        case ChinchillaLaw.identifier:
            return try chinchilla(fit, path: path, args: args, format: format)
        case let law where CurveLaw.identifiers.contains(law):
            return try CurveFitCommand.predict(fit, path: path, args: args, format: format)
        case FitFile.formulaLaw:
            return try FormulaPredictCommand.run(fit, path: path, args: args, format: format)
        case SaturatingPowerLaw.identifier:
            return try PowerFitCommand.predictPower(fit, path: path, args: args, format: format)
        case KaplanLaw.identifier:
            return try PowerFitCommand.predictKaplan(fit, path: path, args: args, format: format)
        case MultilingualLaw.identifier:
            return try MultilingualMixCommand.predict(fit, path: path, args: args, format: format)
        default:
            throw ScaleFitError.invalidData(file: path, reason: "this build cannot predict from a \(fit.law) fit")
        }
    }

    static func chinchilla(_ fit: FitFile, path: String, args: Arguments, format: String) throws -> Int32 {
        let (n, d) = try pairedSizes(args, missing: "predicting from a chinchilla fit needs --params and --tokens\n\n\(usage)")
        let rows = try zip(n, d).map { ni, di -> Row in
            let p = try fit.predict(parameters: ni, tokens: di, file: path)
            return Row(params: ni, tokens: di, loss: p.loss, lower95: p.lower, upper95: p.upper)
        }
        print(render(rows, format: format), terminator: "")
        return 0
    }

    /// Predictions at (N, D) as the chosen format prints them.
    static func render(_ rows: [Row], format: String) -> String {
        if format == "json" { return jsonText(rows) }
        let t = TextTable(header: ["params", "tokens", "loss", "lower95", "upper95"], rows: rows.map {
            [formatSignificant($0.params, digits: 4), formatSignificant($0.tokens, digits: 4),
             formatSignificant($0.loss, digits: 6), formatSignificant($0.lower95, digits: 6), formatSignificant($0.upper95, digits: 6)]
        })
        return t.render(TextTable.Style(rawValue: format) ?? .table)
    }
}

/// `scalefit optimal FIT.json --compute C[,C…]`.
enum OptimalCommand {
    static let usage = """
    USAGE: scalefit optimal FIT.json --compute C[,C…] [--format table|json|csv|markdown]
           scalefit optimal MULTILINGUAL-FIT.json --mix --params N --tokens D [--weights …] (see below)

    The compute-optimal model size N* and tokens D* for each budget C (FLOPs, C = 6·N·D)
    under the saved Chinchilla fit, with tokens per parameter and the predicted loss.

    OPTIONS:
      --compute C,…        budgets in FLOPs (e.g. 5.76e23)
      --format FORMAT      table (default), json, csv or markdown
      -h, --help           show this help

    \(MultilingualMixCommand.optimalUsage)
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueFlags: ["compute", "format", "params", "tokens", "weights", "min-ratio", "current"],
                                 boolFlags: ["mix", "normalize"])
        if args.help { print(usage); return 0 }
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one fit file\n\n\(usage)") }
        if args.options["mix"] != nil {
            let fit = try FitFile.read(path: args.positionals[0])
            return try MultilingualMixCommand.optimal(fit, path: args.positionals[0], args: args, format: try outputFormat(args))
        }
        guard let ctext = args.options["compute"] else { throw UsageError(message: "optimal needs --compute\n\n\(usage)") }
        let format = try outputFormat(args)
        let budgets = try numberList(ctext, flag: "--compute")
        let path = args.positionals[0]
        let law = try FitFile.read(path: path).chinchilla(file: path)
        let rows = budgets.map { ComputeOptimalAllocation(law: law, compute: $0) }
        if format == "json" { print(jsonText(rows), terminator: ""); return 0 }
        let t = TextTable(header: ["compute", "params", "tokens", "tokens_per_param", "loss"], rows: rows.map {
            [formatSignificant($0.compute, digits: 4), formatSignificant($0.parameters, digits: 4),
             formatSignificant($0.tokens, digits: 4), formatSignificant($0.tokensPerParameter, digits: 4),
             formatSignificant($0.loss, digits: 6)]
        })
        print(t.render(TextTable.Style(rawValue: format) ?? .table), terminator: "")
        return 0
    }
}

/// The `--format` value, checked.
func outputFormat(_ args: Arguments) throws -> String {
    let format = args.options["format"] ?? "table"
    let known = ["table", "json", "csv", "markdown"]
    guard known.contains(format) else {
        let hint = nearest(format, in: known).map { "; did you mean '\($0)'?" } ?? ""
        throw UsageError(message: "--format: expected table, json, csv or markdown, found \"\(format)\"\(hint)")
    }
    return format
}
