import Foundation

/// Final losses of runs against one column x (model size, tokens, compute or steps): what
/// the saturating power law is fitted to. x and the loss must be positive and finite; rows
/// with a missing or non-numeric value are dropped and counted.
public struct PowerLawRuns: LawObservations, Equatable {
    /// x of each run.
    public var x: [Double]
    /// The loss of each run.
    public var loss: [Double]
    /// The column x came from.
    public var variable: String
    /// The run's name (the run column) or `line K`.
    public var labels: [String]
    /// The source line of each run.
    public var lines: [Int]
    /// Rows of the table that could not be used.
    public var dropped: DroppedRows
    /// The file the runs came from.
    public var file: String
    /// The columns used, in words.
    public var columnsDescription: String

    /// Runs given directly. Throws `invalidData` for columns of different lengths or values
    /// that are not positive and finite.
    public init(x: [Double], loss: [Double], variable: String = "x", file: String = "<data>") throws {
        guard x.count == loss.count else {
            throw ScaleFitError.invalidData(file: file, reason: "\(x.count) values of \(variable) and \(loss.count) losses: one of each per run is needed")
        }
        self.x = x
        self.loss = loss
        self.variable = variable
        lines = (0..<x.count).map { $0 + 1 }
        labels = lines.map { "run \($0)" }
        dropped = DroppedRows()
        self.file = file
        columnsDescription = "x=\"\(variable)\", loss"
        try checkPositive(lineWord: "run")
    }

    /// The runs of `table`: x is `variable`, or the params column, else tokens, else compute.
    public init(table: RunTable, variable: String? = nil, options: TableOptions = TableOptions()) throws {
        let mapping = try ColumnMapping.detect(in: table, overrides: options.columns)
        let lName = try mapping.require(.loss, in: table)
        let xName: String
        if let variable {
            guard let index = table.columnIndex(named: variable) else {
                throw ScaleFitError.missingColumn(file: table.fileName, name: variable, available: table.columnNames)
            }
            xName = table.columns[index].name
        } else if let found = mapping[.params] ?? mapping[.tokens] ?? mapping[.compute] {
            xName = found
        } else {
            _ = try mapping.require(.params, in: table)
            throw ScaleFitError.invalidData(file: table.fileName, reason: "no params, tokens or compute column")
        }
        let runColumn = mapping[.run]
        let (usable, dropped) = try table.usableRows(numericColumns: [xName, lName], strict: options.strict)
        x = try usable.values(of: xName)
        loss = try usable.values(of: lName)
        self.variable = xName
        lines = usable.lineNumbers
        labels = usable.rowLabels(column: runColumn)
        self.dropped = dropped
        file = table.fileName
        columnsDescription = "x=\"\(xName)\", loss=\"\(lName)\"" + (runColumn.map { ", run=\"\($0)\"" } ?? "")
        try checkPositive(lineWord: "line")
    }

    private func checkPositive(lineWord: String) throws {
        for i in x.indices where !(x[i] > 0 && x[i].isFinite && loss[i] > 0 && loss[i].isFinite) {
            throw ScaleFitError.invalidData(file: file, reason: "\(lineWord) \(lines[i]): \(variable) and loss must be positive and finite for a power law (found \(x[i]), \(loss[i]))")
        }
    }

    /// The losses.
    public var observed: [Double] { loss }
    /// The file, the runs used and the rows dropped.
    public var summary: FitFile.DataSummary { .init(file: file, rows: loss.count, droppedRows: dropped.count) }
}
