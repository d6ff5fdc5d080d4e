import Foundation
import ScaleFit

/// The runs of a table as Chinchilla's law needs them: model size N, tokens D (or
/// D = C / (6N) from a compute column) and final loss, with each run's line and label.
/// Shared by `fit` and `backtest`; the detected columns and dropped rows go to stderr.
struct ChinchillaRuns {
    var parameters: [Double]
    var tokens: [Double]
    var loss: [Double]
    var lines: [Int]
    var labels: [String]
    var dropped: Int

    /// The runs of `table` (read from `path`) with `--x PARAMS,TOKENS`, `--y LOSS` and
    /// `--strict` from `args`; the detected columns and dropped rows go to `out`'s stderr.
    static func read(table: RunTable, path: String, args: ParsedArguments, out: CommandOutput) throws -> ChinchillaRuns {
        var overrides: [ColumnRole: String] = [:]
        if let x = args.text(InputOptions.x) {
            let names = x.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard names.count == 2 else {
                throw UsageError(message: "--x: expected two columns PARAMS,TOKENS for chinchilla, found \"\(x)\"")
            }
            overrides[.params] = names[0]
            overrides[.tokens] = names[1]
        }
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let nName = try mapping.require(.params, in: table)
        let lName = try mapping.require(.loss, in: table)
        let dName = mapping[.tokens]
        let cName = dName == nil ? mapping[.compute] : nil
        guard dName != nil || cName != nil else {
            _ = try mapping.require(.tokens, in: table)
            throw ScaleFitError.invalidData(file: path, reason: "no tokens or compute column")
        }
        let xName = dName ?? cName!
        let labelColumn = mapping[.run]
        out.note("columns: params=\"\(nName)\", \(dName != nil ? "tokens=\"\(xName)\"" : "compute=\"\(xName)\" (tokens = compute / (6 params))"), loss=\"\(lName)\"" + (labelColumn.map { ", run=\"\($0)\"" } ?? ""))
        let (usable, dropped) = try table.usableRows(numericColumns: [nName, lName, xName], strict: args.has(InputOptions.strict))
        if !dropped.isEmpty { out.note("\(path): \(dropped)") }
        let n = try usable.values(of: nName)
        let l = try usable.values(of: lName)
        let d = try dName.map { try usable.values(of: $0) } ?? zip(try usable.values(of: xName), n).map { $0 / (6 * $1) }
        for (i, v) in zip(n.indices, zip(n, zip(d, l))) where !(v.0 > 0 && v.1.0 > 0 && v.1.1 > 0) {
            throw ScaleFitError.invalidData(file: path, reason: "line \(usable.lineNumbers[i]): params, tokens and loss must be positive for a power law")
        }
        let labels = usable.rowLabels(column: labelColumn)
        return ChinchillaRuns(parameters: n, tokens: d, loss: l, lines: usable.lineNumbers, labels: labels, dropped: dropped.count)
    }

    /// The runs as the law's observations, with their lines, labels and dropped rows (so the
    /// fit's data summary counts them).
    func modelRuns(file: String) throws -> ModelRuns {
        var runs = try ModelRuns(N: parameters, D: tokens, loss: loss, labels: labels, file: file)
        runs.lines = lines
        runs.dropped = DroppedRows(count: dropped)
        return runs
    }

    /// Whether the table has the columns of a power-law table: params and tokens or compute.
    static func looksLikeRuns(_ table: RunTable) -> Bool {
        guard let m = try? ColumnMapping.detect(in: table) else { return false }
        return m[.params] != nil && (m[.tokens] != nil || m[.compute] != nil)
    }
}
