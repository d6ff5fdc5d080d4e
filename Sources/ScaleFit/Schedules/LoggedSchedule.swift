import Foundation

/// A schedule rebuilt from logged (step, lr) pairs, which are often sparse (every k steps).
///
/// ```
/// between logged steps   η linear between the two neighbours
/// before the first       η_i = lr_first · i / s_first     (`.linearFromZero`: a warmup)
///                        η_i = lr_first                   (`.hold`)
/// after the last         η_i = lr_last
/// ```
///
/// A log with a row for every step is the special case where every η is used as logged.
/// `description` says which reconstruction was used, for the user to see.
public struct LoggedSchedule: Sendable, Equatable {
    /// What η was before the first logged step.
    public enum Before: String, Sendable, Equatable, CaseIterable, Codable {
        /// A linear warmup from 0 at step 0 to the first logged lr.
        case linearFromZero = "linear"
        /// The first logged lr, held.
        case hold
    }

    /// The logged (step, η) pairs, steps strictly increasing.
    public let points: [SchedulePoint]
    /// How η is rebuilt before the first logged step.
    public let before: Before
    /// T, the number of steps the schedule defines (steps 0..<T).
    public let totalSteps: Int

    /// Validates the points: steps non-negative and strictly increasing, rates finite and
    /// non-negative. `total` defaults to the last logged step + 1. `file` names the source
    /// in errors.
    public init(points: [SchedulePoint], before: Before, total: Int? = nil,
                file: String = "schedule") throws {
        guard !points.isEmpty else {
            throw ScaleFitError.invalidData(file: file, reason: "no (step, lr) points to build a schedule from")
        }
        for (index, point) in points.enumerated() {
            guard point.step >= 0 else {
                throw ScaleFitError.invalidData(file: file, reason: "negative step \(point.step) at point \(index + 1)")
            }
            guard point.step < LRSchedule.maximumSteps else {
                throw ScaleFitError.invalidData(file: file, reason: "step \(point.step) at point \(index + 1) is past the last step a schedule may have, \(LRSchedule.maximumSteps - 1) (LRSchedule.maximumSteps)")
            }
            guard point.rate.isFinite, point.rate >= 0 else {
                throw ScaleFitError.invalidData(file: file, reason: "learning rate \(point.rate) at step \(point.step) is not a finite non-negative number")
            }
            if index > 0, point.step <= points[index - 1].step {
                throw ScaleFitError.invalidData(file: file, reason: "steps are not strictly increasing: \(point.step) after \(points[index - 1].step)")
            }
        }
        let last = points[points.count - 1].step
        let count = total ?? last + 1
        guard count >= 1, count <= LRSchedule.maximumSteps else {
            throw ScaleFitError.invalidData(file: file, reason: count < 1 ? "a schedule needs at least one step"
                : "a schedule of \(count) steps is longer than the \(LRSchedule.maximumSteps) steps a schedule may have (LRSchedule.maximumSteps)")
        }
        self.points = points
        self.before = before
        self.totalSteps = count
    }

