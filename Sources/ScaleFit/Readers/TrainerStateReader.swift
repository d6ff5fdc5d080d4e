/// Reads a Hugging Face `trainer_state.json`: its `log_history` array of objects becomes the
/// rows, its other keys are skipped. Columns are the union of the log entries' keys in the
/// order they first appear (`loss`, `learning_rate`, `epoch`, `step`, then `eval_loss`…), so
/// the training entries and the evaluation entries share one table with empty cells where an
/// entry lacks a key.
///
/// JSON has no line structure to stream by, so the file is read whole as bytes (a
/// trainer_state.json is small next to the logs of a run); no value tree is built.
enum TrainerStateReader {
    static func read(_ chunks: ByteChunks, fileName: String) throws -> RunTable {
        var bytes: [UInt8] = []
        while let chunk = try chunks.next() { bytes.append(contentsOf: chunk) }
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
                        try readLog(&scanner, into: &builder)
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
                file: fileName, reason: "no \"log_history\" array: not a Hugging Face trainer_state.json")
        }
        guard builder.rowCount > 0 else { throw ScaleFitError.headerOnly(file: fileName) }
        return builder.build()
    }

    /// Reads the `log_history` array at the scanner's position, one row per object.
    private static func readLog(_ scanner: inout JSONScanner, into builder: inout RunTableBuilder) throws {
        scanner.position += 1  // [
        scanner.skipWhitespace()
        if scanner.peek() == UInt8(ascii: "]") {
            scanner.position += 1
            return
        }
        while true {
            try scanner.parseRow(into: &builder)
            scanner.skipWhitespace()
            if scanner.peek() == UInt8(ascii: ",") {
                scanner.position += 1
            } else if scanner.peek() == UInt8(ascii: "]") {
                scanner.position += 1
                return
            } else {
                throw scanner.unexpected("a comma or a closing bracket")
            }
        }
    }
}
