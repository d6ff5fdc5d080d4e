import Foundation

/// The entry points that read one log or table of runs into a `RunTable`, as it is in the
/// file (`LogReader` adds column roles, restarts, selection and the read report).
///
/// Files are streamed in 1 MiB chunks: memory is the table's columns plus the current record
/// (at most 16 MiB), so a 1 GB log needs about what its numeric columns take (8 bytes a
/// cell). A JSON document (`trainer_state.json`, a W&B run dump) is the exception: it is read
/// whole as bytes.
///
/// With no format given, the content decides (`RunTableFormat.detect(name:prefix:)`, from
/// the first 64 KiB, which are read once and kept, so standard input works), and a CSV whose
/// header looks like a Weights & Biases chart export is reshaped as one; an explicit `.csv`
/// reads any CSV as it is.
public enum RunTableReader {
    /// Reads the file at `path` (`-` for standard input; a directory is read by
    /// `LogReader`, a run per file or subfolder).
    /// - Throws: `ScaleFitError` naming the file, line and column of the first problem.
    public static func read(path: String, format: RunTableFormat? = nil) throws -> RunTable {
        if path != "-", LogInputs.isDirectory(path) {
            return try LogReader.read(inputs: [path], options: LogReadOptions(format: format)).table
        }
        let chunks = try ByteChunks(path: path)
        return try read(chunks, fileName: path == "-" ? "<stdin>" : path, format: format).table
    }

    /// Reads a file's contents already in memory. `fileName` is used in errors and, with no
    /// `format`, with the content to choose the format.
    public static func read(data: Data, fileName: String = "<data>", format: RunTableFormat? = nil) throws -> RunTable {
        try read(data: data, fileName: fileName, format: format, chunkSize: ByteChunks.fileChunkSize)
    }

    /// Reads a file's contents given as a string (tests, scripts).
    public static func read(string: String, fileName: String = "<string>", format: RunTableFormat? = nil) throws -> RunTable {
        try read(data: Data(string.utf8), fileName: fileName, format: format)
    }

    /// `read(data:…)` in chunks of `chunkSize` bytes (tests use tiny chunks to reach every
    /// chunk boundary the tokenizers must survive).
    static func read(data: Data, fileName: String, format: RunTableFormat?, chunkSize: Int) throws -> RunTable {
        let chunks = ByteChunks(data: data, fileName: fileName, chunkSize: chunkSize)
        return try read(chunks, fileName: fileName, format: format).table
    }

    /// Reads `chunks` in `format`, or the detected one; returns the table and the format read.
    static func read(_ chunks: ByteChunks, fileName: String, format: RunTableFormat?,
                     options: LogReadOptions = LogReadOptions()) throws -> (table: RunTable, format: RunTableFormat) {
        let chosen = try format ?? RunTableFormat.detect(name: fileName, prefix: chunks.peek())
        let labels: Set<String> = options.runColumn.map { [$0] } ?? []
        switch chosen {
        case .csv:
            let table = try CSVReader.read(chunks, fileName: fileName, labels: labels)
            if format == nil, WandBExport.looksLikeExport(table.columnNames) {
                return (try WandBExport.reshape(table, joinSegments: !options.keepSegmentsApart), .wandb)
            }
            return (table, .csv)
        case .wandb:
            let table = try CSVReader.read(chunks, fileName: fileName, labels: labels)
            return (try WandBExport.reshape(table, joinSegments: !options.keepSegmentsApart), .wandb)
        case .jsonLines:
            return (try JSONLinesReader.read(chunks, fileName: fileName, labels: labels), .jsonLines)
        case .trainerState:
            return (try TrainerStateReader.read(chunks, fileName: fileName), .trainerState)
        case .wandbRun, .jsonRecords:
            return (try WandBRunReader.read(chunks, fileName: fileName, format: chosen), chosen)
        case .tensorboard:
            return (try TensorBoardReader.read(chunks, fileName: fileName), .tensorboard)
        }
    }
}
