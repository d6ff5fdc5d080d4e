extension RunTable {
    /// The rows a law can use, and a report of the ones it cannot.
    ///
    /// A row is dropped when one of `numericColumns` holds an empty, missing, non-numeric or
    /// non-finite cell, or one of `labelColumns` (run, language family) is empty.
    ///
    /// `optionalColumns` are numeric columns logged only on some rows, such as the loss in a
    /// full-resolution curve file that has a row for every step with its learning rate: there
    /// an empty cell means "not logged here", the row stays and the cell stays NaN. A
    /// non-empty cell that is not a finite number (`nan`, `inf`) in an optional column is
    /// reported as dropped and set to NaN, while its row stays for its other columns.
    ///
    /// - Parameter strict: throw instead of dropping (`--strict`).
    /// - Returns: the table of usable rows (every column kept, rows in order) and the report.
    /// - Throws: `ScaleFitError.missingColumn` for a column that is not in the table;
    ///   `ScaleFitError.droppedRows` when `strict` and a row would be dropped.
    public func usableRows(numericColumns: [String], labelColumns: [String] = [],
                           optionalColumns: [String] = [],
                           strict: Bool = false) throws -> (table: RunTable, dropped: DroppedRows) {
        let numeric = try numericColumns.map { try requiredIndex($0) }
        let labels = try labelColumns.map { try requiredIndex($0) }
        let optional = try optionalColumns.map { try requiredIndex($0) }

        var kept: [Int] = []
        kept.reserveCapacity(rowCount)
        var blanked: [(row: Int, column: Int)] = []
        var dropped = DroppedRows()
        for row in 0..<rowCount {
            var bad = numeric.filter { !columns[$0].values[row].isFinite }
            bad += labels.filter { columns[$0].text(at: row).isEmpty }
            let badOptional = optional.filter {
                !columns[$0].values[row].isFinite && !columns[$0].isEmpty(at: row)
            }
            if bad.isEmpty { kept.append(row) }
            if bad.isEmpty && badOptional.isEmpty { continue }
            let cells = bad.isEmpty ? badOptional : bad
            dropped.record(self.describe(row: row, columns: cells))
            if bad.isEmpty { blanked += badOptional.map { (row: kept.count - 1, column: $0) } }
        }
        if strict && !dropped.isEmpty {
            throw ScaleFitError.droppedRows(file: fileName, count: dropped.count,
                                            first: dropped.examples.joined(separator: ", "))
        }
        var usable = kept.count == rowCount ? self : selecting(rows: kept)
        for (row, column) in blanked { usable.columns[column].values[row] = .nan }
        return (usable, dropped)
    }

    private func requiredIndex(_ name: String) throws -> Int {
        guard let index = columnIndex(named: name) else {
            throw ScaleFitError.missingColumn(file: fileName, name: name, available: columnNames)
        }
        return index
    }

    /// `line 17 loss="nan" lr=""`: the row's source line and each named cell's text.
    private func describe(row: Int, columns indices: [Int]) -> String {
        let cells = indices.map { "\(columns[$0].name)=\"\(columns[$0].text(at: row))\"" }
        return position(of: row) + " " + cells.joined(separator: " ")
    }
}
