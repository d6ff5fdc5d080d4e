import Foundation
import ScaleFit

/// `scalefit predict FIT.json …`: predicts from a saved fit, with a 95% interval; the law
/// is the fit file's, and an option that does not apply to it is refused.
enum PredictCommand: Subcommand {
    static let pointLaws: Set<FitLaw> = [.chinchilla, .kaplan, .multilingual]

    static let params = Option<[Double]>(OptionDeclaration("params", value: "N,…", help: "model sizes (7e10 or 70B)", laws: pointLaws)) {
        try numberList($0, flag: "--params")
    }
    static let tokens = Option<[Double]>(OptionDeclaration("tokens", value: "D,…", help: "training tokens (1.4e12 or 1.4T)", laws: pointLaws)) {
        try numberList($0, flag: "--tokens")
    }
    static let at = Option<String>(OptionDeclaration("at", value: "NAME=V,…", arity: .repeatable, help:
        "formula fits: the values of one variable, one --at per variable (a single value is paired with each of the others); power-law fits: values of the fitted column (e.g. --at params=7e10); multilingual fits: --at FAMILY=P,… gives the family's sampling ratios, each predicted at every (N, D)",
        laws: [.power, .formula, .multilingual]))
    static let steps = Option<[Int]>(OptionDeclaration("steps", value: "LIST", help:
        "steps, or ranges START:END:STRIDE (0:24000:500), comma-separated", laws: FitLaw.curves), parse: CurvePrediction.steps)
    static let schedule = Option<LRSchedule>(OptionDeclaration("schedule", value: "SPEC", help:
        "the schedule, e.g. wsd:peak=3e-4,warmup=500,stable=20000,decay=4000", laws: FitLaw.curves)) {
        try LRSchedule(spec: $0, flag: "--schedule")
    }
    static let scheduleFile = Option<String>(OptionDeclaration("schedule-file", value: "FILE", help:
        "a CSV of step,lr (piecewise linear between rows)", laws: FitLaw.curves))
    static let run = Option<String>(OptionDeclaration("run", value: "NAME", help:
        "the schedule of a run the fit was made on (default when it has one)", laws: FitLaw.curves))

    static let spec = CommandSpec(
        name: "predict",
        usage: [
            "FIT.json --params N[,N…] --tokens D[,D…] [--format table|json|csv|markdown]",
            "FIT.json --steps S[,S…]|START:END:STRIDE [--schedule SPEC | --schedule-file FILE | --run NAME] [--format …]",
            "FORMULA-FIT.json --at NAME=V[,V…] [--at NAME=V[,V…] …] [--format …]",
            "POWER.fit.json --at COLUMN=X[,X…]",
            "MULTILINGUAL-FIT.json --params N[,N…] --tokens D[,D…] --at FAMILY=P[,P…] [--at …]",
        ],
        discussion: """
        Predicts from a saved fit, with a 95% interval from the parameter covariance (delta
        method on log L). A Chinchilla fit predicts the loss of models of N parameters trained
        on D tokens (with one value on one side and several on the other, the one is paired
        with each); a loss-curve fit (annealing, multipower) predicts the loss at the given
        steps of a run under the given learning-rate schedule. An option that does not apply
        to the fit's law (the laws in brackets) is refused with exit 64.
        """,
        arguments: [("FIT.json", "a fit file written by 'scalefit fit -o'")],
        groups: [("options", [params.declaration, tokens.declaration, at.declaration, steps.declaration, schedule.declaration,
                              scheduleFile.declaration,
                              CurveOptions.warmup.declaration.applying(to: FitLaw.curves),
                              run.declaration, OutputOptions.format.declaration])])

    /// A prediction at (N, D): the loss, the 95% prediction interval and the 95% confidence band.
    struct Row: Codable {
        let params: Double; let tokens: Double; let loss: Double; let lower95: Double; let upper95: Double
        let meanLower95: Double; let meanUpper95: Double
        init(params: Double, tokens: Double, _ p: Prediction) {
            self.params = params; self.tokens = tokens; loss = p.value
            lower95 = p.predictionLower; upper95 = p.predictionUpper; meanLower95 = p.lower; meanUpper95 = p.upper
        }
    }

