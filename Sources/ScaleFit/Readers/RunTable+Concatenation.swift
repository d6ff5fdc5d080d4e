extension RunTable {
    /// The rows of `tables` one after the other, columns united by name in first-appearance
    /// order (a table without a column has empty cells there; a column that is text in any
    /// table is text). With `runs` (one name per table, nil to keep the table's own), a
    /// column `runColumn` holds each row's run: the table's own run cell where it has one,
    /// else its name from `runs`. Rows of several tables keep their file (`rowFiles`), so
    /// every drop and restart names the file it is in.
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
        // Rows of several files say which file they are in; so do their restarts.
        let several = tables.count > 1
        let superseded = tables.indices.flatMap { index in
            tables[index].superseded.map { restart in
                var named = restart
                if several { named.position = tables[index].fileName + " " + restart.position }
                if named.run.isEmpty, let run = runs[index] { named.run = run }
                return named
            }
        }
        return RunTable(
            fileName: fileName, columns: columns, lineNumbers: tables.flatMap(\.lineNumbers),
            rowColumns: needsColumns ? tables.flatMap { $0.rowColumns.isEmpty ? Array(repeating: 1, count: $0.rowCount) : $0.rowColumns } : [],
            commentLines: tables.reduce(0) { $0 + $1.commentLines }, skipped: tables.flatMap(\.skipped),
            superseded: superseded, sourceFiles: several ? tables.map(\.fileName) : [],
            rowFiles: several ? tables.indices.flatMap { Array(repeating: $0, count: tables[$0].rowCount) } : [])
    }

    /// `tables` with each one's own step, loss and lr columns (`mappings[i]` for
    /// `tables[i]`) under one name per role, the first such column's, so that one mapping of
    /// their concatenation reads what each file's report said it chose (a trainer state's
    /// `learning_rate` beside a JSON Lines log's `lr`). A column that already bears that name
    /// in a table that chose another moves aside as `NAME (not chosen in FILE)`.
    static func aligningRoles(_ tables: [RunTable], mappings: [ColumnMapping])
        -> (tables: [RunTable], names: [ColumnRole: String]) {
        var names: [ColumnRole: String] = [:]
        for role in [ColumnRole.step, .loss, .lr] {
            names[role] = mappings.lazy.compactMap { $0[role] }.first
        }
        var aligned = tables
        for index in aligned.indices {
            for role in [ColumnRole.step, .loss, .lr] {
                guard let own = mappings[index][role], let common = names[role], own != common,
                      let ownIndex = aligned[index].columns.firstIndex(where: { $0.name == own }) else { continue }
                if let clash = aligned[index].columns.firstIndex(where: { $0.name == common }) {
                    aligned[index].rename(column: clash, to: "\(common) (not chosen in \(aligned[index].fileName))")
                }
                aligned[index].rename(column: ownIndex, to: common)
            }
        }
        return (aligned, names)
    }

    /// Gives column `index` the name `name`.
    mutating func rename(column index: Int, to name: String) {
        let old = columns[index]
        columns[index] = Column(name: name, values: old.values, strings: old.strings, nonFiniteText: old.nonFiniteText)
    }
}
