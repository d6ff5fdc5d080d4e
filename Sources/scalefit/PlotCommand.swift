import Foundation
import ScaleFit

/// `scalefit plot FIT.json DATA -o fit.svg`: a saved fit drawn over a data file.
enum PlotCommand {
    static let usage = """
    USAGE: scalefit plot FIT.json DATA -o FIG.svg [--group-by tokens|compute|ratio] [--x PARAMS,TOKENS] [--y LOSS]
           scalefit plot FIT.json CURVES -o FIG.svg [--until STEP] [--schedule SPEC] [--group RUN] [--warmup linear|none]

    Draws a saved fit over data (hand-written SVG; same input, same bytes).
    Chinchilla fits: loss against N on log axes, one colour per group of runs (by D/N, by
    tokens or by compute), the law for each group, the compute-optimal frontier and a residual
    panel. Loss-curve fits (annealing, multipower): loss against step for every run of CURVES
    with the law under the run's schedule (the one the fit was made with when the run was
    fitted, else its logged lr), the residuals and the learning rates; --until STEP continues
    each run's prediction (dashed) to STEP under its schedule, held at its last lr, and
    --schedule SPEC adds the prediction under another schedule, from the data's first logged
    step.

    OPTIONS:
      -o, --output FILE    the SVG to write (required)
      --group-by KEY       chinchilla: colour runs by ratio (D/N, default), tokens or compute
      --until STEP         curves: continue each run's prediction to STEP
      --schedule SPEC      curves: also predict under this schedule (to --until or its end)
      --group, --warmup, --x, --y   how to read DATA, as for 'scalefit fit'
      -h, --help           show this help
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueFlags: ["output", "group-by", "until", "schedule", "group", "warmup", "x", "y"],
                                 boolFlags: ["strict"])
        if args.help { print(usage); return 0 }
        guard args.positionals.count == 2 else { throw UsageError(message: "expected a fit file and a data file\n\n\(usage)") }
        guard let out = args.options["output"] else { throw UsageError(message: "plot needs -o FIG.svg\n\n\(usage)") }
        let (fitPath, dataPath) = (args.positionals[0], args.positionals[1])
        let fit = try FitFile.read(path: fitPath)
        guard FileManager.default.fileExists(atPath: dataPath) else {
            throw ScaleFitError.invalidData(file: dataPath, reason: "no such file")
        }
        let svg: String
        if fit.law == ChinchillaLaw.identifier {
            let grouping: PowerLawGrouping
            switch args.options["group-by"] ?? "ratio" {
            case "ratio": grouping = .tokensPerParameter
            case "tokens": grouping = .tokens
            case "compute": grouping = .compute
            case let other: throw UsageError(message: "--group-by: expected ratio, tokens or compute, found \"\(other)\"")
            }
            let law = try fit.chinchilla(file: fitPath)
            let runs = try ChinchillaRuns.read(path: dataPath, args: args)
            let plot = try PowerLawPlot.chinchilla(parameters: runs.parameters, tokens: runs.tokens, observed: runs.loss,
                                                   law: law, grouping: grouping)
            svg = plot.figure(title: "\(URL(fileURLWithPath: dataPath).lastPathComponent): " + PlotTitle.greek(ChinchillaLaw.formula),
                              subtitle: PowerBacktestCommand.subtitle(law)).svg()
        } else if CurveLaw.identifiers.contains(fit.law) {
            svg = try curves(fit, fitPath: fitPath, dataPath: dataPath, args: args)
        } else {
            throw ScaleFitError.invalidData(file: fitPath, reason: "plot draws chinchilla and loss-curve fits; this file holds the \(fit.law) law")
        }
        try writePlot(svg, to: out)
        return 0
    }

    static func curves(_ fit: FitFile, fitPath: String, dataPath: String, args: Arguments) throws -> String {
        let law = try fit.curveLaw(file: fitPath)
        let fitted = Dictionary(try fit.fittedSchedules(file: fitPath).map { ($0.curve, $0.schedule) }, uniquingKeysWith: { a, _ in a })
        let table = try RunTableReader.read(path: dataPath)
        var overrides: [ColumnRole: String] = [:]
        if let x = args.options["x"] { overrides[.step] = x }
        if let y = args.options["y"] { overrides[.loss] = y }
        if let g = args.options["group"] { overrides[.run] = g }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let runs = try mapping[.run].map { try table.groups(by: $0).map(\.key) } ?? [""]
        // The fit's own schedules for the runs it was fitted on; the others from their lr.
        var schedules: [String: LRSchedule] = [:]
        for run in runs {
            let name = run.isEmpty ? URL(fileURLWithPath: dataPath).deletingPathExtension().lastPathComponent : run
            if let s = fitted[name] { schedules[run] = s }
        }
        let set = try LossCurveSet(table: table, mapping: mapping, schedules: schedules,
                                   before: try CurveFitCommand.before(args), strict: args.options["strict"] != nil)
        if !set.dropped.isEmpty { eprint("\(dataPath): \(set.dropped)") }
        let until = try args.int("until")
        if let u = until, u <= 0 { throw UsageError(message: "--until: expected a positive step, found \(u)") }
        func grid(from start: Int, to end: Int) -> [Int] {
            guard end > start else { return [] }
            let stride = max(1, (end - start) / 400)
            var steps = Array(Swift.stride(from: start, through: end, by: stride))
            if steps.last != end { steps.append(end) }
            return steps
        }
        var items: [LossCurvePlot.Curve] = []
        for (curve, schedule) in zip(set.curves, set.schedules) {
            let values = law.predict(rates: curve.rates, steps: curve.steps, parameters: fit.parameters)
            var item = LossCurvePlot.Curve(curve: curve, fitted: values)
            if let u = until, u > curve.steps.last! {
                let steps = grid(from: curve.steps.last!, to: u)
                let rates = schedule.rates(count: max(schedule.totalSteps, u + 1))
                item = LossCurvePlot.Curve(curve: curve, fitted: values, predictionSteps: steps,
                                           predicted: law.predict(rates: rates, steps: steps, parameters: fit.parameters))
                item.rates = rates
            }
            items.append(item)
        }
        if let spec = args.options["schedule"] {
            let schedule = try LRSchedule(spec: spec, flag: "--schedule")
            let end = until ?? (schedule.totalSteps - 1)
            // From the first logged step of the data: before it the law's power term is far
            // above any loss the runs show (S1 → 0), and the figure would be all warmup.
            let first = set.curves.map { $0.steps[0] }.min() ?? 1
            let steps = grid(from: max(first, 1), to: end)
            let rates = schedule.rates(count: max(schedule.totalSteps, end + 1))
            items.append(LossCurvePlot.Curve(name: "given schedule", steps: [], observed: [], fitted: [],
                                             predictionSteps: steps.map(Double.init),
                                             predicted: law.predict(rates: rates, steps: steps, parameters: fit.parameters),
                                             rates: rates))
        }
        let subtitle = PlotTitle.values(names: fit.parameterNames, values: fit.parameters)
        return try LossCurvePlot(curves: items).figure(title: "\(law.identifier) fit over \(URL(fileURLWithPath: dataPath).lastPathComponent)",
                                                       subtitle: subtitle).svg()
    }
}
