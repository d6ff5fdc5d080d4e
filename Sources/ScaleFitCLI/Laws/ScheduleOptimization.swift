import Foundation
import ScaleFit

/// `scalefit optimal CURVES.fit.json --schedule --steps T [--peak η] [--warmup W] [--min-lr η_min]
/// [--family free|wsd|cosine] [-o schedule.csv] [--plot fig.svg]`: the learning-rate schedule
/// minimising the fitted curve law's predicted final loss (`OptimalSchedule`).
enum ScheduleOptimization {
    static let laws = FitLaw.curves

    static let schedule = Flag("schedule", help: "the learning-rate schedule minimising the predicted final loss", laws: laws)
    static let steps = Option<Int>(OptionDeclaration("steps", value: "T", help:
        "the run's length T, the updates η_0…η_(T−1) (2 to 10^7)", laws: laws)) { text in
        let t = try Values.int(text, flag: "--steps")
        guard t >= 2, t <= ScheduleConstraints.maximumSteps else {
            throw UsageError(message: "--steps: expected an integer from 2 to \(ScheduleConstraints.maximumSteps), found \(t)")
        }
        return t
    }
    static let peak = Option<Double>(OptionDeclaration("peak", value: "η", help:
        "the peak learning rate (default: the largest peak of the fitted runs' schedules)", laws: laws)) { text in
        let v = try Values.double(text, flag: "--peak")
        guard v > 0 else { throw UsageError(message: "--peak: expected a positive learning rate, found \(text)") }
        return v
    }
    static let warmup = Option<Int>(OptionDeclaration("warmup", value: "W", help:
        "the linear warmup's steps, 0 ≤ W < T (default: the fitted runs' warmup when they agree)", laws: laws)) { text in
        let w = try Values.int(text, flag: "--warmup")
        guard w >= 0 else { throw UsageError(message: "--warmup: expected a non-negative integer, found \(w)") }
        return w
    }
    static let minLR = Option<Double>(OptionDeclaration("min-lr", value: "η_min", help:
        "the least learning rate, 0 < η_min < peak (default: the lowest final rate of the fitted runs' schedules)", laws: laws)) { text in
        let v = try Values.double(text, flag: "--min-lr")
        guard v > 0 else { throw UsageError(message: "--min-lr: expected a positive learning rate, found \(text)") }
        return v
    }
    static let family = Option<ScheduleFamily>(OptionDeclaration("family", value: "F", help:
        "free (default: every non-increasing schedule, step by step), wsd (decay length and shape) or cosine (final ratio)", laws: laws),
        default: { .free }) { text in
        guard let f = ScheduleFamily(rawValue: text) else {
            throw UsageError(message: "--family: expected free, wsd or cosine, found \"\(text)\"")
        }
        return f
    }
    static let output = Option<String>(OptionDeclaration("output", short: "o", value: "FILE.csv", help:
        "write the schedule as step,lr (every step), which 'predict --schedule-file' reads back", laws: laws))
    static let plot = Option<String>(OptionDeclaration("plot", value: "FILE.svg", help:
        "write the figure: the schedules above, their predicted loss curves below", laws: laws))

    static var declarations: [OptionDeclaration] {
        [schedule.declaration, steps.declaration, peak.declaration, warmup.declaration, minLR.declaration,
         family.declaration, output.declaration, plot.declaration]
    }

    /// The combinations the values alone cannot show, before any file is read.
    static func validate(_ args: ParsedArguments) throws {
        guard args.has(schedule) else {
            if let given = [steps.declaration, peak.declaration, warmup.declaration, minLR.declaration, family.declaration,
                            output.declaration, plot.declaration].first(where: { args.has($0) }) {
                throw UsageError(message: "\(args.spelling(given)) goes with --schedule")
            }
            return
        }
        guard args.has(steps) else { throw UsageError(message: "optimal --schedule needs --steps T") }
        try check(args, steps: try args.value(steps)!, peak: try args.value(peak), warmup: try args.value(warmup),
                  minimum: try args.value(minLR))
    }