    /// Usage errors first, whatever the file holds.
    static func validate(_ args: ParsedArguments) throws {
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one fit file\n\n\(spec.helpText)") }
        if args.has(params) || args.has(tokens) {
            _ = try pairedSizes(args, missing: "--params and --tokens go together\n\n\(spec.helpText)")
        }
        let given = [args.has(schedule), args.has(scheduleFile), args.has(run)].filter { $0 }.count
        guard given <= 1 else { throw UsageError(message: "give one of --schedule, --schedule-file and --run") }
        if args.has(CurveOptions.warmup) && !args.has(scheduleFile) {
            throw UsageError(message: "--warmup goes with --schedule-file (the warmup before its first row)")
        }
    }

    /// The fit file opened as the fit of its law (`LawRegistry`), each option checked against
    /// the law, then predicted at the kind of point the law takes: model sizes (Chinchilla,
    /// Kaplan), values of x (the power law), steps under a schedule (the curve laws), values
    /// of named variables (formulas), or points of families (multilingual).
    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        let path = args.positionals[0]
        let format = try args.value(OutputOptions.format)!
        let file = try FitFile.read(path: path)
        if FitLaw(fitFileLaw: file.law).map(FitLaw.allocation.contains) == true {
            throw ScaleFitError.invalidData(file: path, reason: "an \(file.law) fit holds the compute-optimal allocation, not a loss law: use 'scalefit optimal \(path) --compute C'")
        }
        guard let law = FitLaw(fitFileLaw: file.law), law != .nist else {
            throw ScaleFitError.invalidData(file: path, reason: "this build cannot predict from a \(file.law) fit")
        }
        try args.checkApplicability(to: law)
        let fitted = try LawRegistry.fit(file, source: path)
        IntervalColumns.note(file, out: out)
        switch fitted.queryKind {
        case .sizes:
            let (n, d) = try pairedSizes(args, missing: "predicting from a \(file.law) fit needs --params and --tokens\n\n\(spec.helpText)")
            try out.write(render(try rows(fitted, path: path, sizes: zip(n, d).map { ModelSize(N: $0, D: $1) }), format: format))
            return 0
        case .values: return try PowerPrediction.predict(fitted, path: path, args: args, format: format, out: out)
        case .curve: return try CurvePrediction.predict(file, path: path, args: args, format: format, out: out)
        case .columns: return try FormulaPrediction.run(fitted, path: path, args: args, format: format, out: out)
        case .families: return try MultilingualMix.predict(fitted, path: path, args: args, format: format, out: out)
        case nil: throw ScaleFitError.invalidData(file: path, reason: "the \(file.law) law predicts at no point a command line can give")
        }
    }

    /// The `--params` and `--tokens` lists of a prediction, a single value on one side paired
    /// with each value on the other; `missing` is the usage message when either is absent.
    static func pairedSizes(_ args: ParsedArguments, missing: String) throws -> (params: [Double], tokens: [Double]) {
        guard var n = try args.value(params), var d = try args.value(tokens) else { throw UsageError(message: missing) }
        if n.count == 1 && d.count > 1 { n = Array(repeating: n[0], count: d.count) }
        if d.count == 1 && n.count > 1 { d = Array(repeating: d[0], count: n.count) }
        guard n.count == d.count else {
            throw UsageError(message: "--params has \(n.count) values and --tokens \(d.count); give equal counts or one of either")
        }
        return (n, d)
    }

    /// The predictions of a law of (N, D) at `sizes`, from the fit file opened as the fit of
    /// its law (`LawRegistry`, `Fit.predict`); a size where the law's value is not a finite
    /// loss is bad data naming it.
    static func rows(_ fitted: any FittedLaw, path: String, sizes: [ModelSize]) throws -> [Row] {
        let predictions = try fitted.predict(.sizes(sizes), level: 0.95)
        return try zip(sizes, predictions).map { s, p in
            guard p.value.isFinite, p.value > 0 else {
                throw ScaleFitError.invalidData(file: path, reason: "the prediction at N = \(s.N), D = \(s.D) is \(p.value), not a finite loss")
            }
            return Row(params: s.N, tokens: s.D, p)
        }
    }

    /// Predictions at (N, D) as the chosen format prints them.
    static func render(_ rows: [Row], format: OutputFormat) -> String {
        if format == .json { return jsonText(rows) }
        let t = TextTable(header: ["params", "tokens", "loss"] + IntervalColumns.header, rows: rows.map {
            [formatSignificant($0.params, digits: 4), formatSignificant($0.tokens, digits: 4)]
                + IntervalColumns.cells(loss: $0.loss, lower95: $0.lower95, upper95: $0.upper95, meanLower95: $0.meanLower95, meanUpper95: $0.meanUpper95)
        })
        return t.render(format.style)
    }
}
