/// Reshapes a Weights & Biases chart CSV export into one row per (run, step).
///
/// W&B exports a chart's data "wide": a first column with the x axis (`Step`, or whatever
/// the chart plots against: `trainer/global_step`, `_step`, …), then for every run a column
/// `RUN - metric` (or, in some exports, `run/metric`) and its `__MIN` / `__MAX` companions
/// (the band of the smoothing window when points were bucketed). The companions are skipped,
/// counted in `RunTable.skipped`, and the main series kept. Runs are reshaped to the long
/// format a law wants:
///
/// ```
/// Step, a - loss, a - loss__MIN, a - loss__MAX, b - loss     Step, run, loss
/// 100,  3.1,      3.0,           3.2,           3.4      →   100,  a,   3.1
/// 200,  2.9,      2.8,           3.0,           ""           200,  a,   2.9
///                                                            100,  b,   3.4
/// ```
///
/// Runs come in the order their first column appears, and within a run the rows keep the
/// file's order; a (run, step) row is written only where that run has at least one
/// non-empty metric. Every row keeps the line it came from. Names are split at the first
/// ` - `; only when no column has one are they split at the first `/` (W&B metric names
/// themselves often contain `/`, as in `train/loss`). A column with neither belongs to the
/// run named "".
///
/// Restart segments: a run that was restarted is often logged as several W&B runs whose
/// names differ only in a trailing number (`OLMo-7B-run-001`, `OLMo-7B-run-002`, …). Run
/// names that end in `-` or `_` and digits, and share everything before them with at least
/// one other run, are the segments of one run named by that prefix (`OLMo-7B-run`), taken
/// in the order of their numbers; a `segment` column keeps each row's original run. Where
/// segments overlap, the later supersedes the earlier from the step where it starts
/// (`RunTable.resolvingRestarts`, recorded in `RunTable.superseded`). `joinSegments: false`
/// (`LogReadOptions.keepSegmentsApart`) keeps them as separate runs.
///
/// Detection (`looksLikeExport`) wants a step-like first column (`Step`, `step`,
/// `trainer/global_step`, `_step`, …) and a `RUN - metric` or `__MIN`/`__MAX` column; a
/// plain CSV that happens to look so is read as it is with the format given as `csv`.
enum WandBExport {
    /// True when `names` look like a W&B chart export: a step-like first column and at least
    /// one `__MIN`/`__MAX` companion or `RUN - metric` column.
    static func looksLikeExport(_ names: [String]) -> Bool {
        guard let first = names.first else { return false }
        let normalized = ColumnRole.normalize(first)
        guard ColumnRole.step.candidateNames.contains(normalized) || ColumnRole.isBookkeeping(columnName: first) else {
            return false
        }
        return names.dropFirst().contains { isCompanion($0) || $0.contains(" - ") }
    }

    static func isCompanion(_ name: String) -> Bool {
        name.hasSuffix("__MIN") || name.hasSuffix("__MAX")
    }

