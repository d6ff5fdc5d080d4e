import Foundation
import ScaleFit

/// Loss-curve laws on the command line: `fit --law annealing|multipower`, `backtest`, and
/// `predict --steps` from a curve fit.
enum CurveFitCommand {
    /// The curve flags `fit` and `backtest` take.
    static let valueFlags = ["group", "schedule", "warmup", "momentum", "convention", "plot", "report"]

    /// The law chosen by `--law` with its options (`--momentum`, `--convention`).
    static func law(_ name: String, args: Arguments) throws -> CurveLaw {
        var settings: [String: String] = [:]
        if let m = args.options["momentum"] {
            guard name == "annealing" else { throw UsageError(message: "--momentum applies to --law annealing only") }
            settings["momentum"] = m == "fit" ? "fitted" : m
            guard m == "fit" || (Double(m).map { $0 >= 0 && $0 < 1 } ?? false) else {
                throw UsageError(message: "--momentum: expected a number in [0, 1) or 'fit', found \"\(m)\"")
            }
        }
        if let c = args.options["convention"] {
            guard name == "multipower" else { throw UsageError(message: "--convention applies to --law multipower only") }
            guard ["repository", "paper"].contains(c) else {
                throw UsageError(message: "--convention: expected repository or paper, found \"\(c)\"")
            }
            settings["convention"] = c
        }
        return try CurveLaw(identifier: name, settings: settings, file: "--law")
    }

    /// `--schedule SPEC` (every run) and `--schedule RUN=SPEC` (one run), repeatable.
    static func schedules(_ args: Arguments) throws -> [String: LRSchedule] {
        var out: [String: LRSchedule] = [:]
        for text in args.repeated["schedule"] ?? [] {
            var run = "", spec = text
            if let eq = text.firstIndex(of: "="), let colon = text.firstIndex(of: ":"), eq < colon {
                run = String(text[..<eq])
                spec = String(text[text.index(after: eq)...])
            }
            guard out[run] == nil else {
                throw UsageError(message: "--schedule: two schedules for \(run.isEmpty ? "every run" : "run \"\(run)\"")")
            }
            out[run] = try LRSchedule(spec: spec, flag: "--schedule")
        }
        return out
    }

    static func before(_ args: Arguments) throws -> LoggedSchedule.Before {
        switch args.options["warmup"] ?? "none" {
        case "none": return .hold
        case "linear": return .linearFromZero
        case let other: throw UsageError(message: "--warmup: expected linear (the log starts after a linear warmup from 0) or none, found \"\(other)\"")
        }
    }

    static func robustLoss(_ args: Arguments) throws -> RobustLoss {
        try args.options["loss"].map { try RobustLoss(spec: $0) } ?? .huber(scale: 1e-3)
    }

    /// The curves of a table, with the detected columns printed to stderr.
    static func readCurves(path: String, args: Arguments) throws -> LossCurveSet {
        let table = try RunTableReader.read(path: path)
        var overrides: [ColumnRole: String] = [:]
        if let x = args.options["x"] { overrides[.step] = x }
        if let y = args.options["y"] { overrides[.loss] = y }
        if let g = args.options["group"] { overrides[.run] = g }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let set = try LossCurveSet(table: table, mapping: mapping, schedules: try schedules(args),
                                   before: try before(args), strict: args.options["strict"] != nil)
        var cols = "columns: step=\"\(set.stepColumn)\", loss=\"\(set.lossColumn)\""
        if let lr = set.rateColumn { cols += ", lr=\"\(lr)\"" }
        if let run = set.runColumn { cols += ", run=\"\(run)\"" }
        eprint(cols)
        if !set.dropped.isEmpty { eprint("\(path): \(set.dropped)") }
        for (curve, source) in zip(set.curves, set.sources) {
            eprint("curve \(curve.name): \(curve.steps.count) losses, steps \(curve.steps.first!)–\(curve.steps.last!); lr \(source)")
        }
        return set
    }

    static func options(_ args: Arguments) throws -> SolverOptions {
        var options = CurveFit.defaultOptions
        options.loss = try robustLoss(args)
        return options
    }

    // MARK: fit

