/// A table of training runs or log rows, stored by column: what every reader returns and
/// every law reads.
///
/// A plain value: named columns of equal length, the 1-based source line of every row (so
/// later errors and drop reports can point into the file), and the file's name.
public struct RunTable: Sendable, Equatable {
    /// The file the table was read from (its path as given, or a label such as `<stdin>`).
    public var fileName: String
    /// The columns in header (or first-appearance) order.
    public internal(set) var columns: [Column]
    /// The 1-based line on which each row starts in the source file.
    public internal(set) var lineNumbers: [Int]
    /// The 1-based column (in characters) at which each row starts, for formats whose rows
    /// can share a line (a minified JSON file); empty when every row starts a line. For a
    /// binary format, the byte offset of each row's record, and `lineNumbers` are all 0.
    public internal(set) var rowColumns: [Int]
    /// How many `#` comment lines the reader skipped.
    public var commentLines: Int
    /// What the reader skipped on purpose, counted by kind (a trainer state's summary entry,
    /// W&B's `__MIN`/`__MAX` columns), so nothing is left out without a word.
    public internal(set) var skipped: [SkippedEntries]
    /// Rows of restarted runs that later segments replaced (`resolvingRestarts`).
    public internal(set) var superseded: [Supersession] = []
    /// For a table of several files (`LogReader` with several inputs), the files, in order;
    /// empty for a table of one file, whose rows are all in `fileName`.
    public internal(set) var sourceFiles: [String] = []
    /// For a table of several files, the index into `sourceFiles` of each row's file, so
    /// that `position(of:)` names it; empty otherwise.
    public internal(set) var rowFiles: [Int] = []

    /// A table from its columns. Every column must have one value per entry of `lineNumbers`.
    public init(fileName: String, columns: [Column], lineNumbers: [Int], commentLines: Int = 0) {
        self.init(fileName: fileName, columns: columns, lineNumbers: lineNumbers, rowColumns: [],
                  commentLines: commentLines, skipped: [])
    }

    init(fileName: String, columns: [Column], lineNumbers: [Int], rowColumns: [Int],
         commentLines: Int, skipped: [SkippedEntries], superseded: [Supersession] = [],
         sourceFiles: [String] = [], rowFiles: [Int] = []) {
        precondition(columns.allSatisfy { $0.count == lineNumbers.count },
                     "every column needs one value per row")
        precondition(rowColumns.isEmpty || rowColumns.count == lineNumbers.count)
        precondition(rowFiles.isEmpty || (rowFiles.count == lineNumbers.count && rowFiles.allSatisfy(sourceFiles.indices.contains)))
        self.sourceFiles = sourceFiles
        self.rowFiles = rowFiles
        self.fileName = fileName
        self.columns = columns
        self.lineNumbers = lineNumbers
        self.rowColumns = rowColumns
        self.commentLines = commentLines
        self.skipped = skipped
        self.superseded = superseded
    }

    /// Where row `row` is in the file, as reports write it: `line 17`, `line 1 column 2345`
    /// (a row inside a minified JSON file) or `byte 4096` (a binary format); in a table of
    /// several files, after the row's file: `b.jsonl line 17`.
    public func position(of row: Int) -> String {
        let file = rowFiles.isEmpty ? "" : sourceFiles[rowFiles[row]] + " "
        if rowColumns.isEmpty { return file + "line \(lineNumbers[row])" }
        if lineNumbers[row] == 0 { return file + "byte \(rowColumns[row])" }
        return file + "line \(lineNumbers[row]) column \(rowColumns[row])"
    }

    /// The file row `row` was read from: its own in a table of several files, else `fileName`.
    public func file(ofRow row: Int) -> String {
        rowFiles.isEmpty ? fileName : sourceFiles[rowFiles[row]]
    }

    /// The number of rows.
    public var rowCount: Int { lineNumbers.count }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    // MARK: Lookup

    /// The index of the column called `name`: an exact match if there is one, else the
    /// first whose name matches ignoring case.
    public func columnIndex(named name: String) -> Int? {
        if let exact = columns.firstIndex(where: { $0.name == name }) { return exact }
        let lowered = name.lowercased()
        return columns.firstIndex { $0.name.lowercased() == lowered }
    }

    /// The column called `name` (exact, else case-insensitive), or nil.
    public func column(named name: String) -> Column? {
        columnIndex(named: name).map { columns[$0] }
    }

    /// The column called `name`, or `ScaleFitError.missingColumn` listing the columns there are.
    public func requireColumn(named name: String) throws -> Column {
        guard let column = column(named: name) else {
            throw ScaleFitError.missingColumn(file: fileName, name: name, available: columnNames)
        }
        return column
    }

    /// The numeric values of the column called `name` (NaN where not a number).
    public func values(of name: String) throws -> [Double] {
        try requireColumn(named: name).values
    }

    // MARK: Selecting rows

    /// The table restricted to `rows` (indices into this table), in that order.
    public func selecting(rows: [Int]) -> RunTable {
        RunTable(fileName: fileName, columns: columns.map { $0.selecting(rows) },
                 lineNumbers: rows.map { lineNumbers[$0] },
                 rowColumns: rowColumns.isEmpty ? [] : rows.map { rowColumns[$0] },
                 commentLines: commentLines, skipped: skipped, superseded: superseded,
                 sourceFiles: sourceFiles, rowFiles: rowFiles.isEmpty ? [] : rows.map { rowFiles[$0] })
    }

    /// The table of the rows for which `isIncluded(row)` is true, in their order.
    public func filter(_ isIncluded: (Int) throws -> Bool) rethrows -> RunTable {
        selecting(rows: try (0..<rowCount).filter(isIncluded))
    }

    /// The rows of each distinct value of the column called `name`, in the order the values
    /// first appear (so the result is deterministic). A text column groups by its strings,
    /// a numeric one by the cell text of its values; empty cells form a group with key "".
    public func groups(by name: String) throws -> [RowGroup] {
        let column = try requireColumn(named: name)
        var groups: [RowGroup] = []
        var indexOfKey: [String: Int] = [:]
        for row in 0..<rowCount {
            let key = column.text(at: row)
            if let index = indexOfKey[key] {
                groups[index].rows.append(row)
            } else {
                indexOfKey[key] = groups.count
                groups.append(RowGroup(key: key, rows: [row]))
            }
        }
        return groups
    }
}

/// Entries of a log a reader skipped on purpose, and how many: `1 trainer summary entry`.
public struct SkippedEntries: Sendable, Equatable, CustomStringConvertible {
    /// What was skipped, in the singular: "trainer summary entry", "predict_* entry".
    public var kind: String
    /// How many.
    public var count: Int

    /// A count of skipped entries of one kind.
    public init(kind: String, count: Int) {
        self.kind = kind
        self.count = count
    }

    /// `10 predict_* entries skipped`.
    public var description: String {
        let plural = count == 1 ? kind : (kind.hasSuffix("y") ? String(kind.dropLast()) + "ies" : kind + "s")
        return "\(count) \(plural) skipped"
    }
}

/// The rows of a `RunTable` that share one value of a column.
public struct RowGroup: Sendable, Equatable {
    /// The shared cell text ("" for empty cells).
    public var key: String
    /// Row indices into the table, ascending.
    public var rows: [Int]

    /// A group from its key and rows.
    public init(key: String, rows: [Int]) {
        self.key = key
        self.rows = rows
    }
}
