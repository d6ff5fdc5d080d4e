/// What reading one input did, for one summary line on standard error: the format
/// detected, the runs, the step/loss/lr/run columns chosen and their alternatives, the rows
/// used, the rows dropped by reason, the entries skipped and the rows superseded.
///
/// ```
/// slm.jsonl: jsonl, 1 run; step="step", loss="loss", lr="lr"; 388 of 398 rows used;
/// 10 rows superseded (1 row superseded at step 20 (line 2), …)
/// ```
public struct LogReadReport: Sendable, Equatable, CustomStringConvertible {
    /// Rows dropped for one reason.
    public struct Drop: Sendable, Equatable {
        /// Why: "step is not a number", "step < --min-step 100", "run not in --runs".
        public var reason: String
        /// How many, with examples.
        public var rows: DroppedRows

        /// A drop of `rows` for `reason`.
        public init(reason: String, rows: DroppedRows) {
            self.reason = reason
            self.rows = rows
        }
    }

    /// The input as given (`-` reads as `<stdin>`).
    public var input: String
    /// The format read (detected or given).
    public var format: RunTableFormat
    /// The runs, in order of first appearance ("" for a table without a run column).
    public var runs: [String]
    /// The columns chosen for each role, with `alternatives`.
    public var columns: ColumnMapping
    /// Rows in the table as the format reader gave them (after merging the entries of one
    /// logged step).
    public var rowsRead: Int
    /// Rows kept after restarts and selection.
    public var rowsUsed: Int
    /// Rows removed, by reason.
    public var dropped: [Drop]
    /// Cells of the chosen loss and lr columns that are not finite numbers (text such as
    /// `oops`, `nan`): reported here, left in the table for the law to drop and report.
    public var badCells: DroppedRows
    /// Entries the format reader skipped on purpose.
    public var skipped: [SkippedEntries]
    /// Rows of restarted runs that a later segment replaced.
    public var superseded: [Supersession]
    /// `#` comment lines skipped.
    public var commentLines: Int

    /// The whole report in one line.
    public var description: String {
        var parts: [String] = []
        let runCount = runs.count == 1 && runs[0].isEmpty ? "1 run" : "\(runs.count) run\(runs.count == 1 ? "" : "s")"
        let shown = runs.filter { !$0.isEmpty }.prefix(5).joined(separator: ", ")
        parts.append("\(input): \(format.rawValue), \(runCount)" + (shown.isEmpty ? "" : " (\(shown)\(runs.count > 5 ? ", …" : ""))"))
        var roles: [String] = []
        for role in [ColumnRole.step, .loss, .lr, .run] {
            guard let name = columns[role] else { continue }
            var text = "\(role.rawValue)=\"\(name)\""
            if let others = columns.alternatives[role], !others.isEmpty {
                let flag = Self.flag[role].map { ", \($0) picks another" } ?? ""
                text += " (not " + others.map { "\"\($0)\"" }.joined(separator: ", ") + flag + ")"
            }
            roles.append(text)
        }
        parts.append(roles.isEmpty ? "no step, loss or lr column" : roles.joined(separator: ", "))
        parts.append("\(rowsUsed) of \(rowsRead) row\(rowsRead == 1 ? "" : "s") used")
        if !superseded.isEmpty {
            let total = superseded.reduce(0) { $0 + $1.rows }
            let shownRestarts = superseded.prefix(3).map(\.description).joined(separator: ", ")
            parts.append("\(total) row\(total == 1 ? "" : "s") superseded by restarts (\(shownRestarts)\(superseded.count > 3 ? ", …" : ""))")
        }
        for drop in dropped {
            parts.append("\(drop.rows.count) row\(drop.rows.count == 1 ? "" : "s") dropped: \(drop.reason) ("
                         + drop.rows.examples.joined(separator: ", ") + (drop.rows.count > drop.rows.examples.count ? ", …" : "") + ")")
        }
        if !badCells.isEmpty {
            parts.append("\(badCells.count) loss/lr cell\(badCells.count == 1 ? "" : "s") not a finite number ("
                         + badCells.examples.joined(separator: ", ") + (badCells.count > badCells.examples.count ? ", …" : "") + ")")
        }
        parts += skipped.map(\.description)
        if commentLines > 0 { parts.append("\(commentLines) comment line\(commentLines == 1 ? "" : "s")") }
        return parts.joined(separator: "; ")
    }

    /// The command-line flag that picks another column for a role.
    private static let flag: [ColumnRole: String] = [.step: "--step", .loss: "--y", .lr: "--lr", .run: "--group"]
}
