import Foundation
import ScaleFit

/// `scalefit optimal FIT.json --compute C[,C…]` (Chinchilla, Kaplan, approaches 1 and 2), `--mix …` (multilingual) or
/// `--schedule --steps T …` (the curve laws, `ScheduleOptimization`).
enum OptimalCommand: Subcommand {
    static let compute = Option<[Double]>(OptionDeclaration("compute", value: "C,…", help: "budgets in FLOPs (e.g. 5.76e23)",
                                                            laws: [.chinchilla, .kaplan, .isoflop, .envelope])) { try numberList($0, flag: "--compute") }
    static let mix = Flag("mix", help: "the language sampling ratios minimising the weighted loss", laws: [.multilingual])
    static let weights = Option<String>(OptionDeclaration("weights", value: "FAMILY=W,…", help:
        "weights w_i ≥ 0 (families not named weigh 1)", laws: [.multilingual])) {
        _ = try MultilingualMix.namedValues($0, flag: "--weights")
        return $0
    }
    static let normalize = Flag("normalize", help: "minimise the sum of losses relative to each family's L_i(N, D, 1)", laws: [.multilingual])
    static let minRatio = Option<Double>(OptionDeclaration("min-ratio", value: "M", help:
        "the least ratio of any family (default 0.01; n·M ≤ 1)", laws: [.multilingual]), default: { 0.01 }) {
        try Values.double($0, flag: "--min-ratio")
    }
    static let current = Option<String>(OptionDeclaration("current", value: "FAMILY=P,…", help:
        "a mix to compare with (ratios summing to 1)", laws: [.multilingual])) {
        _ = try MultilingualMix.namedValues($0, flag: "--current")
        return $0
    }

    static let spec = CommandSpec(
        name: "optimal",
        usage: [
            "FIT.json --compute C[,C…] [--format table|json|csv|markdown]",
            "MULTILINGUAL-FIT.json --mix --params N --tokens D [--weights FAMILY=W,…] [--normalize] [--min-ratio M]",
            "         [--current FAMILY=P,…] [--format …]",
            "CURVES-FIT.json --schedule --steps T [--peak η] [--warmup W] [--min-lr η_min] [--family free|wsd|cosine]",
            "         [-o schedule.csv] [--plot fig.svg] [--format …]",
        ],
        discussion: """
        The compute-optimal model size N* and tokens D* for each budget C (FLOPs, C = 6·N·D)
        under the saved Chinchilla or Kaplan fit (each law's closed form), with tokens per
        parameter and the predicted loss, and the 95% intervals over the fit file's bootstrap
        resamples when it keeps them (fit with --bootstrap N -o FIT); or, for an isoflop or envelope fit (Hoffmann's approaches 2 and 1), N* = k·C^a and
        D* = C/(6·N*) with the 95% intervals of the bootstrap the fit file keeps.

        With --mix, for a multilingual fit: the language sampling ratios p minimising
        Σ w_i·L_i(N, D, p_i) (or, with --normalize, Σ w_i·L_i/L_i(N, D, 1), which does not
        depend on N and D) over Σ p_i = 1, p_i ≥ M, solved exactly by the KKT conditions; each
        family's predicted loss, the objective, and the same for the --current mix. A family
        whose gamma ≤ 0 gains nothing from more data and gets the minimum ratio.

        With --schedule, for a loss-curve fit (annealing, multipower): the learning-rate schedule of
        T steps (linear warmup of W steps to the peak, then non-increasing down to at least
        η_min) that minimises the law's predicted final loss, the law at step T−1 after the
        updates η_0…η_(T−1). --family free searches every such schedule step by step (exact
        gradient, projected quasi-Newton on the decrements, from the best staircase of sharp
        drops and the best WSD), wsd the decay length and shape, cosine the final ratio. Prints
        its final loss with the 95% interval, the best WSD's and the cosine's (to η_min), the
        gains, the shape found and the search's optimality measure; -o writes the schedule as
        step,lr for 'predict --schedule-file'. Peak, warmup and η_min default to the fitted runs'
        schedules when the fit file records them. T is capped at 10^7.

        An option that does not apply to the fit's law (the laws in brackets) is refused with exit 64.
        """,
        arguments: [("FIT.json", "a fit file written by 'scalefit fit -o'")],
        groups: [("options", [compute.declaration, mix.declaration,
                              PredictCommand.params.declaration.applying(to: [.multilingual]),
                              PredictCommand.tokens.declaration.applying(to: [.multilingual]),
                              weights.declaration, normalize.declaration, minRatio.declaration, current.declaration]
                              + ScheduleOptimization.declarations + [OutputOptions.format.declaration])])

