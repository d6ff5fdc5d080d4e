/// Which column of a table plays which `ColumnRole`: detected from the column names, with
/// the user's overrides (`--x`, `--y`, `--group` and friends) taking precedence.
///
/// Detection gives each role the first column whose normalised name is among the role's
/// `candidateNames`, trying the candidates in their order of preference; a column serves at
/// most one role, the numeric roles take only numeric columns, and an override's column is
/// never given to another role. Beyond the candidate lists:
///
/// - loss: a validation loss is preferred over a training loss where both exist (it is what
///   a law predicts); with no candidate name, any column whose name reads as a loss
///   (`…loss`, `…CrossEntropyLoss`, `…/lm loss`) is taken, validation ones first. The other
///   loss columns are listed in `alternatives[.loss]`, for the report to name.
/// - step: W&B's bookkeeping columns `_step`, `_runtime`, `_timestamp` (a count of log
///   calls and clock times) are the step axis only when no trainer step column (`iter`,
///   `step`, `global_step`, `trainer/global_step`, …) exists.
public struct ColumnMapping: Sendable, Equatable {
    /// The column name chosen for each role found.
    public private(set) var columns: [ColumnRole: String]
    /// For each role found by detection, the other columns that could have taken it, in
    /// order of preference (`--y val/loss` was chosen; `train/loss` is an alternative).
    public private(set) var alternatives: [ColumnRole: [String]] = [:]
    /// The table's column names, so the description can follow the file's order.
    private var tableColumns: [String]

    /// A mapping from explicit choices.
    public init(columns: [ColumnRole: String] = [:]) {
        self.columns = columns
        self.tableColumns = []
    }

    /// The mapping detected in `table`, with `overrides` (role → column name, matched like
    /// `RunTable.column(named:)`) applied first.
    /// - Throws: `ScaleFitError.missingColumn` for an override naming no column.
    public static func detect(in table: RunTable, overrides: [ColumnRole: String] = [:]) throws -> ColumnMapping {
        var mapping = ColumnMapping()
        mapping.tableColumns = table.columnNames
        var taken: Set<Int> = []
        for role in ColumnRole.allCases {
            guard let wanted = overrides[role] else { continue }
            guard let index = table.columnIndex(named: wanted) else {
                throw ScaleFitError.missingColumn(file: table.fileName, name: wanted, available: table.columnNames)
            }
            mapping.columns[role] = table.columns[index].name
            taken.insert(index)
        }
        let normalized = table.columns.map { ColumnRole.normalize($0.name) }
        for role in ColumnRole.allCases where mapping.columns[role] == nil {
            var matches: [Int] = []
            for candidate in role.candidateNames {
                for (index, name) in normalized.enumerated() where name == candidate && !taken.contains(index) {
                    if role.isNumeric && table.columns[index].kind != .numeric { continue }
                    if !matches.contains(index) { matches.append(index) }
                }
            }
            if role == .loss {
                let named = table.columns.indices.filter {
                    !matches.contains($0) && !taken.contains($0) && table.columns[$0].kind == .numeric
                        && ColumnRole.isLossName(table.columns[$0].name)
                }
                let all = matches + named
                let validation = all.filter { ColumnRole.isValidationName(table.columns[$0].name) }
                matches = validation + all.filter { !validation.contains($0) }
            }
            if role == .step {
                // W&B bookkeeping goes last: it is a count of log calls, not the trainer's step.
                let bookkeeping = matches.filter { ColumnRole.isBookkeeping(columnName: table.columns[$0].name) }
                matches = matches.filter { !bookkeeping.contains($0) } + bookkeeping
            }
            guard let chosen = matches.first else { continue }
            mapping.columns[role] = table.columns[chosen].name
            taken.insert(chosen)
            if matches.count > 1 { mapping.alternatives[role] = matches.dropFirst().map { table.columns[$0].name } }
        }
        return mapping
    }

    /// The column name for `role`, or nil when none was found.
    public subscript(role: ColumnRole) -> String? {
        get { columns[role] }
        set { columns[role] = newValue }
    }

    /// The column name for `role`.
    /// - Throws: `ScaleFitError.missingColumn` naming the role's preferred names and listing
    ///   the table's columns, when no column has the role.
    public func require(_ role: ColumnRole, in table: RunTable) throws -> String {
        guard let name = columns[role] else {
            let tried = role == .loss ? "loss|val_loss|eval_loss|train/loss" : role.candidateNames.prefix(4).joined(separator: "|")
            throw ScaleFitError.missingColumn(file: table.fileName, name: "\(role.rawValue) (\(tried))",
                                              available: table.columnNames)
        }
        return name
    }

}

extension ColumnMapping: CustomStringConvertible {
    /// The mapping as the command line prints it to standard error, in the order of the
    /// columns in the file: `columns: params="Model Size", compute="Training FLOP", loss="loss"`.
    /// A mapping with no roles reads `columns: none recognised`.
    public var description: String {
        func position(_ role: ColumnRole) -> Int {
            tableColumns.firstIndex(of: columns[role]!) ?? tableColumns.count
        }
        let roles = ColumnRole.allCases.filter { columns[$0] != nil }
            .enumerated().sorted { (position($0.element), $0.offset) < (position($1.element), $1.offset) }
            .map(\.element)
        let parts = roles.map { "\($0.rawValue)=\"\(columns[$0]!)\"" }
        return "columns: " + (parts.isEmpty ? "none recognised" : parts.joined(separator: ", "))
    }
}
