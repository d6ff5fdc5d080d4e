import Foundation
import ScaleFit

/// What a law's fit takes from the command line: the data file, its table (read once),
/// the parsed arguments, the output format and where to write.
struct FitInput {
    let path: String
    /// The table, read once (nil for a NIST .dat file, which has its own reader).
    let table: RunTable?
    let args: ParsedArguments
    let format: OutputFormat
    let out: CommandOutput
}

/// `scalefit fit FILE`: fits a law to a data file and prints the parameters with their
/// uncertainty, the goodness of fit, the solver's summary and the residual table.
enum FitCommand: Subcommand {
    static let curves = FitLaw.curves
    static let tableLaws: Set<FitLaw> = Set(FitLaw.allCases).subtracting([.nist])
    static let allocation = FitLaw.allocation
    /// The laws fitted by a solver to an objective (`--loss`): all but the two allocation fits.
    static let solverLaws: Set<FitLaw> = Set(FitLaw.allCases).subtracting(FitLaw.allocation)

    /// `--law`: auto (nil) or a law fitted to a table.
    static let law = Option<FitLaw?>(OptionDeclaration("law", value: "LAW", help:
        "auto (default: multilingual for a table with family and ratio columns, multipower for one with a step column and no model-size column, else chinchilla); chinchilla: L = E + A/N^alpha + B/D^beta fitted as Hoffmann et al. (Huber on log residuals, 4500 starts); power: L = E + A*x^(-alpha) on one column (least squares on log L); kaplan: L = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD (same); annealing (Tissue et al. 2024) or multipower (Luo et al. 2025) for loss curves; multilingual (He et al. 2024): per language family L_i = (E_i + A_i/N^alpha_i + B_i/D^beta_i) * p_i^(-gamma_i), each family fitted alone (Huber on log residuals, 72 starts); isoflop (Hoffmann et al. 2022, approach 2): a parabola in ln N per compute budget, then N_opt = k*C^a; envelope (approach 1): the lower envelope of loss against C = 6ND across training curves, then N_opt = k*C^a; see 'scalefit laws'",
        laws: tableLaws.subtracting([.formula]))) { text in
        if text == "auto" { return nil }
        // The registry's laws (a formula is given by --formula, not named).
        let known = LawRegistry.identifiers.compactMap(FitLaw.init(rawValue:)).filter { $0 != .formula }
        guard let law = FitLaw(rawValue: text), known.contains(law) else {
            let names = ["auto"] + known.map(\.rawValue)
            let hint = nearest(text, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "--law: expected \(names.joined(separator: ", ")), found \"\(text)\"\(hint)")
        }
        return law
    }
    static let computeBudget = Option<Double>(OptionDeclaration("compute-budget", value: "C", help:
        "FLOPs for the compute-optimal allocation (default 5.76e23)", laws: [.chinchilla, .isoflop, .envelope]), default: { 5.76e23 }) { text in
        let c = try Values.double(text, flag: "--compute-budget")
        guard c > 0 else { throw UsageError(message: "--compute-budget: expected a positive number of FLOPs, found \(text)") }
        return c
    }

