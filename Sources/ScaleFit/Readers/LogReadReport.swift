import Foundation

/// What reading one input did, for one summary line on standard error: the format
/// detected, the runs, the step/loss/lr/run columns chosen and their alternatives, the rows
/// used, the rows dropped by reason, the entries skipped and the rows superseded.
///
/// ```
/// slm.jsonl: jsonl, 1 run; step="step", loss="loss", lr="lr"; 388 of 398 rows used;
/// 10 rows superseded (1 row superseded at step 20 (line 2), …)
/// ```
///
/// A table without a step column is a table of runs, a row each (`245 runs, a row each`).
/// The library says what an argument did in the argument's terms (`step below the minimum
/// step 100`, `lossColumn = "loss" picks it`); a command line gives its own flags' names
/// with `description(naming:)` (`step below --min-step 100`, `--y loss picks it`). Where a
/// validation loss was taken over a training loss, the report says that this is the default.
public struct LogReadReport: Sendable, Equatable, CustomStringConvertible {
    /// Rows dropped for one reason.
    public struct Drop: Sendable, Equatable {
        /// Why, in the library's terms: "step \"step\" is not a number", "step below the
        /// minimum step 100", "run not among the runs asked for: a,b".
        public var reason: String
        /// The selection argument that dropped the rows, if one did (so that a command line
        /// can name its flag), else nil.
        public var selection: Selection?
        /// How many, with examples.
        public var rows: DroppedRows

        /// The selections of `LogReadOptions` that drop rows.
        public enum Selection: Sendable, Equatable {
            /// `LogReadOptions.runs`.
            case runs([String])
            /// `LogReadOptions.minStep`.
            case minStep(Double)
            /// `LogReadOptions.maxStep`.
            case maxStep(Double)
        }

        /// A drop of `rows` for `reason`.
        public init(reason: String, rows: DroppedRows) {
            self.reason = reason
            self.rows = rows
        }

        /// A drop of `rows` by `selection`, its reason in the library's terms.
        public init(selection: Selection, rows: DroppedRows) {
            self.init(reason: Self.reason(selection, naming: .arguments), rows: rows)
            self.selection = selection
        }

        /// The reason with the selection's argument named as `names` says.
        public func reason(naming names: ArgumentNames) -> String {
            selection.map { Self.reason($0, naming: names) } ?? reason
        }

        private static func reason(_ selection: Selection, naming names: ArgumentNames) -> String {
            switch selection {
            case let .runs(runs): return "run not among \(names.runs) \(runs.joined(separator: ","))"
            case let .minStep(step): return "step below \(names.minStep) \(RunTable.Column.format(step))"
            case let .maxStep(step): return "step above \(names.maxStep) \(RunTable.Column.format(step))"
            }
        }
    }

    /// What the report calls the arguments it mentions: the library's words by default
    /// (`arguments`), a command line's flags when it passes its own.
    public struct ArgumentNames: Sendable, Equatable {
        /// The runs kept (`LogReadOptions.runs`), before their list: "the runs asked for:".
        public var runs: String
        /// The minimum step (`LogReadOptions.minStep`): "the minimum step".
        public var minStep: String
        /// The maximum step (`LogReadOptions.maxStep`): "the maximum step".
        public var maxStep: String
        /// What picks another column for a role: `stepColumn`, `lossColumn`, `lrColumn`, `runColumn`.
        public var columnChoice: [ColumnRole: String]
        /// Whether `columnChoice` holds a command line's flags, whose value follows as a shell
        /// word (`--y loss`, `--y 'lm loss'`), rather than arguments (`lossColumn = "loss"`).
        public var areFlags: Bool

        /// Names from their parts.
        public init(runs: String, minStep: String, maxStep: String, columnChoice: [ColumnRole: String], areFlags: Bool = false) {
            self.runs = runs
            self.minStep = minStep
            self.maxStep = maxStep
            self.columnChoice = columnChoice
            self.areFlags = areFlags
        }

        /// How to pick `column` for `role` instead (`--y loss picks it`, `lossColumn = "loss"
        /// picks it`), or any other column when `column` is nil (`--y picks another`); nil when
        /// no argument picks `role`.
        func choosing(_ role: ColumnRole, _ column: String?) -> String? {
            guard let argument = columnChoice[role] else { return nil }
            guard let column else { return "\(argument) picks another" }
            return (areFlags ? "\(argument) \(Self.shellWord(column))" : "\(argument) = \"\(column)\"") + " picks it"
        }

        /// `text` as one shell word: as it is when it needs no quoting, else in single quotes.
        static func shellWord(_ text: String) -> String {
            let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_./:@%+=,-".unicodeScalars.contains($0))
            }
            return plain ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        }

        /// The library's words: `LogReadOptions`' fields.
        public static let arguments = ArgumentNames(
            runs: "the runs asked for:", minStep: "the minimum step", maxStep: "the maximum step",
            columnChoice: [.step: "stepColumn", .loss: "lossColumn", .lr: "lrColumn", .run: "runColumn"])
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

    /// The whole report in one line, in the library's words.
    public var description: String { description(naming: .arguments) }

    /// The whole report in one line, naming the arguments as `names` says.
    public func description(naming names: ArgumentNames) -> String {
        var parts: [String] = []
        let runCount: String
        if runs == [""] {
            // No run column: a log is one run; a table without steps is a run per row.
            runCount = columns[.step] == nil ? "\(rowsUsed) run\(rowsUsed == 1 ? "" : "s"), a row each" : "1 run"
        } else {
            runCount = "\(runs.count) run\(runs.count == 1 ? "" : "s")"
        }
        let shown = runs.filter { !$0.isEmpty }.prefix(5).joined(separator: ", ")
        parts.append("\(input): \(format.rawValue), \(runCount)" + (shown.isEmpty ? "" : " (\(shown)\(runs.count > 5 ? ", …" : ""))"))
        var roles: [String] = []
        for role in [ColumnRole.step, .loss, .lr, .run] {
            guard let name = columns[role] else { continue }
            var text = "\(role.rawValue)=\"\(name)\""
            if let others = columns.alternatives[role], !others.isEmpty {
                // The rule that chose, when it is not plain (a validation loss over a training one).
                let rule = role == .loss && ColumnRole.isValidationName(name) && others.contains { !ColumnRole.isValidationName($0) }
                    ? "validation loss by default; " : ""
                let choice = names.choosing(role, others.count == 1 ? others[0] : nil).map { ": \($0)" } ?? ""
                text += " (\(rule)not " + others.map { "\"\($0)\"" }.joined(separator: ", ") + choice + ")"
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
            parts.append("\(drop.rows.count) row\(drop.rows.count == 1 ? "" : "s") dropped: \(drop.reason(naming: names)) ("
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
}
