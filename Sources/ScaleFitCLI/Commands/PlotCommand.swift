import Foundation
import ScaleFit

/// `scalefit plot FIT.json DATA -o fit.svg`: a saved fit drawn over a data file.
enum PlotCommand: Subcommand {
    static let laws: Set<FitLaw> = FitLaw.curves.union([.chinchilla, .power, .kaplan, .formula, .multilingual])
    static let output = Option<String>(OptionDeclaration("output", short: "o", value: "FILE", help: "the SVG to write (required)"))
    static let groupBy = Option<PowerLawGrouping>(OptionDeclaration("group-by", value: "KEY", help:
        "colour runs by ratio (D/N, default), tokens or compute", laws: [.chinchilla, .kaplan]), default: { .tokensPerParameter }) {
        switch $0 {
        case "ratio": return .tokensPerParameter
        case "tokens": return .tokens
        case "compute": return .compute
        case let other: throw UsageError(message: "--group-by: expected ratio, tokens or compute, found \"\(other)\"")
        }
    }
    static let until = Option<Int>(OptionDeclaration("until", value: "STEP", help: "continue each run's prediction to STEP",
                                                     laws: FitLaw.curves)) { text in
        let u = try Values.int(text, flag: "--until")
        guard u > 0, u < LRSchedule.maximumSteps else {
            throw UsageError(message: "--until: expected a positive step below \(LRSchedule.maximumSteps) (LRSchedule.maximumSteps), found \(u)")
        }
        return u
    }
    static let schedule = Option<LRSchedule>(OptionDeclaration("schedule", value: "SPEC", help:
        "also predict under this schedule (to --until or its end)", laws: FitLaw.curves)) { try LRSchedule(spec: $0, flag: "--schedule") }

    static let spec = CommandSpec(
        name: "plot",
        usage: [
            "FIT.json DATA -o FIG.svg [--group-by tokens|compute|ratio] [--x PARAMS,TOKENS] [--y LOSS]",
            "POWER.fit.json DATA -o FIG.svg [--x COLUMN] [--y LOSS]",
            "FORMULA.fit.json DATA -o FIG.svg [--x COLUMN[,COLUMN…]] [--y OBSERVED]",
            "FIT.json CURVES -o FIG.svg [--until STEP] [--schedule SPEC] [--group RUN] [--warmup linear|none]",
            "MULTILINGUAL.fit.json DATA -o FIG.svg [--family COL] [--ratio COL] [--x PARAMS,TOKENS] [--y LOSS]",
        ],
        discussion: """
        Draws a saved fit over data (hand-written SVG; same input, same bytes).
        Chinchilla fits: loss against N on log axes, one colour per group of runs (by D/N, by
        tokens or by compute), the law for each group, the compute-optimal frontier and a residual
        panel; Kaplan fits the same without a frontier; power-law fits: loss against the fit's x
        column with the law and the residuals; formula fits: the figure of fit --formula --plot
        (the data and the formula against its one variable, or observed against fitted for
        several), each variable read from its own column (N and D from the detected params and
        tokens columns when no column has that name, as fit reads them) or from the --x columns
        in the fit's variable order. Loss-curve fits (annealing, multipower): loss against step for every run of CURVES
        with the law under the run's schedule (the one the fit was made with when the run was
        fitted, else its logged lr), the residuals and the learning rates; --until STEP continues
        each run's prediction (dashed) to STEP under its schedule, held at its last lr, and
        --schedule SPEC adds the prediction under another schedule, from the data's first logged
        step. Multilingual fits: every row's loss against N, one colour per family, with the
        fitted value's residual below, as fit --plot draws it. Other fits are refused (an isoflop or envelope fit file keeps only the fitted line: its
        figure is drawn by fit --law isoflop|envelope --plot); so is an option that does not apply to the fit's law.
        """,
        arguments: [("FIT.json", "a fit file written by 'scalefit fit -o'"), ("DATA", "the data file to draw it over")],
        groups: [("options", [output.declaration, groupBy.declaration, until.declaration, schedule.declaration,
                              CurveOptions.group.declaration.applying(to: FitLaw.curves),
                              CurveOptions.warmup.declaration.applying(to: FitLaw.curves),
                              MultilingualOptions.family.declaration.applying(to: [.multilingual]),
                              MultilingualOptions.ratio.declaration.applying(to: [.multilingual])]
                  + InputOptions.declarations(laws: laws))])

