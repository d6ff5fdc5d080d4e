import Foundation

/// Reads training logs — one or several files, directories, `-` for standard input — with
/// the user's choices (`LogReadOptions`), into one `RunTable` and a `LogReadReport` per file.
///
/// ```swift
/// var options = LogReadOptions()
/// options.minStep = 1000                       // the start of training dropped
/// options.lrColumn = "lr-AdamW"                // the lr column, not detected
/// let read = try LogReader.read(inputs: ["a.jsonl", "tb-runs/", "-"], options: options)
/// for report in read.reports { print(report) } // one line per file, for stderr
/// let set = try LossCurveSet(table: read.table, mapping: read.mapping)
/// ```
///
/// For each file, in this order:
///
/// 1. read once (standard input included): the format given, else detected from the
///    content and the name (`RunTableFormat.detect`);
/// 2. the column roles: `ColumnMapping.detect` with the options' columns as overrides;
/// 3. rows whose step cell is not a number are dropped (reported with the cell);
/// 4. restarts resolved per run (`RunTable.resolvingRestarts`: the later segment
///    supersedes the earlier from the step where it restarts), reported;
/// 5. selection: `runs`, `minStep`, `maxStep` (inclusive), each drop reported by reason;
/// 6. loss and lr cells that are not finite numbers are counted (the law drops those rows
///    and says so); with `strict`, any drop or bad cell is an error instead.
///
/// Several files make one table: a file's rows belong to the run its own run column names,
/// else to a run named after the file (its name without the extension, or its folder for
/// TensorBoard event files read from a directory, see `LogInputs`), in a `run` column.
/// A single file without a run column gets none. Each file's step, loss and lr columns are
/// the ones its report names, joined under the first file's names (`RunTable.aligningRoles`).
public enum LogReader {
    /// The table of every input, its column roles and what reading each file did.
    public struct Result: Sendable {
        /// Every input's rows, in input order.
        public var table: RunTable
        /// The column roles in `table` (the first file's choices, the options' overrides).
        public var mapping: ColumnMapping
        /// One report per file read, in order.
        public var reports: [LogReadReport]
        /// Files inside directories that were not logs (skipped by name).
        public var skippedFiles: Int
    }

    /// Reads `inputs` (paths, directories, `-`) with `options`.
    /// - Throws: `ScaleFitError` naming the file and position of the first problem; with
    ///   `options.strict`, `droppedRows` for any row the read would drop.
    public static func read(inputs: [String], options: LogReadOptions = LogReadOptions()) throws -> Result {
        guard !inputs.isEmpty else {
            throw ScaleFitError.badArgument(flag: "inputs", position: 0, expected: "at least one file, directory or -", found: "")
        }
        guard inputs.filter({ $0 == "-" }).count <= 1 else {
            throw ScaleFitError.badArgument(flag: "-", position: 0, expected: "standard input given once", found: "- twice")
        }
        let (files, skippedFiles) = try LogInputs.expand(inputs)
        var tables: [RunTable] = [], runs: [String?] = [], reports: [LogReadReport] = []
        for file in files {
            let name = file.path == "-" ? "<stdin>" : file.path
            let chunks = try ByteChunks(path: file.path)
            var (table, report) = try read(chunks, fileName: name, options: options)
            let run = file.run ?? (files.count > 1 ? defaultRunName(file.path) : nil)
            if let run, report.columns[.run] == nil {
                report.runs = [run]
                if let wanted = options.runs, !wanted.contains(run) {
                    // The whole file is a run that was not asked for: counted, not read on.
                    var rows = DroppedRows()
                    for row in 0..<table.rowCount { rows.record(table.position(of: row) + " run=\"\(run)\"") }
                    report.dropped.append(LogReadReport.Drop(selection: .runs(wanted), rows: rows))
                    report.rowsUsed = 0
                    reports.append(report)
                    continue
                }
            }
            tables.append(table)
            reports.append(report)
            runs.append(run)
        }
        guard !tables.isEmpty else {
            throw ScaleFitError.invalidData(file: inputs.joined(separator: ", "),
                                            reason: "no input holds one of the runs asked for (\((options.runs ?? []).joined(separator: ", ")))")
        }
        return try combine(tables, runs: runs, reports: reports, options: options, skippedFiles: skippedFiles,
                           fileName: inputs.count == 1 ? (inputs[0] == "-" ? "<stdin>" : inputs[0]) : "\(files.count) inputs")
    }

    /// Reads one input already in memory (a script's bytes, a test's fixture).
    public static func read(data: Data, fileName: String, options: LogReadOptions = LogReadOptions()) throws -> Result {
        let (table, report) = try read(ByteChunks(data: data, fileName: fileName), fileName: fileName, options: options)
        return try combine([table], runs: [nil], reports: [report], options: options, skippedFiles: 0, fileName: fileName)
    }

