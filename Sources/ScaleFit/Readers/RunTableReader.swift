import Foundation

/// The entry points that read a log or a table of runs into a `RunTable`.
///
/// Files are streamed in 1 MiB chunks: memory is the table's columns plus the current record
/// (at most 16 MiB), so a 1 GB log needs about what its numeric columns take (8 bytes a
/// cell). A `trainer_state.json` is the exception: it is one JSON document and is read
/// whole as bytes.
///
/// With no format given, the file's extension decides (`RunTableFormat(path:)`), and a CSV
/// whose header looks like a Weights & Biases export (`Step`, `RUN - metric`, `__MIN`/`__MAX`)
/// is reshaped as one; an explicit `.csv` reads any CSV as it is.
public enum RunTableReader {
    /// Reads the file at `path` (`-` for standard input).
    /// - Throws: `ScaleFitError` naming the file, line and column of the first problem.
    public static func read(path: String, format: RunTableFormat? = nil) throws -> RunTable {
        let chunks = try ByteChunks(path: path)
        return try read(chunks, fileName: path == "-" ? "<stdin>" : path,
                        format: format ?? RunTableFormat(path: path), detectWandB: format == nil)
    }

    /// Reads a file's contents already in memory. `fileName` is used in errors and, with no
    /// `format`, to choose the format by its extension.
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
        return try read(chunks, fileName: fileName, format: format ?? RunTableFormat(path: fileName),
                        detectWandB: format == nil)
    }

    private static func read(_ chunks: ByteChunks, fileName: String, format: RunTableFormat,
                             detectWandB: Bool) throws -> RunTable {
        switch format {
        case .csv:
            let table = try CSVReader.read(chunks, fileName: fileName)
            if detectWandB, WandBExport.looksLikeExport(table.columnNames) {
                return try WandBExport.reshape(table)
            }
            return table
        case .wandb:
            return try WandBExport.reshape(try CSVReader.read(chunks, fileName: fileName))
        case .jsonLines:
            return try JSONLinesReader.read(chunks, fileName: fileName)
        case .trainerState:
            return try TrainerStateReader.read(chunks, fileName: fileName)
        }
    }
}
