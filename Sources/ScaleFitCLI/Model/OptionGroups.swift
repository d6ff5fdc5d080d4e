import Foundation
import ScaleFit

/// The input columns: `--x`, `--y`, `--strict` (fit, backtest, plot, check-independence).
enum InputOptions {
    static let x = Option<String>(OptionDeclaration("x", value: "COLUMNS", help:
        "the input columns: PARAMS,TOKENS (chinchilla, kaplan, multilingual); the one column x of the power law (default: params if present, else tokens, else compute); the step column of curves; with --formula, the columns that are the formula's variables"))
    static let y = Option<String>(OptionDeclaration("y", value: "LOSS", help:
        "the loss column (detected by name otherwise, a validation loss such as eval_loss before a training loss: --y loss takes a trainer state's training series); with --formula, the observed column"))
    static let strict = Flag("strict", help: "fail (exit 65) instead of dropping rows with missing values; on fit, exit 1 when the fit is not sound (without it: exit 0 with the warning)")

    static func declarations(laws: Set<FitLaw>?) -> [OptionDeclaration] {
        [x.declaration, y.declaration, strict.declaration].map { $0.applying(to: laws) }
    }
}

/// What is written and how: `--format`, `-o`, `--report`, `--plot`.
enum OutputOptions {
    static let format = Option<OutputFormat>(OptionDeclaration("format", value: "FORMAT", help: "table (default), json, csv or markdown"),
                                             default: { .table }, parse: OutputFormat.parse)
    static let output = Option<String>(OptionDeclaration("output", short: "o", value: "FILE", help:
        "save the fit (versioned JSON) for 'predict', 'optimal' and 'plot'"))
    static let report = Option<String>(OptionDeclaration("report", value: "DIR", help:
        "write fit.json, report.md, parameters.csv, residuals.csv, fit.svg and an index.html showing them together"))
    static let plot = Option<String>(OptionDeclaration("plot", value: "FILE.svg", help:
        "write the figure (SVG): loss against N on log axes with the law per D/N (chinchilla: and the compute-optimal frontier and the bootstrap band; kaplan: no frontier), loss against x with the law (power), or the loss curves with the law, the residuals and the learning rates; isoflop: each budget's runs with its parabola and minimum, envelope: the curves against C = 6ND with the envelope, both over N_opt against C with the fitted k*C^a and its band; multilingual: loss against N per family; formula: the data and the law against its one variable, else observed against fitted; NIST .dat: y against x with the fitted and the certified model"))
    static let correlation = Flag("correlation", help:
        "print the correlation matrix of the parameters (JSON output and fit files always hold it; with --format csv, a column corr_NAME per parameter)")
    static let residuals = Flag("residuals", help: "print every point's residual (curves with --format csv: only them)")

    /// Checks that every destination given can be written, before any work (exit 74).
    static func checkDestinations(_ args: ParsedArguments) throws {
        if let o = args.text(output) { try OutputDestination.checkFile(o, flag: args.spelling(output.declaration)) }
        if let p = args.text(plot) { try OutputDestination.checkFile(p, flag: "--plot") }
        if let r = args.text(report) { try OutputDestination.checkDirectory(r, flag: "--report") }
    }
}

/// The solver's objective: `--loss`.
enum SolverOptionsGroup {
    static let loss = Option<RobustLoss>(OptionDeclaration("loss", value: "SPEC", help:
        "l2, huber:C, soft_l1:C, cauchy:C or arctan:C (chinchilla and multilingual: huber:DELTA only, default huber:1e-3; curves: default huber:1e-3; power, kaplan, formula, NIST: default l2)")) {
        try RobustLoss(spec: $0, flag: "--loss")
    }
}