    static func fit(path: String, lawName: String, args: Arguments, format: String) throws -> Int32 {
        let law = try law(lawName, args: args)
        let set = try readCurves(path: path, args: args)
        let options = try options(args)
        eprint("fitting \(law.identifier) to \(set.curves.count) curve\(set.curves.count == 1 ? "" : "s")…")
        let fit = try law.fit(set.curves, options: options)
        let items = set.curves.indices.map { (curve: set.curves[$0], lines: set.lineNumbers[$0], schedule: set.sources[$0]) }
        let report = try CurveFitReport(law: law, fit: fit, loss: options.loss, fitted: items)
        let title = "\(law.identifier) law fitted to \(URL(fileURLWithPath: path).lastPathComponent)"
        return try finish(report, fit: fit, law: law, set: set, fitted: Array(set.curves.indices), title: title,
                          path: path, args: args, loss: options.loss, format: format)
    }

    /// What `fit` and `backtest` do with a finished fit: the fit file (`-o`), the figure
    /// (`--plot`), the report folder (`--report`), the printed report, and the exit status
    /// (1 when the fit did not converge).
    static func finish(_ report: CurveFitReport, fit: CurveFit.Result, law: CurveLaw, set: LossCurveSet, fitted indices: [Int],
                       title: String, path: String, args: Arguments, loss: RobustLoss, format: String) throws -> Int32 {
        let fitted = indices.map { set.curves[$0] }
        let file = try FitFile(curveFit: fit, law: law, curves: fitted, schedules: indices.map { set.schedules[$0] },
                               loss: loss, data: .init(file: path, rows: fitted.reduce(0) { $0 + $1.steps.count },
                                                       droppedRows: set.dropped.count))
        if let out = args.options["output"] {
            try file.write(to: out)
            eprint("wrote \(out)")
        }
        if let svg = args.options["plot"] { try writePlot(try plot(report, curves: set.curves, title: title), to: svg) }
        if let dir = args.options["report"] { try writeReport(report, title: title, curves: set.curves, fitFile: file, to: dir) }
        print(render(report, format: format, residuals: args.options["residuals"] != nil), terminator: "")
        if !report.summary.converged {
            eprint("scalefit: \(report.summary.message)")
            return 1
        }
        return 0
    }

    static func render(_ r: CurveFitReport, format: String, residuals: Bool) -> String {
        if format == "json" { return jsonText(r) }
        let style = TextTable.Style(rawValue: format) ?? .table
        let params = parameterTable(r)
        func metricRow(_ name: String, _ role: String, _ points: String, _ m: LossCurveMetrics) -> [String] {
            [name, role, points, formatSignificant(m.r2, digits: 5), formatSignificant(m.mae, digits: 3),
             formatSignificant(m.rmse, digits: 3), formatSignificant(m.meanRelativeError, digits: 3),
             formatSignificant(m.worstRelativeError, digits: 3), formatSignificant(m.maxError, digits: 3),
             formatSignificant(m.finalError, digits: 3)]
        }
        var rows = r.curves.map { metricRow($0.name, $0.role.rawValue, "\($0.points.count)", $0.metrics) }
        rows.append(metricRow("mean", "fitted", "", r.fittedMean))
        if let s = r.scoredMean { rows.append(metricRow("mean", "scored", "", s)) }
        let curves = TextTable(header: ["curve", "role", "points", "r2", "mae", "rmse", "mean_rel", "worst_rel", "max_error", "final_error"], rows: rows)
        let points = pointTable(r)
        if style == .csv { return residuals ? points.render(.csv) : params.render(.csv) }
        let head = style == .markdown ? "## " : ""
        let schedules = r.curves.map { "  \($0.name) (\($0.role.rawValue)): lr \($0.schedule)" }.joined(separator: "\n")
        return """
        \(head)\(r.law): \(r.formula)
        objective: \(r.objective) = \(formatSignificant(r.objectiveValue, digits: 10))
        \(r.summary.message); best of \(r.startsTried) starts (\(r.startsConverged) of \(r.startsPolished) distinct polished runs converged)
        \(schedules)

        \(params.render(style))
        \(curves.render(style))
        """ + (residuals ? "\n" + points.render(style) : "")
    }