    /// From parallel arrays of logged steps and learning rates.
    public init(steps: [Int], rates: [Double], before: Before, total: Int? = nil,
                file: String = "schedule") throws {
        guard steps.count == rates.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(steps.count) learning rates", found: "\(rates.count)")
        }
        try self.init(points: zip(steps, rates).map { SchedulePoint(step: $0, rate: $1) },
                      before: before, total: total, file: file)
    }

    /// η at `step`.
    public func rate(at step: Int) -> Double {
        let first = points[0]
        if step < first.step {
            switch before {
            case .hold: return first.rate
            case .linearFromZero: return first.rate * Double(step) / Double(first.step)
            }
        }
        return SchedulePoint.interpolate(points, at: step)
    }

    /// True when every step from the first logged one to the last has its own row.
    public var isFullResolution: Bool {
        points[points.count - 1].step - points[0].step == points.count - 1
    }

    /// Which reconstruction was used, in words.
    public var description: String {
        let first = points[0].step, last = points[points.count - 1].step
        var parts: [String] = []
        if isFullResolution {
            parts.append("as logged: \(points.count) steps \(first)–\(last), every step logged, used as is")
        } else {
            parts.append("as logged: \(points.count) points at steps \(first)–\(last), piecewise linear between them")
        }
        if first > 0 {
            switch before {
            case .linearFromZero: parts.append("linear warmup from 0 before step \(first)")
            case .hold: parts.append("held at \(points[0].rate) before step \(first)")
            }
        }
        if totalSteps - 1 > last { parts.append("held at \(points[points.count - 1].rate) after step \(last)") }
        return parts.joined(separator: "; ")
    }

    /// Reads a step,lr CSV: an optional header naming the columns (`step` and `lr` or
    /// `learning_rate`; without names, the first two columns), then one row per logged step.
    /// Errors name the file, line and column. Deliberately small: two numeric columns only.
    public static func load(csvAt url: URL, before: Before, total: Int? = nil) throws -> LoggedSchedule {
        let file = url.path
        guard let text = String(data: try BoundedRead.contents(of: file, what: "the schedule file"), encoding: .utf8) else {
            throw ScaleFitError.invalidData(file: file, reason: "cannot read the file: not UTF-8 text")
        }
        return try parse(csv: text, file: file, before: before, total: total)
    }

    /// Parses the text of a step,lr CSV (see `load(csvAt:before:total:)`).
    public static func parse(csv text: String, file: String, before: Before,
                             total: Int? = nil) throws -> LoggedSchedule {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated().map { (number: $0.offset + 1, fields: $0.element.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }) }
            .filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        guard let head = lines.first else { throw ScaleFitError.emptyFile(file: file) }
        var stepColumn = 0, rateColumn = 1
        if Double(head.fields[0]) == nil {
            let names = head.fields.map { $0.lowercased() }
            guard let s = names.firstIndex(of: "step") else {
                throw ScaleFitError.missingColumn(file: file, name: "step", available: head.fields)
            }
            guard let r = names.firstIndex(where: { $0 == "lr" || $0 == "learning_rate" }) else {
                throw ScaleFitError.missingColumn(file: file, name: "lr", available: head.fields)
            }
            stepColumn = s
            rateColumn = r
            lines.removeFirst()
            if lines.isEmpty { throw ScaleFitError.headerOnly(file: file) }
        }
        var points: [SchedulePoint] = []
        points.reserveCapacity(lines.count)
        for line in lines {
            func field(_ column: Int, _ what: String) throws -> String {
                guard column < line.fields.count else {
                    throw ScaleFitError.badValue(file: file, line: line.number, column: column + 1,
                                                 expected: what, found: "")
                }
                return line.fields[column]
            }
            let stepText = try field(stepColumn, "a step (a non-negative integer)")
            guard let step = Int(stepText) ?? Double(stepText).flatMap({ $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil }),
                  step >= 0 else {
                throw ScaleFitError.badValue(file: file, line: line.number, column: stepColumn + 1,
                                             expected: "a step (a non-negative integer)", found: stepText)
            }
            let rateText = try field(rateColumn, "a learning rate (a non-negative number)")
            guard let rate = Double(rateText), rate.isFinite, rate >= 0 else {
                throw ScaleFitError.badValue(file: file, line: line.number, column: rateColumn + 1,
                                             expected: "a learning rate (a non-negative number)", found: rateText)
            }
            if let previous = points.last, step <= previous.step {
                throw ScaleFitError.badValue(file: file, line: line.number, column: stepColumn + 1,
                                             expected: "a step greater than \(previous.step)", found: stepText)
            }
            points.append(SchedulePoint(step: step, rate: rate))
        }
        return try LoggedSchedule(points: points, before: before, total: total, file: file)
    }
}