/// The bootstrap: `--bootstrap`, `--seed`.
enum BootstrapOptions {
    static let bootstrap = Option<Int>(OptionDeclaration("bootstrap", value: "N", help:
        "N bootstrap resamples of the runs (percentile 95% intervals; 10 to 100000); chinchilla, power, kaplan, formula and multilingual refit each resample from the fit's optimum (one start, not the law's start grid); multilingual resamples the rows within each family and gives intervals per FAMILY.NAME; refused for the loss-curve laws (annealing, multipower): one to three curves are too few to resample whole, and a curve's points are serially correlated, so resampling points would understate the spread (their intervals are the covariance's, widened by the leave-one-curve-out prediction noise)")) { text in
        let count = try Values.int(text, flag: "--bootstrap")
        guard count >= 10 else { throw UsageError(message: "--bootstrap: expected at least 10 resamples, found \(count)") }
        // Each resample is a whole refit: a cap keeps a typo from running for days.
        guard count <= Bootstrap.maximumSamples else {
            throw UsageError(message: "--bootstrap: expected at most \(Bootstrap.maximumSamples) resamples, found \(count)")
        }
        return count
    }
    static let seed = Option<Int>(OptionDeclaration("seed", value: "S", help: "the seed (default 0): same seed, same resamples"),
                                  default: { 0 }, parse: Values.seed)
}

/// One `--schedule` value: `SPEC` for every run or `RUN=SPEC` for one.
struct RunSchedule: Sendable {
    var run: String
    var spec: String
}

/// Loss-curve options: `--group`, `--schedule`, `--warmup`, `--momentum`, `--convention`.
enum CurveOptions {
    static let group = Option<String>(OptionDeclaration("group", value: "COL", help: "the column naming each row's run (detected: run, name)"))
    static let schedule = Option<RunSchedule>(OptionDeclaration("schedule", value: "SPEC", arity: .repeatable, help:
        "the LR schedule of every run, or RUN=SPEC for one run (repeatable), e.g. cosine:peak=3e-4,warmup=500,total=20000,final=0.1; without it η comes from the lr column (piecewise linear between logged steps)")) { text in
        var run = "", spec = text
        if let eq = text.firstIndex(of: "="), let colon = text.firstIndex(of: ":"), eq < colon {
            run = String(text[..<eq])
            spec = String(text[text.index(after: eq)...])
        }
        _ = try LRSchedule(spec: spec, flag: "--schedule")
        return RunSchedule(run: run, spec: spec)
    }
    static let warmup = Option<LoggedSchedule.Before>(OptionDeclaration("warmup", value: "linear|none", help:
        "the logged lr starts after a linear warmup from 0 (linear) or is held before the first logged step (none, the default)"),
        default: { .hold }) { text in
        switch text {
        case "none": return .hold
        case "linear": return .linearFromZero
        default: throw UsageError(message: "--warmup: expected linear (the log starts after a linear warmup from 0) or none, found \"\(text)\"")
        }
    }
    static let momentum = Option<String>(OptionDeclaration("momentum", value: "L|fit", help:
        "λ of the annealing area (default 0.999) or fit it", laws: [.annealing])) { m in
        guard m == "fit" || (Double(m).map { $0 >= 0 && $0 < 1 } ?? false) else {
            throw UsageError(message: "--momentum: expected a number in [0, 1) or 'fit', found \"\(m)\"")
        }
        return m == "fit" ? "fitted" : m
    }
    static let convention = Option<String>(OptionDeclaration("convention", value: "C", help:
        "repository (default; the published fits') or paper", laws: [.multipower])) { c in
        guard ["repository", "paper"].contains(c) else {
            throw UsageError(message: "--convention: expected repository or paper, found \"\(c)\"")
        }
        return c
    }

    static let maxEvaluations = Option<Int>(OptionDeclaration("max-evaluations", value: "N", help:
        "the evaluation budget of each polishing run (default 2000; the screening runs take at most 20)", laws: FitLaw.curves)) { text in
        let n = try Values.int(text, flag: "--max-evaluations")
        guard n >= 1, n <= 10_000_000 else { throw UsageError(message: "--max-evaluations: expected 1 to 10000000, found \(n)") }
        return n
    }
    static let starts = Option<Int>(OptionDeclaration("starts", value: "N", help:
        "the number of starts screened (default: the law's grid, annealing 54, multipower 12): fewer are spread over the grid, more add seeded points around it", laws: FitLaw.curves)) { text in
        let n = try Values.int(text, flag: "--starts")
        guard n >= 1, n <= 10_000 else { throw UsageError(message: "--starts: expected 1 to 10000, found \(n)") }
        return n
    }

