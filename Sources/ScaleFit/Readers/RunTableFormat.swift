/// The file formats scalefit reads into a `RunTable`.
public enum RunTableFormat: String, CaseIterable, Sendable {
    /// Comma-separated values (RFC 4180), taken as they are.
    case csv
    /// A Weights & Biases CSV export, reshaped to one row per (run, step).
    case wandb
    /// JSON Lines: one JSON object per line (`.jsonl`, `.ndjson`).
    case jsonLines = "jsonl"
    /// A Hugging Face `trainer_state.json`, whose `log_history` becomes the rows.
    case trainerState = "trainer_state"

    /// The format a user names on the command line: `csv`, `wandb`, `jsonl` (or `ndjson`),
    /// `trainer_state` (or `hf`, `json`); nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "csv": self = .csv
        case "wandb", "w&b": self = .wandb
        case "jsonl", "ndjson", "jsonlines": self = .jsonLines
        case "trainer_state", "trainerstate", "hf", "json": self = .trainerState
        default: return nil
        }
    }

    /// The format a file's extension implies: `.jsonl`/`.ndjson` JSON Lines, `.json` a
    /// trainer_state, anything else (`.csv`, `.txt`, standard input) CSV.
    public init(path: String) {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") {
            self = .jsonLines
        } else if lowered.hasSuffix(".json") {
            self = .trainerState
        } else {
            self = .csv
        }
    }
}
