/// Reads a CSV file into a `RunTable`, streaming: the first non-blank, non-comment record is
/// the header and every later record is a row with exactly as many fields.
///
/// Header names are trimmed; an empty name becomes `column_K` (K its 1-based position, as a
/// spreadsheet's unnamed index column would otherwise have no name). Cells are classified
/// by `CellValue`.
enum CSVReader {
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func read(_ chunks: ByteChunks, fileName: String) throws -> RunTable {
        // One struct holds all state: a closure capturing `var`s would box them and pay a
        // dynamic exclusivity check on every byte.
        var reading = Reading(fileName: fileName)
        while let chunk = try chunks.next() {
            try chunk.withUnsafeBufferPointer { try reading.feed($0) }
        }
        return try reading.finish()
    }

    /// The state of one read: the tokenizer, the table so far and the byte-order-mark check.
    private struct Reading {
        let fileName: String
        var tokenizer: CSVTokenizer
        var builder: RunTableBuilder?
        var bomBytesSeen = 0
        var atStart = true

        init(fileName: String) {
            self.fileName = fileName
            tokenizer = CSVTokenizer(fileName: fileName)
        }

        mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            var index = 0
            if atStart {
                // Skip a byte-order mark, which may straddle chunks.
                while index < bytes.count, bomBytesSeen < 3, bytes[index] == byteOrderMark[bomBytesSeen] {
                    bomBytesSeen += 1
                    index += 1
                }
                guard index < bytes.count || bomBytesSeen == 3 else { return }
                try endMarkCheck()
            }
            while try tokenizer.consume(bytes, from: &index) { try handleRecord() }
        }

        /// Ends the check for a byte-order mark; a partial mark was data after all.
        private mutating func endMarkCheck() throws {
            atStart = false
            guard bomBytesSeen < 3 else { return }
            for byte in byteOrderMark.prefix(bomBytesSeen) where try tokenizer.consume(byte) {
                try handleRecord()
            }
        }

        private mutating func handleRecord() throws {
            if builder != nil {
                try appendRow(tokenizer.record, to: &builder!, fileName: fileName)
            } else {
                builder = try makeBuilder(header: tokenizer.record, fileName: fileName)
            }
            tokenizer.record.removeAll()
        }

        mutating func finish() throws -> RunTable {
            if atStart { try endMarkCheck() }
            if try tokenizer.finish() { try handleRecord() }
            guard var finished = builder else { throw ScaleFitError.emptyFile(file: fileName) }
            guard finished.rowCount > 0 else { throw ScaleFitError.headerOnly(file: fileName) }
            finished.commentLines = tokenizer.commentLines
            return finished.build()
        }
    }

    /// The builder for the columns named by `header`.
    private static func makeBuilder(header: CSVRecord, fileName: String) throws -> RunTableBuilder {
        var names: [String] = []
        var seen: Set<String> = []
        for index in 0..<header.fieldCount {
            var name = header.fieldText(index)
            if name.isEmpty { name = "column_\(index + 1)" }
            guard seen.insert(name).inserted else {
                throw ScaleFitError.duplicateColumn(file: fileName, line: header.fieldLines[index],
                                                    column: header.fieldColumns[index], name: name)
            }
            names.append(name)
        }
        return RunTableBuilder(fileName: fileName, columnNames: names)
    }

    /// Appends the data record `record`, which must have one field per column.
    private static func appendRow(_ record: CSVRecord, to builder: inout RunTableBuilder,
                                  fileName: String) throws {
        let expected = builder.columns.count
        guard record.fieldCount == expected else {
            let tooMany = record.fieldCount > expected
            throw ScaleFitError.badValue(
                file: fileName,
                line: tooMany ? record.fieldLines[expected] : record.endLine,
                column: tooMany ? record.fieldColumns[expected] : record.endColumn,
                expected: "\(expected) field\(expected == 1 ? "" : "s") as in the header",
                found: "\(record.fieldCount) field\(record.fieldCount == 1 ? "" : "s")")
        }
        builder.beginRow(line: record.line)
        record.bytes.withUnsafeBufferPointer { all in
            var start = 0
            for index in 0..<expected {
                let end = record.fieldEnds[index]
                builder.columns[index].appendCell(CellValue.trimmed(UnsafeBufferPointer(rebasing: all[start..<end])))
                start = end
            }
        }
    }
}
