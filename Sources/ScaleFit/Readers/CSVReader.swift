/// Reads a CSV file into a `RunTable`, streaming: the first non-blank, non-comment record is
/// the header and every later record is a row with exactly as many fields.
///
/// Comments: before the header, a line whose first byte is `#` is a comment. After it, a
/// record is a comment only when its first field is unquoted and starts with `#` *and* it
/// does not have the header's number of fields (so it cannot be a row): `#3,2.5` under
/// `run,loss` is the row of run `#3`, while `# restarted here` is a comment. Both kinds are
/// counted in `RunTable.commentLines`.
///
/// Header names are trimmed; an empty name becomes `column_K` (K its 1-based position, as a
/// spreadsheet's unnamed index column would otherwise have no name). Cells are classified
/// by `CellValue`.
enum CSVReader {
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `labels` are column names whose cells are kept as written (a run column the user named).
    static func read(_ chunks: ByteChunks, fileName: String, labels: Set<String> = []) throws -> RunTable {
        // One struct holds all state: a closure capturing `var`s would box them and pay a
        // dynamic exclusivity check on every byte.
        var reading = Reading(fileName: fileName, labels: labels)
        var bytesRead = 0
        while let chunk = try chunks.next() {
            try chunk.withUnsafeBufferPointer { try reading.feed($0) }
            if bytesRead == 0 { reading.builder?.reserveRows(totalBytes: chunks.totalBytes, bytesSoFar: chunk.count) }
            bytesRead += chunk.count
        }
        return try reading.finish()
    }

    /// The state of one read: the tokenizer, the table so far and the byte-order-mark check.
    private struct Reading {
        let fileName: String
        let labels: Set<String>
        var tokenizer: CSVTokenizer
        var builder: RunTableBuilder?
        var bomBytesSeen = 0
        var atStart = true

        init(fileName: String, labels: Set<String>) {
            self.fileName = fileName
            self.labels = labels
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
                if isComment(tokenizer.record, fields: builder!.columns.count) {
                    tokenizer.commentLines += 1
                } else {
                    try appendRow(tokenizer.record, to: &builder!, fileName: fileName)
                }
            } else {
                builder = try makeBuilder(header: tokenizer.record, fileName: fileName, labels: labels)
                tokenizer.commentsAllowed = false
            }
            tokenizer.record.removeAll()
        }

        /// A record after the header that is a comment line, not a row.
        private func isComment(_ record: CSVRecord, fields: Int) -> Bool {
            guard record.fieldCount != fields, record.fieldCount > 0, !record.fieldQuoted[0] else { return false }
            return record.bytes.first == UInt8(ascii: "#")
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
    private static func makeBuilder(header: CSVRecord, fileName: String, labels: Set<String>) throws -> RunTableBuilder {
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
        return RunTableBuilder(fileName: fileName, columnNames: names, labels: labels)
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