    /// The schedules by run ("" for every run), each run at most once.
    static func schedules(_ args: ParsedArguments) throws -> [String: LRSchedule] {
        var out: [String: LRSchedule] = [:]
        for s in try args.values(schedule) {
            guard out[s.run] == nil else {
                throw UsageError(message: "--schedule: two schedules for \(s.run.isEmpty ? "every run" : "run \"\(s.run)\"")")
            }
            out[s.run] = try LRSchedule(spec: s.spec, flag: "--schedule")
        }
        return out
    }

    /// `NAME=V,…` (or `F.NAME=V` for multilingual) as names and finite values, in order.
    static func namedValues(_ text: String, flag: String) throws -> [(name: String, value: Double)] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let item = part.trimmingCharacters(in: .whitespaces)
            let pieces = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, !pieces[0].isEmpty, let value = Double(pieces[1]), value.isFinite else {
                throw UsageError(message: "\(flag): expected NAME=VALUE (a finite number), found \"\(item)\"")
            }
            return (pieces[0], value)
        }
    }

    /// The curve law named `law` with `--momentum` and `--convention`.
    static func law(_ law: FitLaw, _ args: ParsedArguments) throws -> any CurveFittingLaw {
        var settings: [String: String] = [:]
        if let m = try args.value(momentum) { settings["momentum"] = m }
        if let c = try args.value(convention) { settings["convention"] = c }
        return try LawRegistry.curveLaw(named: law.rawValue, settings: settings, source: "--law")
    }
}

/// Multilingual options: `--share`, `--fix`, `--family`, `--ratio`.
enum MultilingualOptions {
    static let share = Option<Set<Int>>(OptionDeclaration("share", value: "NAMES", help:
        "parameters common to all families (e.g. alpha,beta), fitted jointly on every family's rows", laws: [.multilingual]),
        parse: MultilingualFitting.shared)
    /// `--fix` holds parameters at values for the multilingual law (per family) and the curve
    /// laws; the names are checked against the law's when it is known (`CurveSearchSettings.check`).
    static let fix = Option<String>(OptionDeclaration("fix", value: "[F.]NAME=V,…", help:
        "hold parameters at values: for the curve laws any of theirs (annealing: L0, A, alpha, C, lambda; multipower: L0, A, alpha, B, C, beta, gamma); for multilingual E, A, B, alpha, beta, gamma of family F, or of every family without \"F.\"",
        laws: [.multilingual, .annealing, .multipower])) {
        _ = try CurveOptions.namedValues($0, flag: "--fix")
        return $0
    }
    static let family = Option<String>(OptionDeclaration("family", value: "COL", help: "the language-family column (detected by name otherwise)"))
    static let ratio = Option<String>(OptionDeclaration("ratio", value: "COL", help: "the sampling-ratio column (detected by name otherwise)"))
}

/// Your own law: `--formula`, `--start`, `--bounds`.
enum FormulaOptions {
    static let formula = Option<String>(OptionDeclaration("formula", value: "FORMULA", help:
        "your own law, e.g. 'E + A*N^-alpha + B*D^-beta': + - * / ^, numbers, pi, exp expm1 log log1p log10 sqrt abs sin cos tan atan atan2(y, x) pow min max; names that are columns are variables (or those --x lists; N, D and C also name the detected params, tokens and compute columns), the others are parameters fitted by least squares (or --loss)")) {
        _ = try FormulaModel(formula: $0, variables: [])
        return $0
    }
    static let start = Option<String>(OptionDeclaration("start", value: "NAME=V,…", help:
        "with --formula: a start for every parameter; LO:HI:STEP is a grid, and the Cartesian product of grids is fitted from each point, best kept; for a NIST .dat file: 1, 2 or all (default), which of its starting vectors ('all' keeps the better fit)",
        laws: [.formula, .nist]))
    static let bounds = Option<ParameterRanges>(OptionDeclaration("bounds", value: "NAME=LO:HI,…", help:
        "box bounds of the formula's or the curve law's parameters (either side may be empty or inf; for a curve law they replace its own box for the parameters named)",
        laws: [.formula, .annealing, .multipower])) {
        try ParameterRanges(parsing: $0, flag: "--bounds")
    }
}
