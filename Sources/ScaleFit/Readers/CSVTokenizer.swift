/// One CSV record (a header or a data row) as raw field bytes, with where each field starts.
struct CSVRecord {
    /// The bytes of all fields, one after the other.
    var bytes: [UInt8] = []
    /// The end offset in `bytes` of each field.
    var fieldEnds: [Int] = []
    /// The 1-based line and column (in characters) where each field starts.
    var fieldLines: [Int] = []
    var fieldColumns: [Int] = []
    /// Whether each field was quoted.
    var fieldQuoted: [Bool] = []
    /// Where the record ends (the line break or the end of the file).
    var endLine = 1
    var endColumn = 1

    var fieldCount: Int { fieldEnds.count }

    /// The first line of the record.
    var line: Int { fieldLines.first ?? endLine }

    /// True for a line holding nothing but white space, which the reader skips.
    var isBlank: Bool {
        guard fieldCount == 1, !fieldQuoted[0] else { return false }
        return bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// Calls `body` with the trimmed bytes of field `index`.
    func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return try bytes.withUnsafeBufferPointer { all in
            try body(CellValue.trimmed(UnsafeBufferPointer(rebasing: all[start..<fieldEnds[index]])))
        }
    }

    /// Field `index` as a trimmed string.
    func fieldText(_ index: Int) -> String {
        withField(index) { String(decoding: $0, as: UTF8.self) }
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldLines.removeAll(keepingCapacity: true)
        fieldColumns.removeAll(keepingCapacity: true)
        fieldQuoted.removeAll(keepingCapacity: true)
    }
}

/// An RFC 4180 tokenizer fed one byte at a time, so it reads a file of any size in chunks
/// and keeps only the current record.
///
/// Beyond RFC 4180 it accepts LF and lone CR line ends as well as CRLF, a UTF-8 byte-order
/// mark, `#` comment lines (a `#` first on a line, while `commentsAllowed`: the reader allows
/// them before the header only, see `CSVReader`), white space after a
/// closing quote, and a quote inside an unquoted field (kept literally, as spreadsheets do).
/// A quoted field keeps its commas and line breaks. It refuses text after a closing quote
/// (`"a"b`), a quote left open at the end of the file, and a record longer than
/// `maxRecordBytes` (almost always a quote left open in a large file, caught before it can
/// swallow the rest of the file into memory).
struct CSVTokenizer {
    /// The longest record accepted.
    static let maxRecordBytes = 16 << 20

    private enum State {
        case recordStart, comment, fieldStart, unquoted, quoted, quoteInQuoted, afterClosingQuote
    }

    let fileName: String
    private var state = State.recordStart
    private var line = 1
    private var column = 1
    private var previousWasCR = false
    private var quoteLine = 0
    private var quoteColumn = 0
    var commentLines = 0
    /// Whether a `#` first on a line starts a comment (true until the header is read).
    var commentsAllowed = true
    /// The record completed by the last `consume` that returned true.
    var record = CSVRecord()

    init(fileName: String) {
        self.fileName = fileName
    }

    /// Takes the next byte; returns true when it completed `record` (a header or data row,
    /// blank lines excluded). The caller reads `record` and then calls `record.removeAll()`.
    @inline(__always)
    mutating func consume(_ byte: UInt8) throws -> Bool {
        if previousWasCR {
            previousWasCR = false
            if byte == 0x0A {
                // The LF of a CRLF: the line was already counted at the CR.
                if state == .quoted { try append(byte) }
                return false
            }
        }
        let completed = try step(byte)
        advancePosition(byte)
        return completed
    }

