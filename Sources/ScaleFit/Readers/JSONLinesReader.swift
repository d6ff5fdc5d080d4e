#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads JSON Lines (`.jsonl`, `.ndjson`) into a `RunTable`, streaming: one object per line,
/// one row per object. Columns are the union of the (flattened) keys in the order they first
/// appear (`{"train": {"loss": 2.1, "lr": 3e-4}}` gives `train.loss` and `train.lr`); a row
/// without a key has an empty cell there. Blank lines are skipped; a line that is not one
/// JSON object is an error naming its line and column.
///
/// A line that lies inside one chunk is parsed where it is; only a line that straddles two
/// chunks is copied. Keys are matched by their raw bytes against the previous rows'
/// (`RunTableBuilder.KeySlot`), so a log's repeated keys cost no allocation.
enum JSONLinesReader {
    /// The longest line accepted; a longer one is refused before it can fill memory.
    static let maxLineBytes = 16 << 20

    static func read(_ chunks: ByteChunks, fileName: String, labels: Set<String> = []) throws -> RunTable {
        var reading = Reading(builder: RunTableBuilder(fileName: fileName, labels: labels), fileName: fileName)
        var carry: [UInt8] = []
        var bytesRead = 0
        while let chunk = try chunks.next() {
            try chunk.withUnsafeBufferPointer { buffer in
                var start = 0
                while start < buffer.count {
                    let rest = buffer.count - start
                    guard let found = memchr(buffer.baseAddress! + start, 0x0A, rest) else {
                        carry.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
                        break
                    }
                    let newline = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if carry.isEmpty {
                        try reading.parseLine(UnsafeBufferPointer(rebasing: buffer[start..<newline]))
                    } else {
                        carry.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<newline]))
                        try carry.withUnsafeBufferPointer { try reading.parseLine($0) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    start = newline + 1
                }
            }
            if bytesRead == 0 { reading.builder.reserveRows(totalBytes: chunks.totalBytes, bytesSoFar: chunk.count) }
            bytesRead += chunk.count
            if carry.count > maxLineBytes {
                throw ScaleFitError.badValue(file: fileName, line: reading.lineNumber, column: 1,
                                             expected: "a line shorter than 16 MiB", found: "a longer one")
            }
        }
        try carry.withUnsafeBufferPointer { try reading.parseLine($0) }
        let builder = reading.builder
        guard builder.rowCount > 0 else { throw ScaleFitError.emptyFile(file: fileName) }
        guard !builder.columns.isEmpty else {
            throw ScaleFitError.invalidData(file: fileName, reason: "no values: every object is empty")
        }
        return builder.build()
    }

    /// The table so far and the number of the next line.
    private struct Reading {
        var builder: RunTableBuilder
        let fileName: String
        var lineNumber = 1

        /// Parses one line (without its LF) and moves to the next.
        mutating func parseLine(_ raw: UnsafeBufferPointer<UInt8>) throws {
            defer { lineNumber += 1 }
            var line = raw
            if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = UnsafeBufferPointer(rebasing: line[3...]) }
            if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            var scanner = JSONScanner(bytes: line, fileName: fileName, firstLine: lineNumber,
                                      endName: "the end of the line")
            try scanner.parseRow(into: &builder)
            scanner.skipWhitespace()
            if scanner.position < line.count {
                throw scanner.unexpected("the end of the line after the object")
            }
        }
    }
}
