import Foundation

/// Loss curves taken from a table of logged training steps: one curve per run (or one for
/// the whole table), each with the learning rate at every step and the loss at the steps
/// where it was logged.
///
/// Where η comes from, per curve, in this order:
///
/// ```
/// a schedule given for the run (--schedule NAME=SPEC)   used as given
/// a schedule given for all runs (--schedule SPEC)       used as given
/// the table's lr column                                 LoggedSchedule: every logged lr,
///                                                       piecewise linear between logged
///                                                       steps, `before` the first one
/// ```
///
/// Rows: the step column is required on every row (an empty or non-numeric step drops the
/// row, reported). When η comes from the table, loss and lr are each optional per row — a
/// full-resolution log with a row for every step and the loss only every k steps uses every
/// lr and fits the rows that have a loss; a row with neither is dropped. When η comes from
/// a spec, the loss is required and a row without one is dropped, reported. A step that is
/// not a non-negative integer, a step that does not increase within a run, or a negative
/// learning rate is an error naming the line.
///
/// ```swift
/// let table = try RunTableReader.read(path: "curves.csv")
/// let set = try LossCurveSet(table: table, mapping: try ColumnMapping.detect(in: table))
/// set.curves        // [LossCurve], in the order the runs first appear
/// set.sources       // how η was obtained for each, in words
/// set.dropped       // rows that could not be used
/// ```
public struct LossCurveSet: Sendable {
    /// The curves, in the order their runs first appear in the table.
    public var curves: [LossCurve]
    /// The schedule each curve's η came from (a spec, or `.logged` rebuilt from the table).
    public var schedules: [LRSchedule]
    /// How η was obtained for each curve, in words (for the user to see).
    public var sources: [String]
    /// For each curve, the source line of each logged loss (parallel to `curve.steps`).
    public var lineNumbers: [[Int]]
    /// Rows that could not be used.
    public var dropped: DroppedRows
    /// The columns used: step, loss, and lr and run when present.
    public var stepColumn: String
    /// The loss column.
    public var lossColumn: String
    /// The learning-rate column, when η came from the table.
    public var rateColumn: String?
    /// The run column, when the table has several runs.
    public var runColumn: String?

