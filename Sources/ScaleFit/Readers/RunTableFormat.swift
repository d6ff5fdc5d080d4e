/// The file formats scalefit reads into a `RunTable`.
public enum RunTableFormat: String, CaseIterable, Sendable {
    /// Comma-separated values (RFC 4180), taken as they are (W&B API history CSVs too: their
    /// `_step` column is bookkeeping, see `ColumnMapping`).
    case csv
    /// A Weights & Biases chart CSV export, reshaped to one row per (run, step).
    case wandb
    /// JSON Lines: one JSON object per line (`.jsonl`, `.ndjson`), nested keys flattened.
    case jsonLines = "jsonl"
    /// A Hugging Face `trainer_state.json`, whose `log_history` becomes the rows.
    case trainerState = "trainer_state"
    /// A W&B run dumped as JSON: `{"summary": …, "config": …, "history": [rows]}`.
    case wandbRun = "wandb_run"
    /// W&B API history as JSON: a top-level array of row objects (`run.history()` written
    /// with `to_json(orient="records")`), an object of columns, or the table layout
    /// `{"columns": [names], "data": [[row], …]}` (a `wandb.Table`, `orient="split"`).
    case jsonRecords = "json_records"
    /// TensorBoard event files (`events.out.tfevents.*`): TFRecord-framed `Event` protobufs.
    case tensorboard

    /// The format a user names on the command line: `csv`, `wandb`, `jsonl` (or `ndjson`),
    /// `trainer_state` (or `hf`), `wandb_run`, `json_records` (or `wandb_history`),
    /// `tensorboard` (or `tfevents`); nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "csv": self = .csv
        case "wandb", "w&b", "wandb_chart": self = .wandb
        case "jsonl", "ndjson", "jsonlines": self = .jsonLines
        case "trainer_state", "trainerstate", "hf", "json": self = .trainerState
        case "wandb_run", "wandbrun": self = .wandbRun
        case "json_records", "wandb_history", "records": self = .jsonRecords
        case "tensorboard", "tfevents", "tb": self = .tensorboard
        default: return nil
        }
    }

    /// The format a file's extension implies: `.jsonl`/`.ndjson` JSON Lines, `.json` a
    /// trainer_state, `events.out.tfevents.*` TensorBoard, anything else (`.csv`, `.txt`,
    /// standard input) CSV. `detect(name:prefix:)` looks at the content too.
    public init(path: String) {
        let lowered = path.lowercased()
        let base = lowered.split(separator: "/").last.map(String.init) ?? lowered
        if base.contains("tfevents") {
            self = .tensorboard
        } else if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") {
            self = .jsonLines
        } else if lowered.hasSuffix(".json") {
            self = .trainerState
        } else {
            self = .csv
        }
    }

    /// The format of a file from its name and its first bytes, content first:
    ///
    /// ```
    /// a valid TFRecord header (length, masked CRC-32C)  tensorboard  (or a name with tfevents)
    /// a .jsonl or .ndjson name                            jsonl
    /// `[` first                                           json_records
    /// `{` first, and the first line is a whole object
    ///   followed by another `{` line, or .jsonl/.ndjson   jsonl
    /// `{` first, one document with "log_history"          trainer_state
    /// `{` first, one document with "history"              wandb_run
    /// `{` first, with "columns" and "data" (a W&B Table,
    ///   pandas' split orientation)                        json_records
    /// `{` first, its first value a list of scalars or an
    ///   object keyed "0" (a pandas frame of columns)      json_records
    /// `{` first, one one-line object with neither,
    ///   not named .json                                   jsonl
    /// anything else                                       csv (a W&B chart export by its header)
    /// ```
    ///
    /// A `{` document with neither key is read as a trainer state, whose reader says what
    /// it looked for. `prefix` is the first 64 KiB or so; keys past it are not seen, so a
    /// document is a trainer state unless "history" is in the prefix.
    public static func detect(name: String, prefix: [UInt8]) -> RunTableFormat {
        let byName = RunTableFormat(path: name)
        if TFRecordHeader.isValid(prefix) { return .tensorboard }
        if byName == .tensorboard, prefix.isEmpty { return .tensorboard }
        var start = 0
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < prefix.count, [0x20, 0x09, 0x0A, 0x0D].contains(prefix[start]) { start += 1 }
        guard start < prefix.count else { return byName == .tensorboard ? .csv : byName }
        if byName == .jsonLines { return .jsonLines }
        switch prefix[start] {
        case UInt8(ascii: "["):
            return .jsonRecords
        case UInt8(ascii: "{"):
            let line = firstLine(prefix, from: start)
            if line == .objectThenObject { return .jsonLines }
            let text = String(decoding: prefix[start...], as: UTF8.self)
            if text.contains("\"log_history\"") { return .trainerState }
            if text.contains("\"history\"") { return .wandbRun }
            if text.contains("\"columns\"") && text.contains("\"data\"") { return .jsonRecords }
            if startsWithColumns(prefix, from: start) { return .jsonRecords }
            return line == .onlyObject && byName != .trainerState ? .jsonLines : .trainerState
        default:
            return .csv
        }
    }

    /// Whether the object at `start` begins like a pandas frame written by columns: its
    /// first key's value is an array whose first element is not an object, or an object
    /// whose first key is `"0"` (`{"_step": [0, 1], …}`, `{"_step": {"0": 0, …}, …}`).
    private static func startsWithColumns(_ bytes: [UInt8], from start: Int) -> Bool {
        var index = start + 1
        func skipSpace() { while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 } }
        func skipPlainString() -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
            index += 1
            return true
        }
        skipSpace()
        guard skipPlainString() else { return false }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
        index += 1
        skipSpace()
        guard index < bytes.count else { return false }
        let open = bytes[index]
        index += 1
        skipSpace()
        guard index < bytes.count else { return false }
        if open == UInt8(ascii: "[") { return bytes[index] != UInt8(ascii: "{") && bytes[index] != UInt8(ascii: "[") }
        guard open == UInt8(ascii: "{") else { return false }
        return Array(bytes[index..<min(bytes.count, index + 3)]) == Array("\"0\"".utf8)
    }

    private enum FirstLine { case objectThenObject, onlyObject, other }

    /// Whether the line starting at `start` holds one balanced JSON object, and whether the
    /// next non-blank line starts with `{` (JSON Lines, not a pretty-printed document).
    private static func firstLine(_ bytes: [UInt8], from start: Int) -> FirstLine {
        var depth = 0
        var inString = false
        var escaped = false
        var index = start
        var closed = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            if byte == 0x0A { return .other }
            if byte == UInt8(ascii: "\"") { inString = true }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    closed = true
                    break
                }
            }
        }
        guard closed else { return .other }
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        if index >= bytes.count { return .onlyObject }
        return bytes[index] == UInt8(ascii: "{") ? .objectThenObject : .other
    }
}