    /// The run name of a file given among several: its name without directories and extension.
    static func defaultRunName(_ path: String) -> String {
        if path == "-" { return "stdin" }
        let url = URL(fileURLWithPath: path)
        return url.lastPathComponent.contains("tfevents") ? url.deletingLastPathComponent().lastPathComponent
                                                         : url.deletingPathExtension().lastPathComponent
    }

    private static func combine(_ tables: [RunTable], runs: [String?], reports: [LogReadReport],
                                options: LogReadOptions, skippedFiles: Int, fileName: String) throws -> Result {
        let named = runs.contains { $0 != nil }
        let runColumn = named ? (tables.lazy.compactMap { try? ColumnMapping.detect(in: $0, overrides: options.overrides)[.run] }.first ?? "run") : nil
        var tables = tables
        var overrides = options.overrides
        if tables.count > 1 {
            // Each file's own step, loss and lr, under one name each, as its report said.
            let mappings = try tables.map { try ColumnMapping.detect(in: $0, overrides: options.overrides) }
            let aligned = RunTable.aligningRoles(tables, mappings: mappings)
            tables = aligned.tables
            for (role, name) in aligned.names where overrides[role] == nil { overrides[role] = name }
        }
        let table = RunTable.concatenating(tables, fileName: fileName, runColumn: runColumn, runs: runs)
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        return Result(table: table, mapping: mapping, reports: reports, skippedFiles: skippedFiles)
    }

    /// Reads one file through steps 1–6.
    static func read(_ chunks: ByteChunks, fileName: String, options: LogReadOptions) throws -> (RunTable, LogReadReport) {
        let (raw, format) = try RunTableReader.read(chunks, fileName: fileName, format: options.format, options: options)
        let mapping = try ColumnMapping.detect(in: raw, overrides: options.overrides)
        var table = raw
        var dropped: [LogReadReport.Drop] = []
        func drop(_ reason: String, selection: LogReadReport.Drop.Selection? = nil, where isDropped: (Int) -> Bool) throws {
            var rows = DroppedRows()
            var keep: [Int] = []
            for row in 0..<table.rowCount {
                if isDropped(row) { rows.record(describe(table, row: row, mapping: mapping)) } else { keep.append(row) }
            }
            guard !rows.isEmpty else { return }
            // A selection drops on purpose; only a row that cannot be read is an error under strict.
            if options.strict, selection == nil {
                throw ScaleFitError.droppedRows(file: fileName, count: rows.count, first: rows.examples.joined(separator: ", "))
            }
            dropped.append(selection.map { LogReadReport.Drop(selection: $0, rows: rows) } ?? LogReadReport.Drop(reason: reason, rows: rows))
            table = table.selecting(rows: keep)
        }

        if let step = mapping[.step], let column = table.column(named: step) {
            try drop("step \"\(step)\" is not a number") { !column.isEmpty(at: $0) && !column.values[$0].isFinite }
            table = try table.resolvingRestarts(stepColumn: step, runColumn: mapping[.run]).table
        }
        if let runs = options.runs, let run = mapping[.run], let column = table.column(named: run) {
            let wanted = Set(runs)
            try drop("", selection: .runs(runs)) { !wanted.contains(column.text(at: $0)) }
        }
        if let step = mapping[.step], let minStep = options.minStep, let column = table.column(named: step) {
            try drop("", selection: .minStep(minStep)) { column.values[$0] < minStep }
        }
        // Looked up again: the drop above changed the rows.
        if let step = mapping[.step], let maxStep = options.maxStep, let column = table.column(named: step) {
            try drop("", selection: .maxStep(maxStep)) { column.values[$0] > maxStep }
        }
        var badCells = DroppedRows()
        for role in [ColumnRole.loss, .lr] {
            guard let name = mapping[role], let column = table.column(named: name) else { continue }
            for row in 0..<table.rowCount where !column.isEmpty(at: row) && !column.values[row].isFinite {
                badCells.record("\(table.position(of: row)) \(name)=\"\(column.text(at: row))\"")
            }
        }
        if options.strict, !badCells.isEmpty {
            throw ScaleFitError.droppedRows(file: fileName, count: badCells.count, first: badCells.examples.joined(separator: ", "))
        }
        let runs = try mapping[.run].map { try table.groups(by: $0).map(\.key) } ?? [""]
        let report = LogReadReport(input: fileName, format: format, runs: runs, columns: mapping, rowsRead: raw.rowCount,
                                   rowsUsed: table.rowCount, dropped: dropped, badCells: badCells, skipped: table.skipped,
                                   superseded: table.superseded, commentLines: table.commentLines)
        return (table, report)
    }

    /// `line 12 step="x"`: a dropped row's position and its step (and run) cell.
    private static func describe(_ table: RunTable, row: Int, mapping: ColumnMapping) -> String {
        var cells: [String] = []
        for role in [ColumnRole.run, .step] {
            if let name = mapping[role], let column = table.column(named: name) { cells.append("\(name)=\"\(column.text(at: row))\"") }
        }
        return ([table.position(of: row)] + cells).joined(separator: " ")
    }
}
