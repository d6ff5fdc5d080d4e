import Foundation
import ScaleFit

/// `scalefit compare-approaches FILE [--compute C]`: Hoffmann's approaches 1, 2 and 3 side by
/// side (`ApproachComparison`), as their Table 2: a, b with 95% bootstrap intervals and the
/// allocation at the budget.
enum CompareApproachesCommand: Subcommand {
    static let compute = Option<Double>(OptionDeclaration("compute", value: "C", help:
        "the budget in FLOPs of the allocations (default 5.76e23, Chinchilla's)"), default: { 5.76e23 }) { text in
        let c = try Values.double(text, flag: "--compute")
        guard c > 0 else { throw UsageError(message: "--compute: expected a positive number of FLOPs, found \(text)") }
        return c
    }

    static let spec = CommandSpec(
        name: "compare-approaches",
        usage: ["FILE [--compute C] [--compute-tolerance DEX] [--resample residuals|runs] [--bin-width DEX] [--tokens-per-step K] [--bootstrap N --seed S]",
                "         [--group RUN] [--y LOSS] [--strict] [--format table|json|csv|markdown]"],
        discussion: """
        Prints the exponents a (N_opt ∝ C^a) and b (D_opt ∝ C^b) and the compute-optimal
        allocation at --compute from Hoffmann et al.'s (2022) three approaches, as their Table 2:
        1, the lower envelope of loss against compute C = 6·N·D across training curves (when FILE
        holds curves: several rows per run; see 'fit --law envelope'); 2, IsoFLOP profiles, a
        parabola in ln N per compute budget (see 'fit --law isoflop'); 3, the parametric fit
        L = E + A/N^α + B/D^β (see 'fit --law chinchilla'), a = β/(α+β), b = α/(α+β). From a file
        of curves, approaches 2 and 3 use each run's last point. Intervals are 95% percentile
        bootstraps (over curves; within each budget, of residuals or runs as --resample says; over
        runs; --bootstrap N, default 1000 each). An approach the data cannot carry says why instead.

        Hoffmann et al. 2022, Table 2 (the reference row): a = 0.50, 0.49, 0.46 and
        b = 0.50, 0.51, 0.54 for approaches 1, 2 and 3.
        """,
        arguments: [("FILE", "runs (params, tokens or compute, final loss) or loss curves (run, params, tokens or step, loss)")],
        groups: [("options", [compute.declaration, AllocationOptions.computeTolerance.declaration.applying(to: nil),
                              AllocationOptions.resample.declaration.applying(to: nil),
                              AllocationOptions.binWidth.declaration.applying(to: nil), AllocationOptions.tokensPerStep.declaration.applying(to: nil),
                              CurveOptions.group.declaration, InputOptions.y.declaration, InputOptions.strict.declaration]),
                 ("bootstrap", [BootstrapOptions.bootstrap.declaration, BootstrapOptions.seed.declaration]),
                 ("output", [OutputOptions.format.declaration])])

    static func validate(_ args: ParsedArguments) throws {
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one data file\n\n\(spec.helpText)") }
    }

    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        let path = args.positionals[0]
        let format = try args.value(OutputOptions.format)!
        let budget = try args.value(compute)!
        let samples = try AllocationOptions.samples(args), seed = UInt64(try args.value(BootstrapOptions.seed)!)
        let binning = try ComputeBinning(tolerance: try args.value(AllocationOptions.computeTolerance)!)
        let width = try args.value(AllocationOptions.binWidth)!
        guard path == "-" || FileManager.default.fileExists(atPath: path) else {
            throw ScaleFitError.invalidData(file: path, reason: "no such file or directory")
        }
        let table = try LogInputOptions.read([path], args: args, curveLaw: false, out: out)
        let runs: IsoFLOPRuns, curves: TrainingCurves?
        var noCurves: String?
        if AllocationInputs.hasCurves(table) {
            let c = try AllocationInputs.curves(table: table, path: path, args: args, out: out).curves
            curves = c
            runs = try IsoFLOPRuns(parameters: c.curves.map(\.parameters), compute: c.curves.map { $0.compute.last! },
                                   loss: c.curves.map { $0.loss.last! }, file: path)
            out.note("approaches 2 and 3: the last point of each of the \(c.curves.count) curves")
        } else {
            if args.has(AllocationOptions.tokensPerStep) {
                throw UsageError(message: "--tokens-per-step is for curves (several rows per run); \(path) has one row per run")
            }
            runs = try AllocationInputs.runs(table: table, path: path, args: args, out: out).runs
            curves = nil
            noCurves = "the loss envelope needs training curves (several logged points per run, with a run column); this table has one row per run"
        }
        out.note("comparing the approaches on \(runs.count) runs, \(samples) bootstrap resamples each, seed \(seed)…")
        let c = ApproachComparison(runs: runs, curves: curves, compute: budget, binning: binning, binWidth: width,
                                   samples: samples, seed: seed, resampling: try args.value(AllocationOptions.resample)!,
                                   unavailableEnvelope: noCurves)
        guard c.rows.contains(where: { $0.a != nil }) else {
            throw ScaleFitError.invalidData(file: path, reason: "no approach could be carried out: " + c.rows.map { "approach \($0.approach): \($0.note)" }.joined(separator: "; "))
        }
        try out.write(render(c, format: format))
        return 0
    }

    static func render(_ c: ApproachComparison, format: OutputFormat) -> String {
        if format == .json {
            struct JSON: Encodable {
                let compute: Double
                let approaches: [ApproachComparison.Row]
                let hoffmannTable2: [[String: Double]]
            }
            return jsonText(JSON(compute: c.compute, approaches: c.rows,
                                 hoffmannTable2: ApproachComparison.hoffmannTable2.map { ["a": $0.a, "b": $0.b] }))
        }
        let f = { (v: Double?) in v.map { formatSignificant($0, digits: 3) } ?? "" }
        let span = { (i: Bootstrap.Interval?) in AllocationFitting.span(i?.lower, i?.upper) }
        let t = TextTable(header: ["approach", "method", "a", "a_95", "b", "b_95", "params", "params_95", "tokens", "tokens_95",
                                   "tokens_per_param", "hoffmann_a", "hoffmann_b", "note"],
                          rows: c.rows.map { r in
            let ref = ApproachComparison.hoffmannTable2[r.approach - 1]
            return ["\(r.approach)", r.name, f(r.a), span(r.aInterval), f(r.b), span(r.bInterval),
                    f(r.allocation?.parameters), span(r.allocationIntervals?[0]), f(r.allocation?.tokens), span(r.allocationIntervals?[1]),
                    f(r.allocation?.tokensPerParameter), formatSignificant(ref.a, digits: 2), formatSignificant(ref.b, digits: 2), r.note]
        })
        if format == .csv { return t.render(.csv) }
        let head = format == .markdown ? "## " : ""
        return """
        \(head)compute-optimal allocation by Hoffmann et al.'s three approaches (N_opt ∝ C^a, D_opt ∝ C^b) at \(formatSignificant(c.compute, digits: 3)) FLOPs
        \(t.render(format.style))
        hoffmann_a, hoffmann_b: Hoffmann et al. 2022, Table 2 (their data), for reference

        """
    }
}