    /// Reads curves from `table` with the columns of `mapping` (`.step`, `.loss`, and `.lr`,
    /// `.run` when present).
    ///
    /// - Parameters:
    ///   - schedules: schedules by run name; the key `""` applies to every run without its
    ///     own. A run with neither a schedule here nor an lr column is an error.
    ///   - before: what η was before the first logged lr (`.hold` unless the user says the
    ///     logs start after a warmup from zero).
    ///   - strict: throw `droppedRows` instead of dropping a row.
    public init(table: RunTable, mapping: ColumnMapping, schedules: [String: LRSchedule] = [:],
                before: LoggedSchedule.Before = .hold, strict: Bool = false) throws {
        let file = table.fileName
        let stepColumn = try mapping.require(.step, in: table)
        let lossColumn = try mapping.require(.loss, in: table)
        let runColumn = mapping[.run]
        self.stepColumn = stepColumn
        self.lossColumn = lossColumn
        self.runColumn = runColumn
        let lrName = mapping[.lr]
        let runs = try runColumn.map { try table.groups(by: $0).map(\.key) } ?? [""]
        for name in schedules.keys where !name.isEmpty && !runs.contains(name) {
            throw ScaleFitError.invalidData(file: file, reason: "a schedule is given for run \"\(name)\", which is not in the table (runs: \(runs.joined(separator: ", ")))")
        }
        let needsLogged = runs.contains { schedules[$0] == nil && schedules[""] == nil }
        if needsLogged && lrName == nil {
            throw ScaleFitError.missingColumn(file: file, name: "lr (learning_rate), or give a schedule (the schedules argument)",
                                              available: table.columnNames)
        }
        let rateColumn = needsLogged ? lrName : nil
        self.rateColumn = rateColumn

        let optional = rateColumn.map { [lossColumn, $0] } ?? []
        let required = rateColumn == nil ? [stepColumn, lossColumn] : [stepColumn]
        var (usable, dropped) = try table.usableRows(numericColumns: required,
                                                     labelColumns: runColumn.map { [$0] } ?? [],
                                                     optionalColumns: optional, strict: strict)
        // Rows with a step but neither a loss nor an lr carry nothing.
        if let lr = rateColumn {
            let loss = try usable.values(of: lossColumn), rate = try usable.values(of: lr)
            var empty = DroppedRows()
            let keep = (0..<usable.rowCount).filter { row in
                if loss[row].isFinite || rate[row].isFinite { return true }
                empty.record("\(usable.position(of: row)) \(lossColumn)=\"\" \(lr)=\"\"")
                return false
            }
            if !empty.isEmpty {
                if strict {
                    throw ScaleFitError.droppedRows(file: file, count: empty.count, first: empty.examples.joined(separator: ", "))
                }
                dropped = DroppedRows(count: dropped.count + empty.count,
                                      examples: Array((dropped.examples + empty.examples).prefix(DroppedRows.exampleLimit)))
                usable = usable.selecting(rows: keep)
            }
        }
        self.dropped = dropped

        let steps = try usable.values(of: stepColumn)
        let losses = try usable.values(of: lossColumn)
        let rates = try rateColumn.map { try usable.values(of: $0) }
        for row in 0..<usable.rowCount {
            let s = steps[row]
            guard s >= 0, s == s.rounded(), s < Double(LRSchedule.maximumSteps) else {
                throw ScaleFitError.badValue(file: usable.file(ofRow: row), line: usable.lineNumbers[row], column: try columnPosition(table, stepColumn),
                                             expected: "a non-negative integer step below \(LRSchedule.maximumSteps) (LRSchedule.maximumSteps)", found: usable.column(named: stepColumn)!.text(at: row))
            }
            if let rates, rates[row].isFinite, rates[row] < 0 {
                throw ScaleFitError.badValue(file: usable.file(ofRow: row), line: usable.lineNumbers[row], column: try columnPosition(table, rateColumn!),
                                             expected: "a non-negative learning rate", found: usable.column(named: rateColumn!)!.text(at: row))
            }
        }

        let groups = try runColumn.map { try usable.groups(by: $0) } ?? [RowGroup(key: "", rows: Array(0..<usable.rowCount))]
        var curves: [LossCurve] = [], used: [LRSchedule] = [], sources: [String] = [], lines: [[Int]] = []
        for group in groups {
            let name = group.key.isEmpty ? (runColumn == nil ? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent : group.key) : group.key
            var curveSteps: [Int] = [], curveLosses: [Double] = [], curveLines: [Int] = []
            var ratePoints: [SchedulePoint] = []
            var previous: (step: Int, position: String)?
            for row in group.rows {
                let step = Int(steps[row]), line = usable.lineNumbers[row]
                if let p = previous, step <= p.step {
                    throw ScaleFitError.invalidData(file: file, reason: "\(usable.position(of: row)): step \(step) does not increase after step \(p.step) on \(p.position)" + (runColumn == nil ? "" : " in run \"\(group.key)\"") + "; steps of a curve must increase")
                }
                previous = (step, usable.position(of: row))
                if losses[row].isFinite {
                    guard losses[row] > 0 else {
                        throw ScaleFitError.badValue(file: usable.file(ofRow: row), line: line, column: try columnPosition(table, lossColumn),
                                                     expected: "a positive loss", found: usable.column(named: lossColumn)!.text(at: row))
                    }
                    curveSteps.append(step); curveLosses.append(losses[row]); curveLines.append(line)
                }
                if let rates, rates[row].isFinite { ratePoints.append(SchedulePoint(step: step, rate: rates[row])) }
            }
            guard !curveSteps.isEmpty else {
                throw ScaleFitError.invalidData(file: file, reason: runColumn == nil ? "no row has a loss" : "run \"\(group.key)\" has no row with a loss")
            }
            let schedule: LRSchedule
            let source: String
            if let given = schedules[group.key] ?? schedules[""] {
                schedule = given
                source = "given: \(given.spec)"
            } else {
                guard !ratePoints.isEmpty else {
                    throw ScaleFitError.invalidData(file: file, reason: "run \"\(name)\" has no learning rate logged; give its schedule (the schedules argument)")
                }
                let logged = try LoggedSchedule(points: ratePoints, before: before,
                                                total: max(ratePoints.last!.step, curveSteps.last!) + 1, file: file)
                schedule = .logged(logged)
                source = logged.description
            }
            curves.append(try LossCurve(name: name, schedule: schedule, steps: curveSteps, losses: curveLosses))
            used.append(schedule)
            sources.append(source)
            lines.append(curveLines)
        }
        self.curves = curves
        self.schedules = used
        self.sources = sources
        self.lineNumbers = lines
    }
}

/// The 1-based position of a column in the table, for error messages.
private func columnPosition(_ table: RunTable, _ name: String) throws -> Int {
    (table.columnIndex(named: name) ?? 0) + 1
}