    static func parameterTable(_ r: CurveFitReport) -> TextTable {
        TextTable(header: ["parameter", "estimate", "std_error"], rows: r.parameters.map {
            [$0.name, formatSignificant($0.estimate, digits: 8), formatSignificant($0.standardError, digits: 3)]
        })
    }

    /// Every logged point's residual, with its curve's role (fitted or scored).
    static func pointTable(_ r: CurveFitReport) -> TextTable {
        TextTable(header: ["curve", "line", "step", "lr", "observed", "predicted", "residual", "rel_residual", "role"],
                  rows: r.curves.flatMap { c in c.points.map {
                      [c.name, "\($0.line)", "\($0.step)", formatSignificant($0.lr, digits: 4),
                       formatSignificant($0.observed, digits: 6), formatSignificant($0.predicted, digits: 6),
                       formatSignificant($0.residual, digits: 3), formatSignificant($0.relativeResidual, digits: 3), c.role.rawValue]
                  } })
    }

    /// `--report DIR` for a curve fit or backtest.
    static func writeReport(_ r: CurveFitReport, title: String, curves: [LossCurve], fitFile: FitFile, to dir: String) throws {
        try ReportDirectory(title: title, markdown: render(r, format: "markdown", residuals: false), fitFile: fitFile,
                            parameters: parameterTable(r), residuals: pointTable(r), svg: try plot(r, curves: curves, title: title)).write(to: dir)
    }

    // MARK: backtest

    static let backtestUsage = """
    USAGE: scalefit backtest RUNS [--law chinchilla] --holdout largest[:K]|compute>FLOPS|random:F [--seed S]
                             [--x PARAMS,TOKENS] [--y LOSS] [--loss huber:DELTA] [--residuals] [--plot FILE.svg]
                             [--report DIR] [--format table|json|csv|markdown]
           scalefit backtest RUNS [--law chinchilla] --sweep [--format …]
           scalefit backtest CURVES --law annealing|multipower --fit-runs A,B[,…] [--score-runs C,…]
                             [--group COL] [--schedule SPEC | --schedule RUN=SPEC …] [--warmup linear|none]
                             [--momentum L|fit] [--convention repository|paper] [--loss SPEC]
                             [--residuals] [--format table|json|csv|markdown]

    RUNS (a table with params and tokens or compute; the default law for one): fits Chinchilla's
    law (Hoffmann's grid and objective) on the runs --holdout keeps and prints each held-out
    run's observed and predicted loss, error and relative error (predicted − observed), and
    MAE, RMSE, mean and max absolute relative error in total. --sweep fits on the smallest
    k = k0…n model sizes in turn (k0: the first with 6 runs) and shows the prediction of the
    largest size's runs converging.

    CURVES: fits a loss-curve law on some runs and scores its prediction of the others:
    per run and on average, R², MAE, RMSE, mean and worst relative error, max error and the
    error at the last logged step (predicted − observed).

    OPTIONS:
      --holdout H          RUNS: largest[:K] the runs of the K largest model sizes (K = 1),
                           compute>X those with C = 6ND above X FLOPs, random:F a fraction F
      --seed S             RUNS: the seed of random:F (default 0)
      --sweep              RUNS: fit on the smallest 1…n model sizes in turn
      --report DIR         write fit.json, report.md, parameters.csv, residuals.csv (every run
                           or point, fitted or held out), fit.svg and index.html into DIR
      --fit-runs A,B       the runs to fit (names in the run column)
      --plot FILE.svg      write the figure: fitted runs solid, scored runs' predictions dashed
      --score-runs C,…     the runs to score (default: every other run)
      (the other options as for 'scalefit fit')
      -h, --help           show this help
    """