    static let spec = CommandSpec(
        name: "fit",
        usage: [
            "FILE [--law auto|chinchilla|power|kaplan] [--x COLUMNS] [--y LOSS] [--strict] [--loss SPEC]",
            "         [--compute-budget C] [--bootstrap N --seed S] [--plot FILE.svg] [--report DIR] [-o FIT] [--format …]",
            "CURVES --law annealing|multipower [--group RUN] [--x STEP] [--y LOSS] [--schedule SPEC | --schedule RUN=SPEC …]",
            "         [--warmup linear|none] [--momentum L|fit] [--convention repository|paper] [--fix NAME=V,…]",
            "         [--bounds NAME=LO:HI,…] [--starts N] [--max-evaluations N] [--residuals] [-o FIT]",
            "RUNS --law multilingual [--share alpha,beta] [--fix FAMILY.NAME=V,…] [--family COL] [--ratio COL] [--group RUN]",
            "         [--bootstrap N --seed S] [--plot FILE.svg] [--report DIR] [--residuals] [-o FIT]",
            "FILE --formula FORMULA --start NAME=V|LO:HI:STEP,… [--bounds NAME=LO:HI,…] [--x COL,…] [--y COL] [--loss SPEC]",
            "         [--bootstrap N --seed S] [--plot FILE.svg] [--report DIR] [-o FIT]",
            "RUNS --law isoflop [--compute-tolerance DEX] [--resample residuals|runs] [--bootstrap N --seed S] [--compute-budget C] [--y LOSS]",
            "         [--plot FILE.svg] [--report DIR] [-o FIT]",
            "CURVES --law envelope [--group RUN] [--tokens-per-step K] [--bin-width DEX] [--bootstrap N --seed S]",
            "         [--compute-budget C] [--plot FILE.svg] [--report DIR] [-o FIT]",
            "FILE.dat [--start 1|2|all] [--loss SPEC] [--plot FILE.svg] [--report DIR] [--format …]",
        ],
        discussion: """
        Fits a law to FILE and prints the parameters with standard errors, the goodness of fit,
        the solver's summary and the residual table.

        --law isoflop (Hoffmann et al. 2022, approach 2) groups the runs into compute budgets (a
        compute column as given, else C = 6·N·D; runs sorted by C join one budget while log10 C
        rises at most --compute-tolerance decades from one run to the next), fits a parabola of
        the final loss in ln N per budget and takes its minimum N_opt (D_opt = C/(6·N_opt)); a
        budget with fewer than 3 distinct N, a non-convex parabola, or its minimum at an edge of
        its N range (outside it, or the lowest loss at the smallest or largest N) is flagged and
        not used. Then N_opt = k·C^a and D_opt ∝ C^b, b = 1 − a, by least squares in log-log,
        with 95% intervals from a bootstrap within each used budget (--bootstrap N, default 1000;
        --resample residuals redraws each run's residual about its budget's parabola, runs
        redraws whole runs). --law envelope (approach 1) takes loss curves of several model sizes
        (run, params, tokens or step with --tokens-per-step, loss), compute C = 6·N·D per point,
        the lowest loss across curves at budgets 10^(k·DEX), and the N attaining it (flagged when
        no covering curve is smaller or none larger); the same fit, bootstrapped over curves.
        Fewer than 2 usable budgets is bad data (exit 65). Hoffmann's Table 2: approach 1
        a = 0.50, b = 0.50; approach 2 a = 0.49, b = 0.51; approach 3 a = 0.46, b = 0.54.

        An option that does not apply to the law being fitted (the laws in brackets) is refused
        with exit 64 naming the option and the law; none is silently ignored.
        """,
        arguments: [("FILE", "a table of runs (.csv, .jsonl, trainer_state.json, W&B export) with model size, tokens (or compute) and final loss; a log of loss curves (step, loss, lr, run); a table of (run, language family) rows; or a NIST StRD .dat file")],
        groups: [
            ("options", [law.declaration, InputOptions.x.declaration.applying(to: tableLaws.subtracting(allocation)),
                         InputOptions.y.declaration.applying(to: tableLaws), InputOptions.strict.declaration.applying(to: tableLaws),
                         SolverOptionsGroup.loss.declaration.applying(to: solverLaws), computeBudget.declaration]),
            ("reading logs", LogInputOptions.declarations(laws: tableLaws)),
            ("output", [OutputOptions.format.declaration, OutputOptions.output.declaration.applying(to: tableLaws),
                        OutputOptions.plot.declaration.applying(to: [.chinchilla, .power, .kaplan, .annealing, .multipower, .multilingual, .formula, .nist, .isoflop, .envelope]),
                        OutputOptions.report.declaration.applying(to: [.chinchilla, .power, .kaplan, .annealing, .multipower, .multilingual, .formula, .nist, .isoflop, .envelope]),
                        OutputOptions.residuals.declaration.applying(to: curves.union([.multilingual])),
                        OutputOptions.correlation.declaration.applying(to: Set(FitLaw.allCases).subtracting(allocation))]),
            // Not the curve laws: 1–3 curves are too few to resample whole, and resampling a
            // curve's serially correlated points would understate the spread (the flag's help).
            ("bootstrap", [BootstrapOptions.bootstrap.declaration.applying(to: allocation.union([.chinchilla, .power, .kaplan, .formula, .multilingual])),
                           BootstrapOptions.seed.declaration.applying(to: allocation.union([.chinchilla, .power, .kaplan, .formula, .multilingual]))]),
            ("isoflop and envelope", [AllocationOptions.computeTolerance.declaration, AllocationOptions.resample.declaration, AllocationOptions.binWidth.declaration,
                                      AllocationOptions.tokensPerStep.declaration]),
            ("loss curves", [CurveOptions.group.declaration.applying(to: curves.union([.multilingual, .envelope])),
                             CurveOptions.schedule.declaration.applying(to: curves), CurveOptions.warmup.declaration.applying(to: curves),
                             CurveOptions.momentum.declaration, CurveOptions.convention.declaration,
                             CurveOptions.starts.declaration, CurveOptions.maxEvaluations.declaration]),
            ("multilingual", [MultilingualOptions.share.declaration, MultilingualOptions.fix.declaration,
                              MultilingualOptions.family.declaration.applying(to: [.multilingual]),
                              MultilingualOptions.ratio.declaration.applying(to: [.multilingual])]),
            ("your own law", [FormulaOptions.formula.declaration.applying(to: [.formula]), FormulaOptions.start.declaration,
                              FormulaOptions.bounds.declaration]),
        ])

