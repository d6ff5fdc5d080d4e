import Foundation
import ScaleFit

/// `scalefit backtest FILE`: fits a law on some runs (or model sizes) and scores its
/// prediction of the others — Chinchilla, Kaplan or the power law on a table of runs, or a
/// loss-curve law on curves.
enum BacktestCommand: Subcommand {
    /// The laws of runs a holdout splits.
    static let runLaws: Set<FitLaw> = [.chinchilla, .kaplan, .power, .multilingual]
    static let laws: Set<FitLaw> = FitLaw.curves.union(runLaws)

    /// `--law`: auto (nil: chinchilla for a table with params and tokens or compute) or a law.
    static let law = Option<FitLaw?>(OptionDeclaration("law", value: "LAW", help:
        "auto (default: chinchilla for a table with params and tokens or compute), chinchilla, kaplan, power, multilingual, annealing or multipower")) { text in
        if text == "auto" { return nil }
        let known: [FitLaw] = [.chinchilla, .kaplan, .power, .multilingual, .annealing, .multipower]
        if let law = FitLaw(rawValue: text), !known.contains(law) {
            let why: String
            switch law {
            case .formula: why = "a formula names no size to hold out by; hold rows out of the table and compare with 'predict'"
            case .isoflop, .envelope: why = "it fits the compute-optimal allocation, not a loss at held-out runs"
            default: why = "a NIST file is a certified regression problem, not runs"
            }
            throw UsageError(message: "--law: backtest does not apply to the \(law.rawValue) law (\(why)); it takes \(known.map(\.rawValue).joined(separator: ", "))")
        }
        guard let law = FitLaw(rawValue: text), known.contains(law) else {
            let names = ["auto"] + known.map(\.rawValue)
            let hint = nearest(text, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "--law: expected \(names.joined(separator: ", ")), found \"\(text)\"\(hint)")
        }
        return law
    }

    static let spec = CommandSpec(
        name: "backtest",
        usage: [
            "RUNS [--law chinchilla|kaplan|power|multilingual] --holdout largest[:K]|compute>FLOPS|random:F [--seed S] [--x COLUMNS] [--y LOSS]",
            "         [--loss huber:DELTA] [--residuals] [--plot FILE.svg] [--report DIR] [--format table|json|csv|markdown]",
            "RUNS [--law chinchilla] --sweep [--format …]",
            "CURVES --law annealing|multipower --fit-runs A,B[,…] [--score-runs C,…] [--group COL]",
            "         [--schedule SPEC | --schedule RUN=SPEC …] [--warmup linear|none] [--momentum L|fit]",
            "         [--convention repository|paper] [--fix NAME=V,…] [--bounds NAME=LO:HI,…] [--starts N] [--max-evaluations N]",
            "         [--loss SPEC] [--residuals] [--plot FILE.svg] [--report DIR] [-o FIT]",
        ],
        discussion: """
        RUNS (a table with params and tokens or compute; the default law for one, or multilingual
        for one with family and ratio columns): fits Chinchilla's
        law (Hoffmann's grid and objective) on the runs --holdout keeps and prints each held-out
        run's observed and predicted loss, error and relative error (predicted − observed), and
        MAE, RMSE, mean and max absolute relative error in total. --sweep fits on the smallest
        k = k0…n model sizes in turn and shows the prediction of the largest size's runs converging.
        --law kaplan and --law power fit those laws (their own grids; least squares on log L
        unless --loss) on the kept runs and print every held-out run with its 95% prediction
        interval (the noise estimated on the kept runs alone) and how many the interval covers;
        for the power law largest:K holds out the K largest values of its one variable x;
        --law multilingual holds out rows (largest:K the rows of the K largest model sizes) and
        fits each family on its kept rows.

        CURVES: fits a loss-curve law on some runs and scores its prediction of the others:
        per run and on average, R², MAE, RMSE, mean and worst relative error, max error and the
        error at the last logged step (predicted − observed).

        An option that does not apply to the law (the laws in brackets) is refused with exit 64.
        """,
        arguments: [("FILE", "a table of runs, or a log of loss curves (step, loss, lr, run)")],
        groups: [
            ("options", [law.declaration] + InputOptions.declarations(laws: nil) + [SolverOptionsGroup.loss.declaration]),
            ("reading logs", LogInputOptions.declarations(laws: nil)),
            ("runs", [ChinchillaBacktest.holdout.declaration, ChinchillaBacktest.sweep.declaration,
                      BootstrapOptions.seed.declaration.applying(to: runLaws),
                      MultilingualOptions.family.declaration.applying(to: [.multilingual]),
                      MultilingualOptions.ratio.declaration.applying(to: [.multilingual])]),
            ("curves", [CurveBacktest.fitRuns.declaration, CurveBacktest.scoreRuns.declaration,
                        CurveOptions.group.declaration.applying(to: FitLaw.curves),
                        CurveOptions.schedule.declaration.applying(to: FitLaw.curves),
                        CurveOptions.warmup.declaration.applying(to: FitLaw.curves),
                        CurveOptions.momentum.declaration, CurveOptions.convention.declaration,
                        MultilingualOptions.fix.declaration.applying(to: FitLaw.curves),
                        FormulaOptions.bounds.declaration.applying(to: FitLaw.curves),
                        CurveOptions.starts.declaration, CurveOptions.maxEvaluations.declaration]),
            ("output", [OutputOptions.format.declaration,
                        OutputOptions.residuals.declaration.applying(to: laws),
                        OutputOptions.plot.declaration.applying(to: laws),
                        OutputOptions.report.declaration.applying(to: laws),
                        OutputOptions.output.declaration.applying(to: FitLaw.curves)]),
        ])

    static func validate(_ args: ParsedArguments) throws {
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one data file\n\n\(spec.helpText)") }
    }

    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        let path = args.positionals[0]
        let format = try args.value(OutputOptions.format)!
        let given = try args.value(law) ?? nil
        if let given { try args.checkApplicability(to: given) }
        guard path == "-" || FileManager.default.fileExists(atPath: path) else { throw ScaleFitError.invalidData(file: path, reason: "no such file") }
        let table = try LogInputOptions.read([path], args: args, curveLaw: given.map { FitLaw.curves.contains($0) } ?? false, out: out)
        var chosen = given
        if chosen == nil {
            guard ChinchillaRuns.looksLikeRuns(table) else {
                throw UsageError(message: "--law: a table without params and tokens (or compute) columns is backtested as loss curves; give --law annealing or multipower")
            }
            // As fit chooses: family and ratio columns make a multilingual table.
            let mapping = try ColumnMapping.detect(in: table)
            let detected: FitLaw = mapping[.family] != nil && mapping[.ratio] != nil ? .multilingual : .chinchilla
            out.note("law: \(detected.rawValue) (chosen from the columns; --law to choose)")
            chosen = detected
            try args.checkApplicability(to: detected)
        }
        try OutputOptions.checkDestinations(args)
        let input = FitInput(path: path, table: table, args: args, format: format, out: out)
        switch chosen! {
        case .chinchilla: return try ChinchillaBacktest.run(input)
        case .kaplan, .power, .multilingual: return try RunsBacktest.run(input, law: chosen!)
        default: return try CurveBacktest.run(input, law: chosen!)
        }
    }
}