    static func backtest(_ argv: [String]) throws -> Int32 {
        if let status = try PowerBacktestCommand.runIfPowerLaw(argv) { return status }
        let args = try Arguments(argv, valueFlags: ["law", "fit-runs", "score-runs", "x", "y", "loss", "format"] + valueFlags,
                                 boolFlags: ["strict", "residuals"])
        if args.help { print(backtestUsage); return 0 }
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one data file\n\n\(backtestUsage)") }
        let path = args.positionals[0]
        let format = try outputFormat(args)
        guard let lawName = args.options["law"], CurveLaw.identifiers.contains(lawName) else {
            throw UsageError(message: "--law: expected annealing or multipower, found \"\(args.options["law"] ?? "")\"")
        }
        guard let fitText = args.options["fit-runs"] else { throw UsageError(message: "backtest needs --fit-runs\n\n\(backtestUsage)") }
        let law = try law(lawName, args: args)
        guard FileManager.default.fileExists(atPath: path) else { throw ScaleFitError.invalidData(file: path, reason: "no such file") }
        let set = try readCurves(path: path, args: args)
        let names = set.curves.map(\.name)
        func runList(_ text: String, flag: String) throws -> [Int] {
            try text.split(separator: ",").map { part in
                let name = part.trimmingCharacters(in: .whitespaces)
                guard let i = names.firstIndex(of: name) else {
                    let hint = nearest(name, in: names).map { "; did you mean '\($0)'?" } ?? ""
                    throw UsageError(message: "\(flag): no run \"\(name)\" in \(path) (runs: \(names.joined(separator: ", ")))\(hint)")
                }
                return i
            }
        }
        let fitIndices = try runList(fitText, flag: "--fit-runs")
        let scoreIndices = try args.options["score-runs"].map { try runList($0, flag: "--score-runs") }
            ?? names.indices.filter { !fitIndices.contains($0) }
        guard !scoreIndices.isEmpty else { throw UsageError(message: "--score-runs: no run left to score") }
        let options = try options(args)
        eprint("fitting \(law.identifier) to \(fitIndices.map { names[$0] }.joined(separator: ", ")); scoring \(scoreIndices.map { names[$0] }.joined(separator: ", "))…")
        let fit = try law.fit(fitIndices.map { set.curves[$0] }, options: options)
        func item(_ i: Int) -> (curve: LossCurve, lines: [Int], schedule: String) { (set.curves[i], set.lineNumbers[i], set.sources[i]) }
        let report = try CurveFitReport(law: law, fit: fit, loss: options.loss, fitted: fitIndices.map(item),
                                        scored: scoreIndices.map(item))
        let title = "\(law.identifier): fit on \(fitIndices.map { names[$0] }.joined(separator: ", ")), rest predicted"
        return try finish(report, fit: fit, law: law, set: set, fitted: fitIndices, title: title,
                          path: path, args: args, loss: options.loss, format: format)
    }

    // MARK: predict

