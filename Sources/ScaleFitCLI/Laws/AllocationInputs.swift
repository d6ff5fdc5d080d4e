import Foundation
import ScaleFit

/// The tables of Hoffmann's approaches as the command line reads them: final losses per
/// run with N and C (approach 2), or loss curves of several sizes (approach 1). The
/// columns chosen and the rows dropped go to stderr.
enum AllocationInputs {
    /// Approach 2's runs: N, a compute column when the table has one (the budgets as
    /// given), else C = 6·N·D from the tokens; `--y` names the loss.
    static func runs(table: RunTable, path: String, args: ParsedArguments, out: CommandOutput) throws -> (runs: IsoFLOPRuns, dropped: Int) {
        var overrides: [ColumnRole: String] = [:]
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let nName = try mapping.require(.params, in: table)
        let lName = try mapping.require(.loss, in: table)
        guard let xName = mapping[.compute] ?? mapping[.tokens] else {
            _ = try mapping.require(.compute, in: table)
            throw ScaleFitError.invalidData(file: path, reason: "no compute or tokens column")
        }
        let given = mapping[.compute] != nil
        out.note("columns: params=\"\(nName)\", \(given ? "compute=\"\(xName)\" (the budgets as given)" : "tokens=\"\(xName)\" (compute C = 6·params·tokens)"), loss=\"\(lName)\"")
        let (usable, dropped) = try table.usableRows(numericColumns: [nName, lName, xName], strict: args.has(InputOptions.strict))
        if !dropped.isEmpty { out.note("\(path): \(dropped)") }
        let n = try usable.values(of: nName), x = try usable.values(of: xName), l = try usable.values(of: lName)
        let runs = given
            ? try IsoFLOPRuns(parameters: n, compute: x, loss: l, lines: usable.lineNumbers, file: path)
            : try IsoFLOPRuns(parameters: n, tokens: x, loss: l, lines: usable.lineNumbers, file: path)
        return (runs, dropped.count)
    }

    /// Approach 1's curves: a run column (`--group`), N, the tokens seen (a tokens column, or
    /// step × `--tokens-per-step`) and the loss; rows at 0 tokens (step 0) are left out and counted.
    static func curves(table: RunTable, path: String, args: ParsedArguments, out: CommandOutput) throws -> (curves: TrainingCurves, rows: Int, dropped: Int) {
        var overrides: [ColumnRole: String] = [:]
        if let y = args.text(InputOptions.y) { overrides[.loss] = y }
        if let g = args.text(CurveOptions.group) { overrides[.run] = g }
        let mapping = try ColumnMapping.detect(in: table, overrides: overrides)
        let runName = try mapping.require(.run, in: table)
        let nName = try mapping.require(.params, in: table)
        let lName = try mapping.require(.loss, in: table)
        let perStep = try args.value(AllocationOptions.tokensPerStep)
        let xName: String
        if let t = mapping[.tokens] {
            guard perStep == nil else {
                throw UsageError(message: "--tokens-per-step: the table has a tokens column (\"\(t)\"); give one or the other")
            }
            xName = t
        } else if let s = mapping[.step], perStep != nil {
            xName = s
        } else {
            throw ScaleFitError.invalidData(file: path, reason: "the loss envelope needs the tokens seen at each point: a tokens column, or a step column with --tokens-per-step K (columns: \(table.columnNames.joined(separator: ", ")))")
        }
        out.note("columns: run=\"\(runName)\", params=\"\(nName)\", " + (perStep.map { "step=\"\(xName)\" (tokens = step × \(formatSignificant($0, digits: 6)))" } ?? "tokens=\"\(xName)\"")
                 + ", loss=\"\(lName)\"; compute C = 6·params·tokens")
        let (usable, dropped) = try table.usableRows(numericColumns: [nName, lName, xName], labelColumns: [runName],
                                                     strict: args.has(InputOptions.strict))
        if !dropped.isEmpty { out.note("\(path): \(dropped)") }
        let n = try usable.values(of: nName), l = try usable.values(of: lName)
        let d = try usable.values(of: xName).map { $0 * (perStep ?? 1) }
        var curves: [TrainingCurves.Curve] = []
        var atZero = 0, rows = 0
        for group in try usable.groups(by: runName) {
            let kept = group.rows.filter { d[$0] > 0 }
            atZero += group.rows.count - kept.count
            guard let first = kept.first else { continue }
            if let other = kept.first(where: { n[$0] != n[first] }) {
                throw ScaleFitError.invalidData(file: path, reason: "line \(usable.lineNumbers[other]): run \(group.key) has params \(n[other]) here and \(n[first]) on line \(usable.lineNumbers[first]); one model size per curve")
            }
            curves.append(try TrainingCurves.Curve(name: group.key, parameters: n[first], tokens: kept.map { d[$0] },
                                                   loss: kept.map { l[$0] }, file: path))
            rows += kept.count
        }
        if atZero > 0 { out.note("\(path): \(atZero) row\(atZero == 1 ? "" : "s") at 0 tokens left out (no compute spent yet)") }
        return (TrainingCurves(curves: curves, file: path), rows, dropped.count + atZero)
    }

    /// Whether the table holds curves: some run has more than one row.
    static func hasCurves(_ table: RunTable) -> Bool {
        guard let m = try? ColumnMapping.detect(in: table), let run = m[.run], let groups = try? table.groups(by: run) else { return false }
        return groups.contains { $0.rows.count > 1 }
    }
}
