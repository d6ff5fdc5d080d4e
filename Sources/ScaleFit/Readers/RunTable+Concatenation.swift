extension RunTable {
    /// The rows of `tables` one after the other, columns united by name in first-appearance
    /// order (a table without a column has empty cells there; a column that is text in any
    /// table is text). With `runs` (one name per table, nil to keep the table's own), a
    /// column `runColumn` holds each row's run: the table's own run cell where it has one,
    /// else its name from `runs`.
    static func concatenating(_ tables: [RunTable], fileName: String, runColumn: String?,
                              runs: [String?]) -> RunTable {
        if tables.count == 1, runColumn == nil { return tables[0] }
        var names: [String] = []
        var isText: [String: Bool] = [:]
        for table in tables {
            for column in table.columns {
                if isText[column.name] == nil { names.append(column.name) }
                isText[column.name] = (isText[column.name] ?? false) || column.kind == .text
            }
        }
        if let runColumn {
            if isText[runColumn] == nil { names.append(runColumn) }
            isText[runColumn] = true
        }
        var columns: [Column] = []
        for name in names {
            var values: [Double] = []
            var strings: [String] = []
            var nonFinite: [Int: String] = [:]
            let text = isText[name]!
            for (index, table) in tables.enumerated() {
                let column = table.column(named: name).flatMap { $0.name == name ? $0 : nil }
                for row in 0..<table.rowCount {
                    let newRow = values.count
                    var cell = column.map { $0.text(at: row) } ?? ""
                    if name == runColumn, cell.isEmpty, let run = runs[index] { cell = run }
                    values.append(column?.values[row] ?? .nan)
                    if text {
                        strings.append(cell)
                    } else if let original = column?.nonFiniteText[row] {
                        nonFinite[newRow] = original
                    }
                }
            }
            columns.append(Column(name: name, values: values, strings: text ? strings : nil, nonFiniteText: nonFinite))
        }
        let needsColumns = tables.contains { !$0.rowColumns.isEmpty }
        return RunTable(
            fileName: fileName, columns: columns, lineNumbers: tables.flatMap(\.lineNumbers),
            rowColumns: needsColumns ? tables.flatMap { $0.rowColumns.isEmpty ? Array(repeating: 1, count: $0.rowCount) : $0.rowColumns } : [],
            commentLines: tables.reduce(0) { $0 + $1.commentLines }, skipped: tables.flatMap(\.skipped),
            superseded: tables.flatMap(\.superseded))
    }
}
