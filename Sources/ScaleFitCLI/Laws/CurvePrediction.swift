import Foundation
import ScaleFit

/// `scalefit predict CURVES.fit.json --steps …`: the loss of a run at the given steps under
/// a schedule, with its 95% interval (`FitFile.predictCurve`: the fit file opened as the fit
/// of its law through `LawRegistry`, predicting with `Fit.predict`).
enum CurvePrediction {
    /// `--steps 1000,5000,24000` or `--steps 0:24000:500` (start:end:stride, end included
    /// when on the stride), or a mix separated by commas.
    @Sendable static func steps(_ text: String) throws -> [Int] {
        var out: [Int] = []
        var position = 1
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let s = part.trimmingCharacters(in: .whitespaces)
            // A step is below LRSchedule.maximumSteps (η is built for every step up to the
            // last), so no range can overflow or allocate more than 10^7 steps.
            let limit = LRSchedule.maximumSteps
            func integer(_ t: Substring) -> Int? {
                if let i = Int(t) { return i }
                if let d = Double(t), d == d.rounded(), abs(d) < 1e15 { return Int(d) }
                return nil
            }
            let fields = s.split(separator: ":", omittingEmptySubsequences: false)
            let values = fields.map(integer)
            if values.contains(where: { $0.map { $0 >= limit } ?? false }) {
                throw ScaleFitError.badArgument(flag: "--steps", position: position,
                                                expected: "steps below \(limit) (the most a prediction may span, LRSchedule.maximumSteps)", found: s)
            }
            if fields.count == 3, let a = values[0], let b = values[1], let c = values[2], c > 0, a >= 0, b >= a {
                guard out.count + (b - a) / c < limit else {
                    throw ScaleFitError.badArgument(flag: "--steps", position: position, expected: "at most \(limit) steps in all", found: s)
                }
                out += Array(stride(from: a, through: b, by: c))
            } else if fields.count == 1, let a = values[0], a >= 0 {
                out.append(a)
            } else {
                throw ScaleFitError.badArgument(flag: "--steps", position: position,
                                                expected: "a non-negative integer step or a range START:END:STRIDE (e.g. 0:24000:500)", found: s)
            }
            position += part.count + 1
        }
        return out
    }

    static func predict(_ fit: FitFile, path: String, args: ParsedArguments, format: OutputFormat, out: CommandOutput) throws -> Int32 {
        guard let steps = try args.value(PredictCommand.steps) else {
            throw UsageError(message: "predicting from a \(fit.law) fit needs --steps (e.g. --steps 0:24000:500)")
        }
        let schedule: LRSchedule
        let fitted = try fit.fittedSchedules(file: path)
        if let given = try args.value(PredictCommand.schedule) {
            schedule = given
        } else if let file = args.text(PredictCommand.scheduleFile) {
            guard FileManager.default.fileExists(atPath: file) else { throw ScaleFitError.invalidData(file: file, reason: "no such file") }
            schedule = .logged(try LoggedSchedule.load(csvAt: URL(fileURLWithPath: file), before: try args.value(CurveOptions.warmup)!))
        } else if let run = args.text(PredictCommand.run) {
            guard let match = fitted.first(where: { $0.curve == run }) else {
                throw UsageError(message: "--run: the fit has no run \"\(run)\" (runs: \(fitted.map(\.curve).joined(separator: ", ")))")
            }
            schedule = match.schedule
        } else if fitted.count == 1 {
            schedule = fitted[0].schedule
            out.note("schedule: the fitted run \(fitted[0].curve)'s")
        } else {
            throw UsageError(message: "give the schedule to predict under: --schedule SPEC, --schedule-file FILE, or --run NAME (one of \(fitted.map(\.curve).joined(separator: ", ")))")
        }
        let all = try fit.predictCurve(schedule: schedule, steps: steps, file: path)
        // Where the law is undefined (S1 = 0 before any learning: step 0 of a warmup from 0),
        // say so rather than print inf.
        let rows = all.filter { $0.loss.isFinite }
        if rows.count < all.count {
            let skipped = all.filter { !$0.loss.isFinite }.map { "\($0.step)" }
            out.note("skipped \(skipped.count) step\(skipped.count == 1 ? "" : "s") where the law is undefined (no learning-rate area yet, S1 = 0): \(skipped.prefix(5).joined(separator: ", "))\(skipped.count > 5 ? ", …" : "")")
        }
        if format == .json { try out.write(jsonText(rows)); return 0 }
        if format == .csv {
            // Written 2^16 lines at a time: the text of 10^6 steps is never held whole.
            try out.write(ScaleFit.CurvePrediction.csvHeader)
            for start in stride(from: 0, to: rows.count, by: 1 << 16) {
                try out.write(ScaleFit.CurvePrediction.csvLines(rows[start..<min(start + (1 << 16), rows.count)]))
            }
            return 0
        }
        let t = TextTable(header: ["step", "lr", "loss"] + IntervalColumns.header, rows: rows.map {
            ["\($0.step)", formatSignificant($0.lr, digits: 4)]
                + IntervalColumns.cells(loss: $0.loss, lower95: $0.lower95, upper95: $0.upper95, meanLower95: $0.meanLower95, meanUpper95: $0.meanUpper95)
        })
        try out.write(t.render(format.style))
        return 0
    }
}