    static func validate(_ args: ParsedArguments) throws {
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one fit file\n\n\(spec.helpText)") }
        try ScheduleOptimization.validate(args)
    }

    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        let path = args.positionals[0]
        let format = try args.value(OutputOptions.format)!
        let fit = try FitFile.read(path: path)
        let law = FitLaw(fitFileLaw: fit.law)
        if let law { try args.checkApplicability(to: law) }
        if let law, FitLaw.curves.contains(law) {
            guard args.has(ScheduleOptimization.schedule) else {
                throw UsageError(message: "a \(law.rawValue) fit takes --schedule --steps T\n\n\(spec.helpText)")
            }
            return try ScheduleOptimization.run(fit, path: path, args: args, format: format, out: out)
        }
        if law == .multilingual {
            guard args.has(mix) else { throw UsageError(message: "a multilingual fit takes --mix --params N --tokens D\n\n\(spec.helpText)") }
            return try MultilingualMix.optimal(fit, path: path, args: args, format: format, out: out)
        }
        guard let budgets = try args.value(compute) else { throw UsageError(message: "optimal needs --compute\n\n\(spec.helpText)") }
        if law.map(FitLaw.allocation.contains) ?? false { return try allocation(fit, path: path, budgets: budgets, format: format, out: out) }
        // The fit of a law with a compute-optimal allocation (`ComputeOptimalLaw`); the
        // bootstrap's resamples, when the file keeps them, give each budget's intervals.
        guard let plans = try LawRegistry.fit(fit, source: path).allocations(compute: budgets) else {
            throw ScaleFitError.invalidData(file: path, reason: "the \(fit.law) law has no compute-optimal allocation")
        }
        let rows = plans.map(\.allocation), intervals = plans.map(\.intervals)
        if fit.law == KaplanLaw.identifier {
            out.note("kaplan fit: N* = (a*Nc^a*C/(6*Dc))^(1/(a+1)) with a = alphaN/alphaD, D* = C/(6 N*)")
        }
        if let notes = fit.diagnostics, !notes.isEmpty {
            out.note("warning: the fit is not sound: " + notes.joined(separator: "; "))
        }
        if intervals.first == nil || intervals.first! == nil {
            out.note("no intervals: the fit file holds no bootstrap resamples (fit with --bootstrap N -o FIT to have them)")
        }
        if format == .json {
            // The allocation's own fields, and its intervals when there are resamples.
            struct Row: Encodable {
                let compute, parameters, tokens, tokensPerParameter, loss: Double
                let bootstrap95: [Bootstrap.Interval]?
            }
            try out.write(jsonText(zip(rows, intervals).map { o, i in
                Row(compute: o.compute, parameters: o.parameters, tokens: o.tokens, tokensPerParameter: o.tokensPerParameter,
                    loss: o.loss, bootstrap95: i)
            }))
            return 0
        }
        let withBands = intervals.contains { $0 != nil }
        let span = { (i: Bootstrap.Interval?) -> String in
            i.map { "\(formatSignificant($0.lower, digits: 3))–\(formatSignificant($0.upper, digits: 3))" } ?? ""
        }
        let header = ["compute", "params", "tokens", "tokens_per_param", "loss"]
            + (withBands ? ["params_95", "tokens_95", "tokens_per_param_95", "loss_95"] : [])
        let t = TextTable(header: header, rows: zip(rows, intervals).map { o, i in
            [formatSignificant(o.compute, digits: 4), formatSignificant(o.parameters, digits: 4),
             formatSignificant(o.tokens, digits: 4), formatSignificant(o.tokensPerParameter, digits: 4),
             formatSignificant(o.loss, digits: 6)]
                + (withBands ? (0..<4).map { span(i?[$0]) } : [])
        })
        try out.write(t.render(format.style))
        return 0
    }

    /// N*, D* and D*/N* of an isoflop or envelope fit at each budget, with the bootstrap's intervals.
    static func allocation(_ fit: FitFile, path: String, budgets: [Double], format: OutputFormat, out: CommandOutput) throws -> Int32 {
        let law = try fit.allocationLaw(file: path)
        let boot = fit.allocationBootstrap
        if boot == nil { out.note("no intervals: the fit file holds no bootstrap resamples") }
        out.note("\(fit.law) fit (Hoffmann's approach \(fit.law == FitFile.isoflopLaw ? 2 : 1)): N* = k*C^a with a = \(formatSignificant(law.a, digits: 4)), D* = C/(6 N*)")
        let rows = budgets.map { law.allocation(compute: $0) }
        let intervals = budgets.map { boot?.allocationIntervals(compute: $0) }
        if format == .json {
            struct Row: Encodable {
                let compute, parameters, tokens, tokensPerParameter: Double
                let bootstrap95: [Bootstrap.Interval]?
            }
            try out.write(jsonText(zip(rows, intervals).map { o, i in
                Row(compute: o.compute, parameters: o.parameters, tokens: o.tokens, tokensPerParameter: o.tokensPerParameter, bootstrap95: i)
            }))
            return 0
        }
        let bands = boot != nil
        let t = TextTable(header: ["compute", "params", "tokens", "tokens_per_param"] + (bands ? ["params_95", "tokens_95", "tokens_per_param_95"] : []),
                          rows: zip(rows, intervals).map { o, i in
            [formatSignificant(o.compute, digits: 4), formatSignificant(o.parameters, digits: 4), formatSignificant(o.tokens, digits: 4),
             formatSignificant(o.tokensPerParameter, digits: 4)]
                + (bands ? (0..<3).map { AllocationFitting.span(i?[$0].lower, i?[$0].upper) } : [])
        })
        try out.write(t.render(format.style))
        return 0
    }
}
