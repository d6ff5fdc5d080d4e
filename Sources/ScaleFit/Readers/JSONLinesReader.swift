/// Reads JSON Lines (`.jsonl`, `.ndjson`) into a `RunTable`, streaming: one object per line,
/// one row per object. Columns are the union of the (flattened) keys in the order they first
/// appear; a row without a key has an empty cell there. Blank lines are skipped; a line that
/// is not one JSON object is an error naming its line and column.
enum JSONLinesReader {
    /// The longest line accepted; a longer one is refused before it can fill memory.
    static let maxLineBytes = 16 << 20

    static func read(_ chunks: ByteChunks, fileName: String, labels: Set<String> = []) throws -> RunTable {
        var builder = RunTableBuilder(fileName: fileName, labels: labels)
        var line: [UInt8] = []
        var lineNumber = 1
        var isFirstLine = true

        func parseLine() throws {
            if isFirstLine {
                isFirstLine = false
                if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            }
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            try line.withUnsafeBufferPointer { bytes in
                var scanner = JSONScanner(bytes: bytes, fileName: fileName, firstLine: lineNumber,
                                          endName: "the end of the line")
                try scanner.parseRow(into: &builder)
                scanner.skipWhitespace()
                if scanner.position < bytes.count {
                    throw scanner.unexpected("the end of the line after the object")
                }
            }
        }

        while let chunk = try chunks.next() {
            var start = 0
            while start < chunk.count {
                guard let newline = chunk[start...].firstIndex(of: 0x0A) else {
                    line.append(contentsOf: chunk[start...])
                    start = chunk.count
                    break
                }
                line.append(contentsOf: chunk[start..<newline])
                try parseLine()
                line.removeAll(keepingCapacity: true)
                lineNumber += 1
                start = newline + 1
            }
            if line.count > maxLineBytes {
                throw ScaleFitError.badValue(file: fileName, line: lineNumber, column: 1,
                                             expected: "a line shorter than 16 MiB", found: "a longer one")
            }
        }
        try parseLine()
        guard builder.rowCount > 0 else { throw ScaleFitError.emptyFile(file: fileName) }
        guard !builder.columns.isEmpty else {
            throw ScaleFitError.invalidData(file: fileName, reason: "no values: every object is empty")
        }
        return builder.build()
    }
}
