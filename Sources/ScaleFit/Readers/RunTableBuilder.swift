/// A `RunTable` as a reader fills it row by row.
///
/// CSV gives all columns up front (`init(fileName:columnNames:)`); JSON discovers them as
/// keys appear (`column(forKey:)`), and a row that lacks a key gets an empty cell there.
struct RunTableBuilder {
    let fileName: String
    var columns: [ColumnBuilder] = []
    private var indexOfName: [String: Int] = [:]
    private(set) var lineNumbers: [Int] = []
    /// Each row's starting column, kept only once some row starts past column 1.
    private(set) var rowColumns: [Int] = []
    private var keepsColumns = false
    var commentLines = 0
    /// Column names kept as written besides the label names (`ColumnBuilder`).
    let labels: Set<String>

    init(fileName: String, labels: Set<String> = []) {
        self.fileName = fileName
        self.labels = labels
    }

    init(fileName: String, columnNames: [String], labels: Set<String> = []) {
        self.fileName = fileName
        self.labels = labels
        for name in columnNames {
            indexOfName[name] = columns.count
            columns.append(ColumnBuilder(name: name, labels: labels))
        }
    }

    var rowCount: Int { lineNumbers.count }

    /// A key as JSON rows spell it at one position (the k-th key of a row, depth first):
    /// its raw bytes, the prefix of the object it is in, the flattened key, the prefix it
    /// gives an object value and its column.
    /// Log rows repeat their keys in the same order, so comparing the raw bytes with the
    /// slot replaces a string allocation and a hash lookup per value.
    struct KeySlot {
        var raw: [UInt8]
        var prefix: String
        var key: String
        /// The prefix of the keys inside an object value: `key.`.
        var childPrefix: String
        var column: Int?
    }

    var keySlots: [KeySlot] = []
    /// The ordinal of the next key in the current row.
    var keyOrdinal = 0

    /// Starts a row that begins on source line `line`.
    mutating func beginRow(line: Int, column: Int = 1) {
        keyOrdinal = 0
        if column != 1 && !keepsColumns {
            keepsColumns = true
            rowColumns = Array(repeating: 1, count: lineNumbers.count)
        }
        lineNumbers.append(line)
        if keepsColumns { rowColumns.append(column) }
    }

    /// Reserves room for the rows a file of `totalBytes` will give, estimated from the
    /// `bytesSoFar` that gave the rows so far (with 25% to spare): the columns then grow
    /// without copies, and memory not written is never touched, so an overestimate costs
    /// address space, not resident memory. Does nothing before there are rows to go by.
    mutating func reserveRows(totalBytes: Int?, bytesSoFar: Int) {
        guard let totalBytes, rowCount > 0, bytesSoFar > 0, totalBytes > bytesSoFar else { return }
        let estimate = Int(Double(rowCount) * Double(totalBytes) / Double(bytesSoFar) * 1.25) + 16
        guard estimate > lineNumbers.capacity else { return }
        lineNumbers.reserveCapacity(estimate)
        if keepsColumns { rowColumns.reserveCapacity(estimate) }
        for index in columns.indices { columns[index].reserveCapacity(estimate) }
    }

    /// The index of the column called `key`, created (empty in every earlier row) if new.
    mutating func column(forKey key: String) -> Int {
        if let index = indexOfName[key] { return index }
        let index = columns.count
        indexOfName[key] = index
        columns.append(ColumnBuilder(name: key, emptyRows: rowCount - 1, labels: labels))
        return index
    }

    /// True when column `index` already has a cell in the current row.
    func hasCellInCurrentRow(_ index: Int) -> Bool {
        columns[index].count == rowCount
    }

    /// Ends the current row: every column without a cell in it gets an empty one.
    mutating func finishRow() {
        for index in columns.indices where columns[index].count < rowCount {
            columns[index].appendEmpty()
        }
    }

    /// The finished table.
    func build() -> RunTable {
        RunTable(fileName: fileName, columns: columns.map { $0.build() }, lineNumbers: lineNumbers,
                 rowColumns: rowColumns, commentLines: commentLines, skipped: [])
    }
}
