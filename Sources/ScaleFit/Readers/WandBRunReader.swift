/// Reads the two JSON layouts of Weights & Biases runs that hold a step-by-step history:
///
/// - a run dump (`wandb_run`): one object with the run's `history` as an array of row
///   objects, beside its `summary` and `config` (and often `name`, `display_name`, `id`):
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
///   `run.history()` writes with pandas' `to_json(orient="records")`.
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
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer, fileName: fileName, firstLine: 1, endName: "the end of the file")
            scanner.skipWhitespace()
            if format == .jsonRecords {
                guard scanner.peek() == UInt8(ascii: "[") else { throw scanner.unexpected("a JSON array of row objects") }
                foundHistory = true
                try readRows(&scanner, into: &builder)
            } else {
                guard scanner.peek() == UInt8(ascii: "{") else { throw scanner.unexpected("a JSON object") }
                try scanner.forEachKey { key, scanner in
                    switch key {
                    case "history" where !foundHistory && scanner.peek() == UInt8(ascii: "["):
                        foundHistory = true
                        try readRows(&scanner, into: &builder)
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
                reason: "no \"history\" array: not a W&B run dump (a trainer state needs \"log_history\"; give the format with --input-format)")
        }
        guard builder.rowCount > 0 else { throw ScaleFitError.headerOnly(file: fileName) }
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
        return table
    }

    /// Reads the array of row objects at the scanner's position.
    private static func readRows(_ scanner: inout JSONScanner, into builder: inout RunTableBuilder) throws {
        scanner.position += 1  // [
        scanner.skipWhitespace()
        if scanner.peek() == UInt8(ascii: "]") {
            scanner.position += 1
            return
        }
        while true {
            try scanner.parseRow(into: &builder)
            scanner.skipWhitespace()
            if scanner.peek() == UInt8(ascii: ",") {
                scanner.position += 1
            } else if scanner.peek() == UInt8(ascii: "]") {
                scanner.position += 1
                return
            } else {
                throw scanner.unexpected("a comma or a closing bracket")
            }
        }
    }
}

extension JSONScanner {
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
