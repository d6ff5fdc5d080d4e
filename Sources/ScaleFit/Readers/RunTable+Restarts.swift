/// Rows of a restarted run that a later segment replaced: `3 rows superseded at step 7520
/// (line 386)`.
public struct Supersession: Sendable, Equatable, CustomStringConvertible {
    /// The run ("" when the table has no run column).
    public var run: String
    /// The step the later segment restarts at; the earlier rows from this step on are gone.
    public var step: Double
    /// How many earlier rows it replaced.
    public var rows: Int
    /// Where the restarting row is (`line 386`, `byte 4096`).
    public var position: String

    /// A supersession from its parts.
    public init(run: String, step: Double, rows: Int, position: String) {
        self.run = run
        self.step = step
        self.rows = rows
        self.position = position
    }

    /// `3 rows superseded at step 7520 (line 386)`, with ` in run "a"` when there is a run.
    public var description: String {
        let inRun = run.isEmpty ? "" : " in run \"\(run)\""
        return "\(rows) row\(rows == 1 ? "" : "s") superseded at step \(RunTable.Column.format(step))\(inRun) (\(position))"
    }
}

extension RunTable {
    /// Columns that may repeat between the entries of one logged step without making them
    /// a restart: a trainer's epoch and W&B's bookkeeping.
    static let sharedColumnNames: Set<String> = ["epoch", "_step", "_runtime", "_timestamp", "wall_time", "segment"]

    /// The table with restarts resolved, per run, in the convention of a run resumed from a
    /// checkpoint: the later segment supersedes the earlier from the step where it restarts.
    ///
    /// Walking a run's rows in file order with the steps kept so far s₁ < … < sₖ, a row at
    /// step s:
    ///
    /// ```
    /// s > sₖ                                      appended
    /// s = sₖ and no metric in common with sₖ's    merged into sₖ's row (a train and an eval
    ///   row (step, run, epoch and W&B's            entry of one step, as Hugging Face and
    ///   bookkeeping aside)                         W&B log them)
    /// otherwise (s ≤ sₖ)                          a restart: every kept row with step ≥ s
    ///                                             is superseded (counted), then s appended
    /// ```
    ///
    /// So `20, 20, 40, 20, 40, 60` keeps the last `20, 40, 60`, with "1 row superseded at
    /// step 20" and "2 rows superseded at step 20". Rows without a finite step stay where
    /// they are (a law that needs the step drops and reports them). Rows keep the file's
    /// order; a merged row keeps the line of its first entry.
    ///
    /// - Parameters:
    ///   - stepColumn: the step axis.
    ///   - runColumn: the run column, or nil for one run.
    /// - Returns: the resolved table (its `superseded` extended) and the supersessions of
    ///   this call in file order.
    public func resolvingRestarts(stepColumn: String, runColumn: String? = nil) throws
        -> (table: RunTable, superseded: [Supersession]) {
        let steps = try values(of: stepColumn)
        let runIndex = try runColumn.map { name -> Int in
            guard let index = columnIndex(named: name) else {
                throw ScaleFitError.missingColumn(file: fileName, name: name, available: columnNames)
            }
            return index
        }
        let stepIndex = columnIndex(named: stepColumn)!
        let metricColumns = columns.indices.filter {
            $0 != stepIndex && $0 != runIndex && !Self.sharedColumnNames.contains(columns[$0].name)
        }

        var keptByRun: [String: [[Int]]] = [:]
        var stray: [[Int]] = []
        var superseded: [Supersession] = []
        var needsWork = false
        for row in 0..<rowCount {
            let step = steps[row]
            guard step.isFinite else {
                stray.append([row])
                continue
            }
            let run = runIndex.map { columns[$0].text(at: row) } ?? ""
            // Moved out and back, not copied: a copy per row made this O(rows²) (a dense
            // log of 10⁵ rows took 25 s here).
            var kept = keptByRun.removeValue(forKey: run) ?? []
            if let last = kept.last, step <= steps[last[0]] {
                let lastStep = steps[last[0]]
                needsWork = true
                if step == lastStep, !sharesMetric(row, with: last, among: metricColumns) {
                    kept[kept.count - 1].append(row)
                } else {
                    var removed = 0
                    while let tail = kept.last, steps[tail[0]] >= step {
                        removed += tail.count
                        kept.removeLast()
                    }
                    superseded.append(Supersession(run: run, step: step, rows: removed, position: position(of: row)))
                    kept.append([row])
                }
            } else {
                kept.append([row])
            }
            keptByRun[run] = kept
        }
        guard needsWork else { return (self, []) }
        let groups = (keptByRun.values.flatMap { $0 } + stray).sorted { $0[0] < $1[0] }
        var resolved = merging(groups)
        resolved.superseded += superseded
        return (resolved, superseded)
    }

    /// Whether `row` has a non-empty cell in a metric column where one of `rows` has one.
    private func sharesMetric(_ row: Int, with rows: [Int], among metricColumns: [Int]) -> Bool {
        metricColumns.contains { column in
            !columns[column].isEmpty(at: row) && rows.contains { !columns[column].isEmpty(at: $0) }
        }
    }

    /// The table with one row per group of `groups` (row indices, the first giving the
    /// row's line): each cell is the first non-empty one among the group's rows.
    func merging(_ groups: [[Int]]) -> RunTable {
        var merged = selecting(rows: groups.map { $0[0] })
        for (newRow, group) in groups.enumerated() where group.count > 1 {
            for index in columns.indices where merged.columns[index].isEmpty(at: newRow) {
                let source = columns[index]
                guard let from = group.dropFirst().first(where: { !source.isEmpty(at: $0) }) else { continue }
                merged.columns[index].copyCell(from: source, row: from, to: newRow)
            }
        }
        return merged
    }
}

extension RunTable.Column {
    /// Sets cell `row` to `source`'s cell `sourceRow` (same kind of column).
    mutating func copyCell(from source: RunTable.Column, row sourceRow: Int, to row: Int) {
        values[row] = source.values[sourceRow]
        if strings != nil {
            strings![row] = source.text(at: sourceRow)
        } else if let original = source.nonFiniteText[sourceRow] {
            nonFiniteText[row] = original
        }
    }
}
