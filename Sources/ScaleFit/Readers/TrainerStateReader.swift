/// Reads a Hugging Face `trainer_state.json`: its `log_history` array of objects becomes the
/// rows, its other keys are skipped. Columns are the union of the log entries' keys in the
/// order they first appear (`loss`, `learning_rate`, `epoch`, `step`, then `eval_loss`…), so
/// the training entries and the evaluation entries share one table with empty cells where an
/// entry lacks a key.
///
/// ```
/// {"loss": 2.31, "learning_rate": 5e-05, "grad_norm": 1.2, "epoch": 0.1, "step": 10}   train entry
/// {"eval_loss": 2.2, "eval_runtime": 1.5, "epoch": 0.1, "step": 10}                   eval entry
/// {"train_runtime": 812.4, "train_loss": 2.1, "total_flos": 1e15, "step": 30, …}      summary: skipped
/// {"predict_loss": 2.3, "predict_runtime": 4.1, "epoch": 3.0}                          predict_*: skipped
/// ```
///
/// The train series is the rows with a `loss`, the eval series those with an `eval_loss`;
/// an eval entry at the step of a train entry is one logged step, not a repeated one, and
/// `RunTable.resolvingRestarts` (applied here: a trainer state is one run) merges the two
/// into one row; a step logged again with the same metrics is a restart, superseded and
/// recorded in `RunTable.superseded`. The summary entry (the run's
/// totals: any `train_*` key or `total_flos` without a `loss` or `eval_*` key) and the
/// `predict_*` entries are not training steps: they are left out, counted in
/// `RunTable.skipped`, and so are the columns only they had.
///
/// JSON has no line structure to stream by, so the file is read whole as bytes (a
/// trainer_state.json is small next to the logs of a run); no value tree is built.
enum TrainerStateReader {
    static func read(_ chunks: ByteChunks, fileName: String) throws -> RunTable {
        var bytes = try chunks.all(fileName: fileName)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            throw ScaleFitError.emptyFile(file: fileName)
        }
        var builder = RunTableBuilder(fileName: fileName)
        var foundLog = false
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer, fileName: fileName, firstLine: 1, endName: "the end of the file")
            scanner.skipWhitespace()
            guard scanner.peek() == UInt8(ascii: "{") else { throw scanner.unexpected("a JSON object") }
            scanner.position += 1
            scanner.skipWhitespace()
            if scanner.peek() == UInt8(ascii: "}") {
                scanner.position += 1
            } else {
                while true {
                    scanner.skipWhitespace()
                    guard scanner.peek() == UInt8(ascii: "\"") else { throw scanner.unexpected("a key in double quotes") }
                    let key = try scanner.parseString()
                    try scanner.expect(UInt8(ascii: ":"), "a colon after the key")
                    scanner.skipWhitespace()
                    if key == "log_history", !foundLog, scanner.peek() == UInt8(ascii: "[") {
                        foundLog = true
                        try scanner.parseRowArray(into: &builder)
                    } else {
                        try scanner.skipValue()
                    }
                    scanner.skipWhitespace()
                    if scanner.peek() == UInt8(ascii: ",") {
                        scanner.position += 1
                    } else if scanner.peek() == UInt8(ascii: "}") {
                        scanner.position += 1
                        break
                    } else {
                        throw scanner.unexpected("a comma or a closing brace")
                    }
                }
            }
            scanner.skipWhitespace()
            if scanner.position < buffer.count { throw scanner.unexpected("the end of the file after the object") }
        }
        guard foundLog else {
            throw ScaleFitError.invalidData(
                file: fileName, reason: "no \"log_history\" array: not a Hugging Face trainer_state.json (a W&B run dump has \"history\"; LogReadOptions.format names another format)")
        }
        guard builder.rowCount > 0 else {
            throw ScaleFitError.invalidData(file: fileName, reason: "log_history is empty: the trainer logged nothing")
        }
        guard !builder.columns.isEmpty else {
            throw ScaleFitError.invalidData(file: fileName, reason: "no values: every object is empty")
        }
        let table = try withoutSummaryEntries(builder.build())
        guard table.column(named: "step")?.kind == .numeric else { return table }
        return try table.resolvingRestarts(stepColumn: "step").table
    }

    /// What a log entry is, by its keys.
    private enum EntryKind { case step, summary, predict }

    private static func kind(of row: Int, in table: RunTable) -> EntryKind {
        var hasPredict = false, hasTotals = false, hasStepMetric = false
        for column in table.columns where !column.isEmpty(at: row) {
            let name = column.name
            if name.hasPrefix("predict_") { hasPredict = true }
            if name.hasPrefix("train_") || name == "total_flos" { hasTotals = true }
            if name == "loss" || name.hasPrefix("eval_") { hasStepMetric = true }
        }
        if hasPredict && !hasStepMetric { return .predict }
        if hasTotals && !hasStepMetric { return .summary }
        return .step
    }

    /// `table` without its summary and `predict_*` entries (counted) and without the
    /// columns that only those entries had.
    private static func withoutSummaryEntries(_ table: RunTable) throws -> RunTable {
        let kinds = (0..<table.rowCount).map { kind(of: $0, in: table) }
        let kept = kinds.indices.filter { kinds[$0] == .step }
        guard kept.count < table.rowCount else { return table }
        guard !kept.isEmpty else {
            throw ScaleFitError.invalidData(file: table.fileName,
                                            reason: "\"log_history\" has only summary or predict_* entries, no training step")
        }
        var result = table.selecting(rows: kept)
        let rows = result.rowCount
        result.columns.removeAll { column in (0..<rows).allSatisfy { column.isEmpty(at: $0) } }
        let summaries = kinds.filter { $0 == .summary }.count
        let predictions = kinds.filter { $0 == .predict }.count
        if summaries > 0 { result.skipped.append(SkippedEntries(kind: "trainer summary entry", count: summaries)) }
        if predictions > 0 { result.skipped.append(SkippedEntries(kind: "predict_* entry", count: predictions)) }
        return result
    }
}
