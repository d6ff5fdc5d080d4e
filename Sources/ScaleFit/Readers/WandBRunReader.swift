/// Reads the two JSON layouts of Weights & Biases runs that hold a step-by-step history:
///
/// - a run dump (`wandb_run`): one object with the run's `history` beside its `summary` and
///   `config` (and often `name`, `display_name`, `id`); the history is an array of row
///   objects, or a dictionary of columns as pandas writes a `run.history()` frame
///   (`to_dict(orient="list")`: `{"_step": [0, 1], "loss": [9.1, 8.7]}`; `to_dict()`:
///   `{"loss": {"0": 9.1, "1": 8.7}}`, see `readColumns`):
///
///   ```
///   {"name": "olmo-1b-run-001", "config": {"lr": 4e-4, …}, "summary": {"_step": 999, …},
///    "history": [{"_step": 0, "_runtime": 12.5, "trainer/global_step": 10, "train/loss": 9.1},
///                {"_step": 1, "_runtime": 25.0, "trainer/global_step": 20, "train/loss": 8.7}]}
///   ```
///
///   the history rows become the table (nested keys flattened with dots), `summary` and
///   `config` are skipped and counted in `RunTable.skipped`, and a run name (`display_name`,
///   else `name`, else `id`) becomes a `run` column when the rows have none;
/// - API history records (`json_records`): a top-level array of row objects, as
///   `run.history()` writes with pandas' `to_json(orient="records")`, or a top-level object
///   of columns, as `to_json()` (keyed by row) and `to_json(orient="list")`-style dumps do.
///
/// Wherever a history may be an object (the top level of `json_records`, a dump's
/// `history`), the table layout `{"columns": [names], "data": [[row], …]}` of a
/// `wandb.Table` and of pandas' `to_json(orient="split")` is read too (`readSplit`).
///
/// In both, `_step`, `_runtime` and `_timestamp` are W&B's bookkeeping (`ColumnMapping`
/// takes the trainer's step column over them). The document is read whole as bytes; no value
/// tree is built. Rows record their line and column, so a drop inside a minified file points
/// at it.
enum WandBRunReader {
    static func read(_ chunks: ByteChunks, fileName: String, format: RunTableFormat) throws -> RunTable {
        var bytes = try chunks.all(fileName: fileName)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            throw ScaleFitError.emptyFile(file: fileName)
        }
        var builder = RunTableBuilder(fileName: fileName)
        var foundHistory = false
        var names: [String: String] = [:]
        var skippedKeys: [String] = []
        var skipped: [SkippedEntries] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer, fileName: fileName, firstLine: 1, endName: "the end of the file")
            scanner.skipWhitespace()
            if format == .jsonRecords {
                foundHistory = true
                if scanner.peek() == UInt8(ascii: "{") {
                    try readHistoryObject(&scanner, into: &builder, skipped: &skipped)
                } else {
                    guard scanner.peek() == UInt8(ascii: "[") else {
                        throw scanner.unexpected("a JSON array of row objects or an object of columns")
                    }
                    try scanner.parseRowArray(into: &builder)
                }
            } else {
                guard scanner.peek() == UInt8(ascii: "{") else { throw scanner.unexpected("a JSON object") }
                try scanner.forEachKey { key, scanner in
                    switch key {
                    case "history" where !foundHistory && scanner.peek() == UInt8(ascii: "["):
                        foundHistory = true
                        try scanner.parseRowArray(into: &builder)
                    case "history" where !foundHistory && scanner.peek() == UInt8(ascii: "{"):
                        foundHistory = true
                        try readHistoryObject(&scanner, into: &builder, skipped: &skipped)
                    case "display_name" where scanner.peek() == UInt8(ascii: "\""),
                         "name" where scanner.peek() == UInt8(ascii: "\""),
                         "id" where scanner.peek() == UInt8(ascii: "\""):
                        names[key] = try scanner.parseString()
                    default:
                        if key == "summary" || key == "config" { skippedKeys.append(key) }
                        try scanner.skipValue()
                    }
                }
            }
            scanner.skipWhitespace()
            if scanner.position < buffer.count { throw scanner.unexpected("the end of the file after the document") }
        }
        guard foundHistory else {
            throw ScaleFitError.invalidData(
                file: fileName,
                reason: "no \"history\" array or object of columns: not a W&B run dump (a trainer state needs \"log_history\"; give the format with LogReadOptions.format)")
        }
        guard builder.rowCount > 0 else {
            throw ScaleFitError.invalidData(file: fileName, reason: "\(format == .jsonRecords ? "the history" : "history") is empty: the run logged nothing")
        }
        guard !builder.columns.isEmpty else {
            throw ScaleFitError.invalidData(file: fileName, reason: "no values: every object is empty")
        }
        var table = builder.build()
        if let runName = names["display_name"] ?? names["name"] ?? names["id"], !table.columns.contains(where: { ColumnRole.isLabel(columnName: $0.name) }) {
            table.columns.append(RunTable.Column(name: "run", values: Array(repeating: .nan, count: table.rowCount),
                                                 strings: Array(repeating: runName, count: table.rowCount)))
        }
        for key in ["summary", "config"] where skippedKeys.contains(key) {
            table.skipped.append(SkippedEntries(kind: "W&B \(key) object", count: 1))
        }
        table.skipped += skipped
        return table
    }

    /// Reads a history given as columns at the scanner's position (its `{`): each key a
    /// column, its value the column's cells, either an array (`{"_step": [0, 1], "loss":
    /// [2.1, 2.0]}`, pandas' `to_dict(orient="list")`) or an object keyed by row index
    /// (`{"loss": {"0": 2.1, "1": 2.0}}`, pandas' default `to_dict()`). Every column needs
    /// as many cells as the first, and keyed columns the first's keys in its order; row i is
    /// the i-th cell of every column, and its position is that of its cell in the first
    /// column.
    ///
    /// Two passes over the bytes: the first checks the syntax and counts each column's
    /// cells, the second builds the rows, one cursor per column, so no cell is held twice.
    static func readColumns(_ scanner: inout JSONScanner, into builder: inout RunTableBuilder) throws {
        struct Cells {
            let key: String
            let opening: Int
            let isKeyed: Bool
            var count = 0
            var cursor: Int
        }
        var columns: [Cells] = []
        try scanner.forEachKey { key, scanner in
            let opening = scanner.position
            guard let open = scanner.peek(), open == UInt8(ascii: "[") || open == UInt8(ascii: "{") else {
                throw scanner.unexpected("an array of the column's values (a history of columns)")
            }
            var cells = Cells(key: key, opening: opening, isKeyed: open == UInt8(ascii: "{"), cursor: opening + 1)
            try scanner.forEachElement { scanner in
                if cells.isKeyed {
                    _ = try scanner.parseString()
                    try scanner.expect(UInt8(ascii: ":"), "a colon after the row key")
                }
                try scanner.skipValue(depth: 3)
                cells.count += 1
            }
            columns.append(cells)
        }
        let end = scanner.position
        guard let first = columns.first else { return }
        for cells in columns where cells.count != first.count || cells.isKeyed != first.isKeyed {
            scanner.position = cells.opening
            let shape = cells.isKeyed == first.isKeyed ? "\(first.count) value\(first.count == 1 ? "" : "s")"
                                                       : (first.isKeyed ? "an object keyed by row" : "an array")
            throw scanner.unexpected("\(shape), as column \"\(first.key)\" has",
                                     found: cells.isKeyed == first.isKeyed ? "\(cells.count)" : (cells.isKeyed ? "an object" : "an array"))
        }
        for _ in 0..<first.count {
            var rowKey = ""
            for index in columns.indices {
                scanner.position = columns[index].cursor
                scanner.skipWhitespace()
                if columns[index].isKeyed {
                    let keyStart = scanner.position
                    let key = try scanner.parseString()
                    if index == 0 {
                        rowKey = key
                    } else if key != rowKey {
                        throw scanner.unexpected("the row key \"\(rowKey)\", as in column \"\(first.key)\"", from: keyStart)
                    }
                    try scanner.expect(UInt8(ascii: ":"), "a colon after the row key")
                    scanner.skipWhitespace()
                }
                if index == 0 {
                    let at = scanner.location(of: scanner.position)
                    builder.beginRow(line: at.line, column: at.column)
                }
                try scanner.parseCell(key: columns[index].key, into: &builder)
                scanner.skipWhitespace()
                scanner.position += 1  // the comma or the closing bracket, checked by the first pass
                columns[index].cursor = scanner.position
            }
            builder.finishRow()
        }
        scanner.position = end
    }

}

extension JSONScanner {
    /// Walks the array or object at the current position, calling `body` at each element
    /// (for an object, at the element's key), which `body` must consume.
    mutating func forEachElement(_ body: (inout JSONScanner) throws -> Void) throws {
        let isObject = peek() == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        position += 1
        skipWhitespace()
        if peek() == close {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            if isObject, peek() != UInt8(ascii: "\"") { throw unexpected("a key in double quotes") }
            try body(&self)
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                position += 1
            } else if peek() == close {
                position += 1
                return
            } else {
                throw unexpected(isObject ? "a comma or a closing brace" : "a comma or a closing bracket")
            }
        }
    }

    /// Walks the object at the current position, calling `body` with each key and the
    /// scanner at its value (which `body` must consume).
    mutating func forEachKey(_ body: (String, inout JSONScanner) throws -> Void) throws {
        position += 1  // {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw unexpected("a key in double quotes") }
            let key = try parseString()
            try expect(UInt8(ascii: ":"), "a colon after the key")
            skipWhitespace()
            try body(key, &self)
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                position += 1
            } else if peek() == UInt8(ascii: "}") {
                position += 1
                return
            } else {
                throw unexpected("a comma or a closing brace")
            }
        }
    }
}
