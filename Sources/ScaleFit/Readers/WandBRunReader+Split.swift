/// The table layout of W&B and pandas: column names once, then the rows as arrays.
///
/// ```
/// {"columns": ["_step", "trainer/global_step", "train/loss"],
///  "data": [[0, 10, 9.1], [1, 20, 8.7]]}
/// ```
///
/// `wandb` writes it for a `wandb.Table` (`*.table.json`, with `_type`, `ncols`, `nrows`,
/// `column_types` beside), and pandas for a `run.history()` frame written with
/// `to_json(orient="split")` (with `index`, the row labels). `columns` is an array of
/// strings, `data` an array of rows, each an array with one cell per column (an object or
/// array cell is flattened under its column's name, as in a row object); row i is `data[i]`
/// and its position is that of its `[`. Every other key is skipped; `index` is counted in
/// `RunTable.skipped` (its labels are row numbers, not a step). The keys may come in any
/// order: a first pass finds `columns` and `data`.
extension WandBRunReader {
    /// Reads the object at the scanner's position (its `{`), a history: in the split layout
    /// when it has `columns` and `data` arrays, else as columns (`readColumns`).
    static func readHistoryObject(_ scanner: inout JSONScanner, into builder: inout RunTableBuilder,
                                  skipped: inout [SkippedEntries]) throws {
        guard let split = try splitLayout(&scanner) else { return try readColumns(&scanner, into: &builder) }
        try readSplit(&scanner, columns: split.columns, data: split.data, end: split.end, into: &builder)
        if split.hasIndex { skipped.append(SkippedEntries(kind: "pandas index", count: 1)) }
    }

    /// Where `columns` and `data` are in the object at the scanner's position (its `{`), if
    /// both are there with arrays as values, and where the object ends; the scanner is left
    /// where it was.
    private static func splitLayout(_ scanner: inout JSONScanner) throws -> (columns: Int, data: Int, end: Int, hasIndex: Bool)? {
        let start = scanner.position
        defer { scanner.position = start }
        var columns: Int?, data: Int?, hasIndex = false
        try scanner.forEachKey { key, scanner in
            switch key {
            case "columns" where scanner.peek() == UInt8(ascii: "["): columns = scanner.position
            case "data" where scanner.peek() == UInt8(ascii: "["): data = scanner.position
            case "index": hasIndex = true
            default: break
            }
            try scanner.skipValue(depth: 2)
        }
        guard let columns, let data else { return nil }
        return (columns, data, scanner.position, hasIndex)
    }

    /// Reads the split layout found by `splitLayout` into `builder`, leaving the scanner
    /// after the object (its `}`, at `end`).
    private static func readSplit(_ scanner: inout JSONScanner, columns: Int, data: Int, end: Int,
                          into builder: inout RunTableBuilder) throws {
        scanner.position = columns
        var names: [String] = []
        try scanner.forEachElement { scanner in
            let at = scanner.position
            guard scanner.peek() == UInt8(ascii: "\"") else { throw scanner.unexpected("a column name in double quotes") }
            let name = try scanner.parseString()
            if names.contains(name) {
                let location = scanner.location(of: at)
                throw ScaleFitError.duplicateColumn(file: builder.fileName, line: location.line, column: location.column, name: name)
            }
            names.append(name)
        }
        scanner.position = data
        try scanner.forEachElement { scanner in
            let open = scanner.position
            guard scanner.peek() == UInt8(ascii: "[") else {
                throw scanner.unexpected("a row: an array of \(names.count) value\(names.count == 1 ? "" : "s"), one per column")
            }
            let at = scanner.location(of: open)
            builder.beginRow(line: at.line, column: at.column)
            var index = 0
            try scanner.forEachElement { scanner in
                guard index < names.count else {
                    throw scanner.unexpected("the end of the row: \"columns\" names \(names.count) column\(names.count == 1 ? "" : "s")")
                }
                try scanner.parseCell(key: names[index], into: &builder)
                index += 1
            }
            guard index == names.count else {
                throw scanner.unexpected("\(names.count) value\(names.count == 1 ? "" : "s"), one per column in \"columns\"",
                                         from: open, found: "\(index)")
            }
            builder.finishRow()
        }
        scanner.position = end
    }
}