    /// W < T and η_min < η_max, each named by its flag.
    static func check(_ args: ParsedArguments, steps t: Int, peak: Double?, warmup w: Int?, minimum: Double?) throws {
        if let w, w >= t { throw UsageError(message: "--warmup: expected fewer than --steps \(t) steps, found \(w)") }
        if let peak, let minimum, minimum >= peak {
            throw UsageError(message: "--min-lr: expected a rate below the peak \(peak), found \(minimum)")
        }
    }

    static func run(_ fit: FitFile, path: String, args: ParsedArguments, format: OutputFormat, out: CommandOutput) throws -> Int32 {
        if let file = args.text(output) { try OutputDestination.checkFile(file, flag: args.spelling(output.declaration)) }
        if let file = args.text(plot) { try OutputDestination.checkFile(file, flag: "--plot") }
        let law = try fit.curveLaw(file: path)
        let fitted = try fit.fittedSchedules(file: path).map(\.schedule)
        let t = try args.value(steps)!
        guard let peakRate = try args.value(peak) ?? fitted.compactMap(\.peakRate).max() else {
            throw UsageError(message: "--peak: the fit file records no schedule to take the peak from; give --peak")
        }
        let warmups = Set(fitted.compactMap(\.warmupSteps))
        guard let w = try args.value(warmup) ?? (warmups.count == 1 ? warmups.first : nil) else {
            throw UsageError(message: "--warmup: the fit file's schedules do not record one warmup; give --warmup")
        }
        guard let minimum = try args.value(minLR) ?? fitted.compactMap(\.floorRate).filter({ $0 < peakRate }).min() else {
            throw UsageError(message: "--min-lr: the fit file's schedules do not decay below the peak; give --min-lr")
        }
        try check(args, steps: t, peak: peakRate, warmup: w, minimum: minimum)
        let chosen = try args.value(family)!
        let constraints = try ScheduleConstraints(steps: t, peak: peakRate, warmup: w, minimumRate: minimum)
        let result = try OptimalSchedule(law: law, parameters: fit.parameters, covariance: fit.covariance,
                                         constraints: constraints, family: chosen)
        if let notes = fit.diagnostics, !notes.isEmpty { out.note("warning: the fit is not sound: " + notes.joined(separator: "; ")) }
        try out.write(render(result, law: law, format: format))
        if let file = args.text(output) {
            try OutputDestination.write(result.csv, to: file, flag: args.spelling(output.declaration))
            out.note("wrote \(file)")
        }
        if let file = args.text(plot) {
            try writePlot(OptimalSchedulePlot(result, law: law, parameters: fit.parameters).figure().svg(), to: file, out: out)
        }
        return 0
    }