    /// The long-format table of `table`, a W&B chart export whose first column is the step.
    /// - Throws: `ScaleFitError.invalidData` when there are no run columns or no values.
    static func reshape(_ table: RunTable, joinSegments: Bool = true) throws -> RunTable {
        guard let stepName = table.columns.first?.name else { throw ScaleFitError.emptyFile(file: table.fileName) }
        let stepIndex = 0
        let companions = table.columns.filter { isCompanion($0.name) }.count
        let series = table.columns.indices.filter { $0 != stepIndex && !isCompanion(table.columns[$0].name) }
        guard !series.isEmpty else {
            throw ScaleFitError.invalidData(file: table.fileName,
                                            reason: "no run columns besides \"\(stepName)\": not a W&B export")
        }
        let separator = series.contains { table.columns[$0].name.contains(" - ") } ? " - " : "/"

        // run → (metric → column index), both in first-appearance order.
        var runs: [String] = []
        var metrics: [String] = []
        var columnOf: [String: [String: Int]] = [:]
        for index in series {
            let (run, metric) = split(table.columns[index].name, at: separator)
            if columnOf[run] == nil { runs.append(run) }
            if !metrics.contains(metric) { metrics.append(metric) }
            columnOf[run, default: [:]][metric] = index
        }
        let joined = joinSegments ? segmentsJoined(runs) : runs.map { ($0, $0) }

        var sources: [(run: String, segment: String, row: Int)] = []
        for (name, run) in joined {
            let owned = Array(columnOf[run]!.values)
            for row in 0..<table.rowCount where owned.contains(where: { !table.columns[$0].isEmpty(at: row) }) {
                sources.append((name, run, row))
            }
        }

        guard !sources.isEmpty else {
            throw ScaleFitError.invalidData(file: table.fileName, reason: "no run has a value in any row")
        }
        let stepColumn = table.columns[stepIndex].selecting(sources.map(\.row))
        var runName = "run"
        while metrics.contains(runName) || runName == stepColumn.name { runName += "_" }
        let runColumn = RunTable.Column(name: runName, values: Array(repeating: .nan, count: sources.count),
                                        strings: sources.map(\.run))
        var columns = [stepColumn, runColumn]
        let hasSegments = sources.contains { $0.run != $0.segment }
        if hasSegments {
            columns.append(RunTable.Column(name: "segment", values: Array(repeating: .nan, count: sources.count),
                                           strings: sources.map(\.segment)))
        }
        columns += metrics.map { metric in
            gather(metric, from: table, sources: sources.map { ($0.segment, $0.row) }, columnOf: columnOf)
        }
        var long = RunTable(fileName: table.fileName, columns: columns, lineNumbers: sources.map { table.lineNumbers[$0.row] },
                            rowColumns: [], commentLines: table.commentLines, skipped: table.skipped)
        if companions > 0 { long.skipped.append(SkippedEntries(kind: "W&B __MIN/__MAX column", count: companions)) }
        if hasSegments, stepColumn.kind == .numeric {
            long = try long.resolvingRestarts(stepColumn: stepColumn.name, runColumn: runName).table
        }
        return long
    }

    /// Each run with the run it belongs to: segments `NAME-001`, `NAME-002` (`-` or `_` and
    /// digits, at least two sharing NAME) join under NAME, in the order of their numbers,
    /// placed where the first of them appeared; other runs are their own.
    static func segmentsJoined(_ runs: [String]) -> [(name: String, run: String)] {
        func parts(_ run: String) -> (prefix: String, number: Int)? {
            guard let last = run.lastIndex(where: { $0 == "-" || $0 == "_" }) else { return nil }
            let digits = run[run.index(after: last)...]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  let number = Int(digits), last > run.startIndex else { return nil }
            return (String(run[..<last]), number)
        }
        var members: [String: [(number: Int, run: String)]] = [:]
        for run in runs {
            if let (prefix, number) = parts(run) { members[prefix, default: []].append((number, run)) }
        }
        var result: [(name: String, run: String)] = []
        var done: Set<String> = []
        for run in runs {
            guard let (prefix, _) = parts(run), let segments = members[prefix], segments.count > 1,
                  !runs.contains(prefix) else {
                result.append((run, run))
                continue
            }
            guard done.insert(prefix).inserted else { continue }
            for segment in segments.sorted(by: { ($0.number, $0.run) < ($1.number, $1.run) }) {
                result.append((prefix, segment.run))
            }
        }
        return result
    }

    /// `name` split at the first `separator` into (run, metric); ("", name) without one.
    private static func split(_ name: String, at separator: String) -> (String, String) {
        guard let range = name.range(of: separator) else { return ("", name) }
        return (String(name[..<range.lowerBound]), String(name[range.upperBound...]))
    }

    /// The long column of `metric`: each source row's cell from its run's column, empty
    /// where the run has no such metric.
    private static func gather(_ metric: String, from table: RunTable, sources: [(run: String, row: Int)],
                               columnOf: [String: [String: Int]]) -> RunTable.Column {
        let isText = columnOf.values.contains { $0[metric].map { table.columns[$0].kind == .text } ?? false }
        var values: [Double] = []
        var strings: [String] = []
        var nonFiniteText: [Int: String] = [:]
        values.reserveCapacity(sources.count)
        for (newRow, source) in sources.enumerated() {
            guard let index = columnOf[source.run]?[metric] else {
                values.append(.nan)
                if isText { strings.append("") }
                continue
            }
            let column = table.columns[index]
            values.append(column.values[source.row])
            if isText {
                strings.append(column.text(at: source.row))
            } else if let original = column.nonFiniteText[source.row] {
                nonFiniteText[newRow] = original
            }
        }
        return RunTable.Column(name: metric, values: values, strings: isText ? strings : nil,
                               nonFiniteText: nonFiniteText)
    }
}