    static func validate(_ args: ParsedArguments) throws {
        guard !args.positionals.isEmpty else {
            throw UsageError(message: "missing data file\n\n\(spec.helpText)")
        }
        if args.positionals.count > 1, args.positionals.contains(where: { $0.lowercased().hasSuffix(".dat") }) {
            throw UsageError(message: "a NIST .dat file is fitted alone; several inputs are for logs (a run per file)")
        }
        if args.has(FormulaOptions.formula) && args.positionals[0].lowercased().hasSuffix(".dat") {
            throw UsageError(message: "--formula fits a table of runs (.csv, .jsonl, …); a NIST .dat file is fitted with its own model")
        }
        // The allocation fits bootstrap by default (1000 resamples), so their seed stands alone.
        let given = try? args.value(law)
        if args.has(BootstrapOptions.seed) && !args.has(BootstrapOptions.bootstrap) && !(given.flatMap { $0 }.map(allocation.contains) ?? false) {
            throw UsageError(message: "--seed goes with --bootstrap N (the seed of its resamples)")
        }
    }

    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        let paths = args.positionals
        var path = paths[0]
        let format = try args.value(OutputOptions.format)!
        let isDat = path.lowercased().hasSuffix(".dat")
        for p in paths where !(p == "-" || FileManager.default.fileExists(atPath: p)) {
            throw ScaleFitError.invalidData(file: p, reason: "no such file or directory")
        }
        var table: RunTable?
        let chosen: FitLaw
        if isDat {
            chosen = .nist
        } else if args.has(FormulaOptions.formula) {
            chosen = .formula
        } else if let given = try args.value(law) ?? nil {
            chosen = given
        } else {
            let t = try LogInputOptions.read(paths, args: args, curveLaw: false, out: out)
            table = t
            let mapping = try ColumnMapping.detect(in: t)
            var detected: FitLaw = mapping[.step] != nil && mapping[.params] == nil ? .multipower : .chinchilla
            if mapping[.family] != nil && mapping[.ratio] != nil { detected = .multilingual }
            out.note("law: \(detected.rawValue) (chosen from the columns; --law to choose)")
            chosen = detected
        }
        try args.checkApplicability(to: chosen)
        try OutputOptions.checkDestinations(args)
        guard chosen != .nist else { return try NISTFitting.fit(path: path, args: args, format: format, out: out) }
        let read = try table ?? LogInputOptions.read(paths, args: args, curveLaw: FitLaw.curves.contains(chosen), out: out)
        if paths.count > 1 { path = read.fileName }
        let input = FitInput(path: path, table: read, args: args, format: format, out: out)
        let status: Int32
        switch chosen {
        case .chinchilla: status = try ChinchillaFitting.fit(input)
        case .power, .kaplan: status = try PowerFitting.fit(input, law: chosen)
        case .annealing, .multipower: status = try CurveFitting.fit(input, law: chosen)
        case .multilingual: status = try MultilingualFitting.fit(input)
        case .formula: status = try FormulaFitting.fit(input)
        case .isoflop, .envelope: status = try AllocationFitting.fit(input, law: chosen)
        case .nist: status = try NISTFitting.fit(path: path, args: args, format: format, out: out)
        }
        // The exit-status policy: an unsound fit is printed with its warning and exit 0,
        // or exit 1 under --strict (a fit that did not converge is exit 1 either way).
        if status == 0 && args.has(InputOptions.strict) && out.warnedUnsound {
            out.note("scalefit: the fit is not sound (above), and --strict makes that a failure")
            return 1
        }
        return status
    }
}