    /// The result as the chosen format prints it.
    static func render(_ r: OptimalSchedule, law: any CurveFittingLaw, format: OutputFormat) -> String {
        let c = r.constraints
        if format == .json {
            struct Row: Encodable {
                let schedule: String, spec: String?, finalLoss, lower95, upper95, gain: Double
            }
            struct Report: Encodable {
                let law, family, shape: String
                let steps, warmup: Int
                let peak, minLR: Double
                let finalStep: Int
                let schedules: [Row]
                let gainOverCosine, gainOverBestWSD: Double
                let drops: [ScheduleShape.Drop]
                let search: ScheduleSearchSummary?
            }
            return jsonText(Report(law: law.identifier, family: r.family.rawValue, shape: r.shape.description, steps: c.steps,
                                   warmup: c.warmup, peak: c.peak, minLR: c.minimumRate, finalStep: c.steps - 1,
                                   schedules: rows(r).map { Row(schedule: $0.0, spec: $0.1?.spec, finalLoss: $0.2.value,
                                                                lower95: $0.2.lower, upper95: $0.2.upper, gain: $0.3) },
                                   gainOverCosine: r.gainOverCosine, gainOverBestWSD: r.gainOverBestWSD,
                                   drops: r.shape.drops, search: r.search))
        }
        let full = format == .csv
        func number(_ v: Double, _ digits: Int) -> String { full ? "\(v)" : formatSignificant(v, digits: digits) }
        let table = TextTable(header: ["schedule", "final_loss", "lower95", "upper95", "excess_loss", "spec"], rows: rows(r).map {
            [$0.0, number($0.2.value, 8), number($0.2.lower, 6), number($0.2.upper, 6), number($0.3, 4), $0.1?.spec ?? ""]
        })
        var text = format.heading.isEmpty ? "" : "\(format.heading)Optimal learning-rate schedule\n\n"
        if format == .csv { return table.render(.csv) }
        text += "optimal schedule (\(r.family.rawValue)) under the \(law.identifier) law: T = \(c.steps) steps, peak \(c.peak), warmup \(c.warmup), min lr \(c.minimumRate)\n"
        text += "final loss = the law at step \(c.steps - 1), after the updates η_0…η_\(c.steps - 1) (what 'predict --steps \(c.steps - 1)' gives)\n\n"
        text += table.render(format.style)
        text += "\nshape: \(r.shape.description)\n"
        text += "gain over the cosine to \(c.minimumRate): \(formatSignificant(r.gainOverCosine, digits: 4)); over the best WSD: \(formatSignificant(r.gainOverBestWSD, digits: 4))\n"
        if let s = r.search {
            text += "search: \(s.iterations) iterations, \(s.evaluations) evaluations; projected-gradient norm \(formatSignificant(s.optimality, digits: 3)) (tolerance \(s.optimalityTolerance)): \(s.converged ? "converged" : "not converged"), \(s.reason)\n"
            text += "starts: " + zip(s.startNames, s.startLosses).map { "\($0) \(formatSignificant($1, digits: 10))" }.joined(separator: "; ") + "\n"
        }
        return text
    }

    /// (name, spec, final loss, its loss minus the optimum's): the optimum, the best WSD, the cosine.
    static func rows(_ r: OptimalSchedule) -> [(String, LRSchedule?, Prediction, Double)] {
        [("optimal (\(r.family.rawValue))", r.schedule, r.finalLoss, 0),
         ("best wsd", r.bestWSD.schedule, r.bestWSD.finalLoss, r.gainOverBestWSD),
         ("cosine", r.cosine.schedule, r.cosine.finalLoss, r.gainOverCosine)]
    }
}

extension LRSchedule {
    /// The largest rate the schedule reaches (nil for none).
    var peakRate: Double? {
        switch self {
        case let .constant(peak, _, _), let .cosine(peak, _, _, _), let .linear(peak, _, _, _), let .wsd(peak, _, _, _, _, _),
             let .stepDecay(peak, _, _, _, _), let .inverseSqrt(peak, _, _, _):
            return peak
        case let .multistage(_, stages): return stages.map(\.rate).max()
        case let .piecewise(points, _): return points.map(\.rate).max()
        case let .logged(s): return s.points.map(\.rate).max()
        }
    }

    /// The declared warmup (nil for the kinds that have none declared).
    var warmupSteps: Int? {
        switch self {
        case let .constant(_, w, _), let .cosine(_, w, _, _), let .linear(_, w, _, _), let .wsd(_, w, _, _, _, _),
             let .stepDecay(_, w, _, _, _), let .inverseSqrt(_, w, _, _), let .multistage(w, _):
            return w
        case .piecewise, .logged: return nil
        }
    }

    /// The rate the schedule decays to: final·peak, the lowest stage or point (nil for constant, step and invsqrt).
    var floorRate: Double? {
        switch self {
        case .constant, .inverseSqrt, .stepDecay: return nil
        case let .cosine(peak, _, _, final), let .linear(peak, _, _, final), let .wsd(peak, _, _, _, _, final):
            // To 12 digits, so that 0.1·3e-4 is the 3e-05 the user means, not 2.9999999999999997e-05.
            let rate = Double(String(format: "%.12g", final * peak)) ?? final * peak
            return rate > 0 ? rate : nil
        case let .multistage(_, stages): return stages.map(\.rate).filter { $0 > 0 }.min()
        case let .piecewise(points, _): return points.map(\.rate).filter { $0 > 0 }.min()
        case let .logged(s): return s.points.map(\.rate).filter { $0 > 0 }.min()
        }
    }
}
