/// Reads a CSV file into a `RunTable`, streaming: the first non-blank, non-comment record is
/// the header and every later record is a row with exactly as many fields.
///
/// Header names are trimmed; an empty name becomes `column_K` (K its 1-based position, as a
/// spreadsheet's unnamed index column would otherwise have no name). Cells are classified
/// by `CellValue`.
enum CSVReader {
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func read(_ chunks: ByteChunks, fileName: String) throws -> RunTable {
        var tokenizer = CSVTokenizer(fileName: fileName)
        var builder: RunTableBuilder?
        var bomBytesSeen = 0
        var atStart = true

        func handleRecord() throws {
            if builder != nil {
                try appendRow(tokenizer.record, to: &builder!, fileName: fileName)
            } else {
                builder = try makeBuilder(header: tokenizer.record, fileName: fileName)
            }
            tokenizer.record.removeAll()
        }

        while let chunk = try chunks.next() {
            try chunk.withUnsafeBufferPointer { bytes in
                var index = 0
                if atStart {
                    // Skip a byte-order mark, which may straddle chunks.
                    while index < bytes.count, bomBytesSeen < 3, bytes[index] == byteOrderMark[bomBytesSeen] {
                        bomBytesSeen += 1
                        index += 1
                    }
                    if index < bytes.count || bomBytesSeen == 3 {
                        atStart = false
                        if bomBytesSeen < 3 {
                            // A partial mark was data after all: feed it back.
                            for byte in byteOrderMark.prefix(bomBytesSeen) where try tokenizer.consume(byte) {
                                try handleRecord()
                            }
                        }
                    }
                }
                while index < bytes.count {
                    if try tokenizer.consume(bytes[index]) { try handleRecord() }
                    index += 1
                }
            }
        }
        if atStart {
            for byte in byteOrderMark.prefix(bomBytesSeen) where try tokenizer.consume(byte) {
                try handleRecord()
            }
        }
        if try tokenizer.finish() { try handleRecord() }

        guard var finished = builder else { throw ScaleFitError.emptyFile(file: fileName) }
        guard finished.rowCount > 0 else { throw ScaleFitError.headerOnly(file: fileName) }
        finished.commentLines = tokenizer.commentLines
        return finished.build()
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