    /// `--steps 1000,5000,24000` or `--steps 0:24000:500` (start:end:stride, end included
    /// when on the stride), or a mix separated by commas.
    static func steps(_ text: String) throws -> [Int] {
        var out: [Int] = []
        var position = 1
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let s = part.trimmingCharacters(in: .whitespaces)
            func integer(_ t: Substring) -> Int? {
                if let i = Int(t) { return i }
                if let d = Double(t), d == d.rounded(), abs(d) < 1e12 { return Int(d) }
                return nil
            }
            let fields = s.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count == 3, let a = integer(fields[0]), let b = integer(fields[1]), let c = integer(fields[2]), c > 0, a >= 0, b >= a {
                guard (b - a) / c < 10_000_000 else {
                    throw ScaleFitError.badArgument(flag: "--steps", position: position, expected: "a range of at most 10^7 steps", found: s)
                }
                out += Array(stride(from: a, through: b, by: c))
            } else if fields.count == 1, let a = integer(fields[0]), a >= 0 {
                out.append(a)
            } else {
                throw ScaleFitError.badArgument(flag: "--steps", position: position,
                                                expected: "a non-negative integer step or a range START:END:STRIDE (e.g. 0:24000:500)", found: s)
            }
            position += part.count + 1
        }
        return out
    }

    static func predict(_ fit: FitFile, path: String, args: Arguments, format: String) throws -> Int32 {
        guard let stepText = args.options["steps"] else {
            throw UsageError(message: "predicting from a \(fit.law) fit needs --steps (e.g. --steps 0:24000:500)")
        }
        let steps = try steps(stepText)
        let schedule: LRSchedule
        let fitted = try fit.fittedSchedules(file: path)
        if let spec = args.options["schedule"] {
            guard args.options["schedule-file"] == nil, args.options["run"] == nil else {
                throw UsageError(message: "give one of --schedule, --schedule-file and --run")
            }
            schedule = try LRSchedule(spec: spec, flag: "--schedule")
        } else if let file = args.options["schedule-file"] {
            guard args.options["run"] == nil else { throw UsageError(message: "give one of --schedule, --schedule-file and --run") }
            guard FileManager.default.fileExists(atPath: file) else { throw ScaleFitError.invalidData(file: file, reason: "no such file") }
            schedule = .logged(try LoggedSchedule.load(csvAt: URL(fileURLWithPath: file), before: try before(args)))
        } else if let run = args.options["run"] {
            guard let match = fitted.first(where: { $0.curve == run }) else {
                throw UsageError(message: "--run: the fit has no run \"\(run)\" (runs: \(fitted.map(\.curve).joined(separator: ", ")))")
            }
            schedule = match.schedule
        } else if fitted.count == 1 {
            schedule = fitted[0].schedule
            eprint("schedule: the fitted run \(fitted[0].curve)'s")
        } else {
            throw UsageError(message: "give the schedule to predict under: --schedule SPEC, --schedule-file FILE, or --run NAME (one of \(fitted.map(\.curve).joined(separator: ", ")))")
        }
        let all = try fit.predictCurve(schedule: schedule, steps: steps, file: path)
        // Where the law is undefined (S1 = 0 before any learning: step 0 of a warmup from 0),
        // say so rather than print inf.
        let rows = all.filter { $0.loss.isFinite }
        if rows.count < all.count {
            let skipped = all.filter { !$0.loss.isFinite }.map { "\($0.step)" }
            eprint("skipped \(skipped.count) step\(skipped.count == 1 ? "" : "s") where the law is undefined (no learning-rate area yet, S1 = 0): \(skipped.prefix(5).joined(separator: ", "))\(skipped.count > 5 ? ", …" : "")")
        }
        if format == "json" { print(jsonText(rows), terminator: ""); return 0 }
        if format == "csv" {
            let t = TextTable(header: ["step", "loss", "lower95", "upper95"], rows: rows.map {
                ["\($0.step)", "\($0.loss)", "\($0.lower95)", "\($0.upper95)"]
            })
            print(t.render(.csv), terminator: "")
            return 0
        }
        let t = TextTable(header: ["step", "lr", "loss", "lower95", "upper95"], rows: rows.map {
            ["\($0.step)", formatSignificant($0.lr, digits: 4), formatSignificant($0.loss, digits: 6),
             formatSignificant($0.lower95, digits: 6), formatSignificant($0.upper95, digits: 6)]
        })
        print(t.render(TextTable.Style(rawValue: format) ?? .table), terminator: "")
        return 0
    }
}

// MARK: plots

/// Writes `svg` to `path` (the `--plot` option), or `invalidData` naming the path.
func writePlot(_ svg: String, to path: String) throws {
    do { try Data(svg.utf8).write(to: URL(fileURLWithPath: path)) } catch {
        throw ScaleFitError.invalidData(file: path, reason: "cannot write the plot: \(error.localizedDescription)")
    }
    eprint("wrote \(path)")
}

extension CurveFitCommand {
    /// The loss-curve figure of a report: fitted curves as solid lines, scored (held-out)
    /// curves as dashed predictions, observed points, residuals and the learning rates.
    static func plot(_ report: CurveFitReport, curves: [LossCurve], title: String) throws -> String {
        let byName = Dictionary(curves.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let items = try report.curves.map { c -> LossCurvePlot.Curve in
            guard let curve = byName[c.name] else {
                throw ScaleFitError.invalidData(file: "plot", reason: "no curve \(c.name)")
            }
            let predicted = c.points.map(\.predicted)
            return c.role == .fitted
                ? LossCurvePlot.Curve(curve: curve, fitted: predicted)
                : LossCurvePlot.Curve(curve: curve, fitted: [], predictionSteps: curve.steps, predicted: predicted)
        }
        let subtitle = PlotTitle.values(names: report.parameters.map(\.name), values: report.parameters.map(\.estimate))
        return try LossCurvePlot(curves: items).figure(title: title, subtitle: subtitle).svg()
    }
}
