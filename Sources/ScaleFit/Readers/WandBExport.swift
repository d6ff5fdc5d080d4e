/// Reshapes a Weights & Biases CSV export into one row per (run, step).
///
/// W&B exports a chart's data "wide": a `Step` column, then for every run a column
/// `RUN - metric` (or, in some exports, `run/metric`) and its `__MIN` / `__MAX` companions
/// (the band of the smoothing window when points were bucketed). The companions are dropped
/// and the main series kept. Several runs are reshaped to the long format a law wants:
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
enum WandBExport {
    /// True when `names` look like a W&B export: a first column `Step` and at least one
    /// `__MIN`/`__MAX` companion or `RUN - metric` column.
    static func looksLikeExport(_ names: [String]) -> Bool {
        guard names.first == "Step" else { return false }
        return names.dropFirst().contains { isCompanion($0) || $0.contains(" - ") }
    }

    static func isCompanion(_ name: String) -> Bool {
        name.hasSuffix("__MIN") || name.hasSuffix("__MAX")
    }

    /// The long-format table of `table`, a W&B export.
    /// - Throws: `ScaleFitError.invalidData` when there are no run columns or no values.
    static func reshape(_ table: RunTable, joinSegments: Bool = true) throws -> RunTable {
        guard let stepIndex = table.columnIndex(named: "Step") else {
            throw ScaleFitError.missingColumn(file: table.fileName, name: "Step", available: table.columnNames)
        }
        let series = table.columns.indices.filter { $0 != stepIndex && !isCompanion(table.columns[$0].name) }
        guard !series.isEmpty else {
            throw ScaleFitError.invalidData(file: table.fileName,
                                            reason: "no run columns besides \"Step\": not a W&B export")
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

        var sources: [(run: String, row: Int)] = []
        for run in runs {
            let owned = Array(columnOf[run]!.values)
            for row in 0..<table.rowCount where owned.contains(where: { !table.columns[$0].isEmpty(at: row) }) {
                sources.append((run, row))
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
        let metricColumns = metrics.map { metric in
            gather(metric, from: table, sources: sources, columnOf: columnOf)
        }
        return RunTable(fileName: table.fileName, columns: [stepColumn, runColumn] + metricColumns,
                        lineNumbers: sources.map { table.lineNumbers[$0.row] },
                        commentLines: table.commentLines)
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