    static func validate(_ args: ParsedArguments) throws {
        guard args.positionals.count == 2 else { throw UsageError(message: "expected a fit file and a data file\n\n\(spec.helpText)") }
        guard args.has(output) else { throw UsageError(message: "plot needs -o FIG.svg\n\n\(spec.helpText)") }
    }

    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        let file = args.text(output)!
        let (fitPath, dataPath) = (args.positionals[0], args.positionals[1])
        let fit = try FitFile.read(path: fitPath)
        // An allocation fit file keeps the line N_opt = k·C^a and its draws, not the first stage
        // (parabolas, envelope) the figure shows; redrawing it would mean refitting the data.
        if fit.isAllocationFit {
            throw ScaleFitError.invalidData(file: fitPath, reason: "plot cannot redraw an \(fit.law) fit: the file keeps the fitted N_opt = k*C^a and its bootstrap, not the per-budget \(fit.law == FitFile.isoflopLaw ? "parabolas" : "envelope") the figure shows; 'scalefit fit DATA --law \(fit.law) --plot FIG.svg' draws it")
        }
        guard let law = FitLaw(fitFileLaw: fit.law), laws.contains(law) else {
            throw ScaleFitError.invalidData(file: fitPath, reason: "plot draws chinchilla, kaplan, power, formula, multilingual and loss-curve fits; this file holds the \(fit.law) law")
        }
        try args.checkApplicability(to: law)
        try OutputDestination.checkFile(file, flag: args.spelling(output.declaration))
        guard FileManager.default.fileExists(atPath: dataPath) else {
            throw ScaleFitError.invalidData(file: dataPath, reason: "no such file")
        }
        let table = try RunTableReader.read(path: dataPath)
        let svg: String
        if law == .chinchilla {
            let grouping = try args.value(groupBy)!
            let chinchilla = try fit.chinchilla(file: fitPath)
            let runs = try ChinchillaRuns.read(table: table, path: dataPath, args: args, out: out)
            let plot = try PowerLawPlot.chinchilla(parameters: runs.parameters, tokens: runs.tokens, observed: runs.loss,
                                                   law: chinchilla, grouping: grouping)
            svg = plot.figure(title: "\(URL(fileURLWithPath: dataPath).lastPathComponent): " + PlotTitle.greek(ChinchillaLaw.formula),
                              subtitle: ChinchillaBacktest.subtitle(chinchilla)).flagged(fit.diagnostics ?? []).svg()
        } else if law == .formula {
            svg = try formula(fit, fitPath: fitPath, table: table, dataPath: dataPath, args: args, out: out)
        } else if law == .multilingual {
            let mix = try fit.multilingual(file: fitPath)
            let (data, _) = try MultilingualFitting.data(table: table, path: dataPath, args: args, out: out)
            let missing = data.familyNames.filter { mix.family(named: $0) == nil }
            if !missing.isEmpty {
                out.note("\(dataPath): the fit has no family \(missing.joined(separator: ", ")): \(data.family.filter { missing.contains(data.familyNames[$0]) }.count) rows not drawn")
            }
            svg = try MultilingualFitting.figure(mix, data: data, diagnostics: fit.diagnostics ?? [], path: dataPath)
        } else if law == .power || law == .kaplan {
            svg = try powerLaws(fit, law: law, fitPath: fitPath, table: table, dataPath: dataPath, args: args, out: out)
        } else {
            svg = try curves(fit, fitPath: fitPath, table: table, dataPath: dataPath, args: args, out: out)
        }
        try writePlot(svg, to: file, flag: args.spelling(output.declaration), out: out)
        return 0
    }

    /// A power-law fit over the runs of `table`, against its x column (the fit's, or `--x`),
    /// or a Kaplan fit over (N, D) runs grouped by `--group-by`.
    static func powerLaws(_ fit: FitFile, law: FitLaw, fitPath: String, table: RunTable, dataPath: String, args: ParsedArguments,
                          out: CommandOutput) throws -> String {
        let plot: PowerLawPlot, formula: String, estimates: [ParameterEstimate]
        if law == .power {
            let power = try Fit<SaturatingPowerLaw>(file: fit, source: fitPath)
            var overrides: [ColumnRole: String] = [:]
            if let y = args.text(InputOptions.y) { overrides[.loss] = y }
            let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
            let lName = try mapping.require(.loss, in: table)
            guard let xName = args.text(InputOptions.x) ?? fit.variables?.first ?? mapping[.params] else {
                _ = try mapping.require(.params, in: table)
                throw ScaleFitError.invalidData(file: dataPath, reason: "no x column")
            }
            guard let column = table.column(named: xName) else {
                throw ScaleFitError.missingColumn(file: dataPath, name: xName, available: table.columnNames)
            }
            out.note("columns: x=\"\(column.name)\", loss=\"\(lName)\"")
            let (usable, dropped) = try table.usableRows(numericColumns: [column.name, lName], strict: args.has(InputOptions.strict))
            if !dropped.isEmpty { out.note("\(dataPath): \(dropped)") }
            plot = try PowerLawPlot.oneVariable(x: try usable.values(of: column.name), observed: try usable.values(of: lName),
                                                law: power.values.loss(at:), xLabel: column.name)
            formula = SaturatingPowerLaw.formula
            estimates = power.estimates
        } else {
            let kaplan = try Fit<KaplanLaw>(file: fit, source: fitPath)
            let runs = try ChinchillaRuns.read(table: table, path: dataPath, args: args, out: out)
            plot = try PowerLawPlot.sizes(parameters: runs.parameters, tokens: runs.tokens, observed: runs.loss,
                                          loss: kaplan.values.loss(parameters:tokens:), grouping: try args.value(groupBy)!)
            formula = KaplanLaw.formula
            estimates = kaplan.estimates
        }
        return plot.figure(title: "\(law.rawValue) fit over \(URL(fileURLWithPath: dataPath).lastPathComponent): " + PlotTitle.greek(formula),
                           subtitle: PlotTitle.values(names: estimates.map(\.name), values: estimates.map(\.estimate)))
            .flagged(fit.diagnostics ?? []).svg()
    }

    /// A formula fit over the rows of `table`, drawn as `fit --formula --plot` draws it: the
    /// variables from the `--x` columns (in the fit's variable order) or their own columns (a
    /// role alias from its role's column), the observed column from `--y` or the detected loss.
    static func formula(_ file: FitFile, fitPath: String, table: RunTable, dataPath: String, args: ParsedArguments,
                        out: CommandOutput) throws -> String {
        var fit = try Fit<FormulaLaw>(file: file, source: fitPath)
        let variables = fit.law.model.variableNames
        var overrides: [ColumnRole: String] = [:]
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let yName = try mapping.require(.loss, in: table)
        let columns: [String]
        if let x = args.text(InputOptions.x) {
            let names = x.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard names.count == variables.count, !names.contains("") else {
                throw UsageError(message: "--x: expected \(variables.count) column\(variables.count == 1 ? "" : "s") for the formula's variables (\(variables.joined(separator: ", "))), found \"\(x)\"")
            }
            columns = try names.map { try table.requireColumn(named: $0).name }
        } else {
            columns = try FormulaFitting.columns(of: variables, in: table, mapping: mapping)
        }
        guard !columns.contains(yName) else {
            throw ScaleFitError.invalidData(file: dataPath, reason: "the observed column \"\(yName)\" is also a variable of the formula")
        }
        fit.law.columns = Dictionary(zip(variables, columns), uniquingKeysWith: { a, _ in a })
        let data = try fit.law.observations(from: table, options: TableOptions(columns: [.loss: yName], strict: args.has(InputOptions.strict)))
        out.note("columns: " + zip(variables, columns).map { "\($0)=\"\($1)\"" }.joined(separator: ", ")
                 + (variables.isEmpty ? "" : ", ") + "observed=\"\(yName)\"")
        if !data.dropped.isEmpty { out.note("\(dataPath): \(data.dropped)") }
        return try FormulaFitting.figure(fit, data: data, observedName: yName,
                                         title: "\(URL(fileURLWithPath: dataPath).lastPathComponent): \(yName) ~ ",
                                         diagnostics: file.diagnostics ?? [])
    }

    static func curves(_ fit: FitFile, fitPath: String, table: RunTable, dataPath: String, args: ParsedArguments,
                       out: CommandOutput) throws -> String {
        let law = try fit.curveLaw(file: fitPath)
        let fitted = Dictionary(try fit.fittedSchedules(file: fitPath).map { ($0.curve, $0.schedule) }, uniquingKeysWith: { a, _ in a })
        var overrides: [ColumnRole: String] = [:]
        if let x = args.text(InputOptions.x) { overrides[.step] = x }
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        if let g = args.text(CurveOptions.group) { overrides[.run] = g }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let runs = try mapping[.run].map { try table.groups(by: $0).map(\.key) } ?? [""]
        // The fit's own schedules for the runs it was fitted on; the others from their lr.
        var schedules: [String: LRSchedule] = [:]
        for run in runs {
            let name = run.isEmpty ? URL(fileURLWithPath: dataPath).deletingPathExtension().lastPathComponent : run
            if let s = fitted[name] { schedules[run] = s }
        }
        let set = try LossCurveSet(table: table, mapping: mapping, schedules: schedules,
                                   before: try args.value(CurveOptions.warmup)!, strict: args.has(InputOptions.strict))
        if !set.dropped.isEmpty { out.note("\(dataPath): \(set.dropped)") }
        let until = try args.value(Self.until)
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
        if let schedule = try args.value(schedule) {
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
                                                       subtitle: subtitle).flagged(fit.diagnostics ?? []).svg()
    }
}