    /// Takes bytes from `bytes[index...]` until a record completes (true, with `index` just
    /// past it) or the bytes run out (false). Runs of ordinary bytes inside a field are
    /// copied in one go, which is most of the reading time saved.
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, from index: inout Int) throws -> Bool {
        while index < bytes.count {
            if !previousWasCR, state == .unquoted || state == .quoted {
                let start = index
                let stop = state == .quoted ? UInt8(ascii: "\"") : UInt8(ascii: ",")
                var characters = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == stop || byte == 0x0A || byte == 0x0D { break }
                    if byte & 0xC0 != 0x80 { characters += 1 }
                    index += 1
                }
                if index > start {
                    try append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    column += characters
                    continue
                }
            }
            let byte = bytes[index]
            index += 1
            if try consume(byte) { return true }
        }
        return false
    }

    /// Ends the input; returns true when that completed a last record without a line break.
    mutating func finish() throws -> Bool {
        switch state {
        case .recordStart, .comment:
            return false
        case .quoted:
            throw ScaleFitError.badValue(file: fileName, line: quoteLine, column: quoteColumn,
                                         expected: "a closing quote for the field opened here",
                                         found: "the end of the file")
        case .fieldStart:
            // A comma just before the end of the file: one more, empty, field.
            record.fieldLines.append(line)
            record.fieldColumns.append(column)
            record.fieldQuoted.append(false)
            endField()
            return endRecord()
        case .unquoted, .quoteInQuoted, .afterClosingQuote:
            endField()
            return endRecord()
        }
    }

    // MARK: The state machine

    @inline(__always)
    private mutating func step(_ byte: UInt8) throws -> Bool {
        switch state {
        case .recordStart:
            if commentsAllowed, byte == UInt8(ascii: "#") {
                state = .comment
                commentLines += 1
                return false
            }
            return try startField(byte)
        case .comment:
            if byte == 0x0A || byte == 0x0D { state = .recordStart }
            return false
        case .fieldStart:
            return try startField(byte)
        case .unquoted:
            switch byte {
            case UInt8(ascii: ","):
                endField()
                state = .fieldStart
                return false
            case 0x0A, 0x0D:
                endField()
                return endRecord()
            default:
                try append(byte)
                return false
            }
        case .quoted:
            if byte == UInt8(ascii: "\"") {
                state = .quoteInQuoted
            } else {
                try append(byte)
            }
            return false
        case .quoteInQuoted:
            if byte == UInt8(ascii: "\"") {
                try append(byte)
                state = .quoted
                return false
            }
            return try afterQuote(byte)
        case .afterClosingQuote:
            return try afterQuote(byte)
        }
    }

    @inline(__always)
    private mutating func startField(_ byte: UInt8) throws -> Bool {
        record.fieldLines.append(line)
        record.fieldColumns.append(column)
        switch byte {
        case UInt8(ascii: "\""):
            record.fieldQuoted.append(true)
            quoteLine = line
            quoteColumn = column
            state = .quoted
            return false
        case UInt8(ascii: ","):
            record.fieldQuoted.append(false)
            endField()
            state = .fieldStart
            return false
        case 0x0A, 0x0D:
            record.fieldQuoted.append(false)
            endField()
            return endRecord()
        default:
            record.fieldQuoted.append(false)
            try append(byte)
            state = .unquoted
            return false
        }
    }

    private mutating func afterQuote(_ byte: UInt8) throws -> Bool {
        switch byte {
        case UInt8(ascii: ","):
            endField()
            state = .fieldStart
            return false
        case 0x0A, 0x0D:
            endField()
            return endRecord()
        case 0x20, 0x09:
            state = .afterClosingQuote
            return false
        default:
            throw ScaleFitError.badValue(
                file: fileName, line: line, column: column,
                expected: "a comma or the end of the line after a closing quote",
                found: String(decoding: [byte], as: UTF8.self))
        }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) throws {
        if record.bytes.count >= Self.maxRecordBytes { throw overlongRecord() }
        record.bytes.append(byte)
    }

    private func overlongRecord() -> ScaleFitError {
        let inQuote = state == .quoted
        return .badValue(file: fileName, line: inQuote ? quoteLine : record.line,
                         column: inQuote ? quoteColumn : (record.fieldColumns.first ?? 1),
                         expected: inQuote ? "a closing quote within 16 MiB of the opening one"
                                           : "a record shorter than 16 MiB",
                         found: "a longer one")
    }

    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) throws {
        if record.bytes.count + run.count > Self.maxRecordBytes { throw overlongRecord() }
        record.bytes.append(contentsOf: run)
    }

    @inline(__always)
    private mutating func endField() {
        record.fieldEnds.append(record.bytes.count)
    }

    /// Ends the record at the current position; false (and the record cleared) when blank.
    @inline(__always)
    private mutating func endRecord() -> Bool {
        state = .recordStart
        record.endLine = line
        record.endColumn = column
        if record.isBlank {
            record.removeAll()
            return false
        }
        return true
    }

    /// Moves the line and column past `byte`: CR, LF and CRLF end a line; a column counts
    /// characters, so UTF-8 continuation bytes do not move it.
    @inline(__always)
    private mutating func advancePosition(_ byte: UInt8) {
        if byte == 0x0A || byte == 0x0D {
            line += 1
            column = 1
            previousWasCR = byte == 0x0D
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }
}
