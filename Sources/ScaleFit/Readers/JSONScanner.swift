#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON parser over bytes that writes objects straight into a `RunTableBuilder` row,
/// flattening nested keys with dots (`{"eval": {"loss": 2.1}}` gives column `eval.loss`,
/// array elements `key.0`, `key.1`, …), so no tree of values is ever built.
///
/// Values: numbers, strings (classified as cells: `"70M"` is a number, `"nan"` not finite),
/// `true`/`false` as 1/0, `null` as an empty cell, and Python's bare `NaN`, `Infinity` and
/// `-Infinity`, which `json.dumps` writes for non-finite floats (so trainer logs contain them).
/// Errors give the line and the column (in characters) where the offending token starts.
struct JSONScanner {
    /// Deeper nesting is refused, so hostile input cannot exhaust the stack.
    static let maxDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    let fileName: String
    /// The line on which `bytes` starts.
    let firstLine: Int
    /// What the end of `bytes` is called in errors: "the end of the line" or "the end of the file".
    let endName: String
    var position = 0
    private var lineCursor = (position: 0, line: 0, column: 1)

    init(bytes: UnsafeBufferPointer<UInt8>, fileName: String, firstLine: Int, endName: String) {
        self.bytes = bytes
        self.fileName = fileName
        self.firstLine = firstLine
        self.endName = endName
        lineCursor = (0, firstLine, 1)
    }

    // MARK: Rows

    /// Reads an array of row objects at the position (`[` next), one row per object, as a
    /// trainer state's `log_history` and a W&B run's `history` hold them.
    mutating func parseRowArray(into builder: inout RunTableBuilder) throws {
        position += 1  // [
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            try parseRow(into: &builder)
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                position += 1
            } else if peek() == UInt8(ascii: "]") {
                position += 1
                return
            } else {
                throw unexpected("a comma or a closing bracket")
            }
        }
    }

    /// Parses an object at the current position as one row of `builder`.
    mutating func parseRow(into builder: inout RunTableBuilder) throws {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw unexpected("a JSON object") }
        let at = location(of: position)
        builder.beginRow(line: at.line, column: at.column)
        try parseObject(prefix: "", into: &builder, depth: 1)
        builder.finishRow()
    }

    private mutating func parseObject(prefix: String, into builder: inout RunTableBuilder,
                                      depth: Int) throws {
        position += 1  // {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            let keyPosition = position
            guard peek() == UInt8(ascii: "\"") else { throw unexpected("a key in double quotes") }
            let slot = builder.keyOrdinal
            builder.keyOrdinal += 1
            let key = try parseKey(prefix: prefix, slot: slot, into: &builder)
            if position < bytes.count, bytes[position] == UInt8(ascii: ":") {
                position += 1  // the common case, without a call
            } else {
                try expect(UInt8(ascii: ":"), "a colon after the key")
            }
            try parseValue(key: key, slot: key == nil ? slot : nil, keyPosition: keyPosition, into: &builder, depth: depth)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return
            default: throw unexpected("a comma or a closing brace")
            }
        }
    }

    /// Reads the flattened key at the current position (its opening quote): nil when slot
    /// `slot` holds it (it held the same raw bytes under the same prefix, or the key was
    /// parsed and cached there), else the key (one with escapes, never cached, or one past
    /// the slots), so a log's repeated keys never make a `String`.
    private mutating func parseKey(prefix: String, slot: Int, into builder: inout RunTableBuilder) throws -> String? {
        if slot < builder.keySlots.count {
            // In place: copying the slot would retain its arrays on every key. The slot's raw
            // bytes hold no quote, backslash or control character, so the key is the same
            // when those bytes follow the opening quote and a closing quote follows them.
            let length = builder.keySlots[slot].raw.count
            let close = position + 1 + length
            if close < bytes.count, bytes[close] == UInt8(ascii: "\""), builder.keySlots[slot].prefix == prefix {
                let same = builder.keySlots[slot].raw.withUnsafeBufferPointer {
                    Self.equal($0.baseAddress!, bytes.baseAddress! + position + 1, count: length)
                }
                if same {
                    position = close + 1
                    return nil
                }
            }
        }
        var end = position + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 {
            end += 1
        }
        let plain = end < bytes.count && bytes[end] == UInt8(ascii: "\"")
        let start = position + 1
        let key = prefix + (try parseString())
        guard plain else { return key }
        let entry = RunTableBuilder.KeySlot(raw: Array(bytes[start..<end]), prefix: prefix, key: key, childPrefix: key + ".",
                                            column: nil)
        if slot < builder.keySlots.count {
            builder.keySlots[slot] = entry
        } else if slot == builder.keySlots.count {
            builder.keySlots.append(entry)
        }
        return slot < builder.keySlots.count ? nil : key
    }

    /// Whether `count` bytes at `a` and `b` are equal: eight at a time, then one at a time
    /// (keys are short, and a call to `memcmp` would cost more than comparing them).
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            if UnsafeRawPointer(a + offset).loadUnaligned(as: UInt64.self)
                != UnsafeRawPointer(b + offset).loadUnaligned(as: UInt64.self) { return false }
            offset += 8
        }
        while offset < count {
            if a[offset] != b[offset] { return false }
            offset += 1
        }
        return true
    }

    private mutating func parseArray(prefix: String, into builder: inout RunTableBuilder,
                                     depth: Int) throws {
        position += 1  // [
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        var index = 0
        while true {
            skipWhitespace()
            try parseValue(key: prefix + String(index), slot: nil, keyPosition: position, into: &builder, depth: depth)
            index += 1
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return
            default: throw unexpected("a comma or a closing bracket")
            }
        }
    }

    /// Parses the value of `key` (nil: the key slot `slot` holds) into its column of the
    /// current row.
    private mutating func parseValue(key: String?, slot: Int?, keyPosition: Int, into builder: inout RunTableBuilder,
                                     depth: Int) throws {
        skipWhitespace()
        guard let first = peek() else { throw unexpected("a value") }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw unexpected("at most \(Self.maxDepth) levels of nesting") }
            if first == UInt8(ascii: "{") {
                let prefix = key.map { $0 + "." } ?? builder.keySlots[slot!].childPrefix
                try parseObject(prefix: prefix, into: &builder, depth: depth + 1)
            } else {
                try parseArray(prefix: (key ?? builder.keySlots[slot!].key) + ".", into: &builder, depth: depth + 1)
            }
            return
        default:
            break
        }
        let column: Int
        if let key {
            column = builder.column(forKey: key)
        } else if let cached = builder.keySlots[slot!].column {
            column = cached
        } else {
            column = builder.column(forKey: builder.keySlots[slot!].key)
            builder.keySlots[slot!].column = column
        }
        if builder.hasCellInCurrentRow(column) {
            let at = location(of: keyPosition)
            throw ScaleFitError.duplicateColumn(file: fileName, line: at.line, column: at.column,
                                                name: key ?? builder.keySlots[slot!].key)
        }
        switch first {
        case UInt8(ascii: "\""):
            builder.columns[column].appendCell(try parseString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "I"):
            try parseWord(into: &builder.columns[column])
        default:
            if let (end, value) = CellValue.parseJSONNumber(bytes, from: position) {
                let token = UnsafeBufferPointer(rebasing: bytes[position..<end])
                position = end
                builder.columns[column].appendNumber(value, text: token)
            } else {
                let token = try scanNumber()
                builder.columns[column].appendCell(UnsafeBufferPointer(rebasing: bytes[token]))
            }
        }
    }

    /// Parses the value at the current position as the cell of column `key` in the current
    /// row (an object or array value flattened under `key.`), as a row object's value is.
    mutating func parseCell(key: String, into builder: inout RunTableBuilder) throws {
        try parseValue(key: key, slot: nil, keyPosition: position, into: &builder, depth: 2)
    }

    private mutating func parseWord(into column: inout ColumnBuilder) throws {
        for (word, action) in Self.words where matches(word) {
            switch action {
            case .empty: column.appendEmpty()
            case let .bool(flag): column.appendBool(flag)
            case .number: column.appendCell(UnsafeBufferPointer(rebasing: bytes[position..<position + word.count]))
            }
            position += word.count
            return
        }
        throw unexpected("a value")
    }

    private enum WordAction { case empty, bool(Bool), number }
    private static let words: [([UInt8], WordAction)] = [
        (Array("true".utf8), .bool(true)), (Array("false".utf8), .bool(false)),
        (Array("null".utf8), .empty), (Array("NaN".utf8), .number), (Array("Infinity".utf8), .number),
    ]

    // MARK: Skipping

    /// Skips any value (the keys of a trainer_state.json other than its log).
    mutating func skipValue(depth: Int = 1) throws {
        skipWhitespace()
        guard let first = peek() else { throw unexpected("a value") }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw unexpected("at most \(Self.maxDepth) levels of nesting") }
            let isObject = first == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            skipWhitespace()
            if peek() == close {
                position += 1
                return
            }
            while true {
                if isObject {
                    skipWhitespace()
                    guard peek() == UInt8(ascii: "\"") else { throw unexpected("a key in double quotes") }
                    _ = try parseString()
                    try expect(UInt8(ascii: ":"), "a colon after the key")
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                } else if peek() == close {
                    position += 1
                    return
                } else {
                    throw unexpected(isObject ? "a comma or a closing brace" : "a comma or a closing bracket")
                }
            }
        case UInt8(ascii: "\""):
            _ = try parseString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "I"):
            var scratch = ColumnBuilder(name: "")
            try parseWord(into: &scratch)
        default:
            _ = try scanNumber()
        }
    }

    // MARK: Tokens

    /// The range of a JSON number (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`, or `-Infinity`).
    private mutating func scanNumber() throws -> Range<Int> {
        let start = position
        if peek() == UInt8(ascii: "-") {
            position += 1
            if matches(Array("Infinity".utf8)) {
                position += 8
                return start..<position
            }
        }
        guard let first = peek(), isDigit(first) else { throw unexpected("a value", from: start) }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let next = peek(), isDigit(next) else { throw unexpected("a digit after the decimal point") }
            skipDigits()
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let next = peek(), isDigit(next) else { throw unexpected("a digit in the exponent") }
            skipDigits()
        }
        return start..<position
    }

    /// Parses a string at the current position (which holds its opening quote).
    mutating func parseString() throws -> String {
        let open = position
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw unexpected("a closing quote for the string opened here", from: open, found: endName)
            }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                position -= 1
                throw unexpected("a character or an escape inside the string", found: "a control character")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws {
        guard let byte = peek() else { throw unexpected("an escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800..<0xDC00).contains(scalar), matches(Array("\\u".utf8)) {
                let save = position
                position += 2
                let low = try parseHex4()
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = save
                }
            }
            // A lone surrogate is not a character: it becomes U+FFFD.
            utf8.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
        default:
            position -= 1
            throw unexpected("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexValue(byte) else {
                throw unexpected("four hexadecimal digits after \\u")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: Low level

    @inline(__always)
    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    func matches(_ word: [UInt8]) -> Bool {
        guard bytes.count - position >= word.count else { return false }
        for (offset, byte) in word.enumerated() where bytes[position + offset] != byte { return false }
        return true
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard peek() == byte else { throw unexpected(what) }
        position += 1
    }

    /// The 1-based line and column (in characters) of byte `target`; positions only move
    /// forward in a parse, so the scan resumes from the last one asked for.
    mutating func location(of target: Int) -> (line: Int, column: Int) {
        if target < lineCursor.position { lineCursor = (0, firstLine, 1) }
        var (position, line, column) = lineCursor
        while position < target {
            let byte = bytes[position]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            position += 1
        }
        lineCursor = (position, line, column)
        return (line, column)
    }

    /// The error for an unexpected token at `from` (default: the current position).
    mutating func unexpected(_ expected: String, from: Int? = nil, found: String? = nil) -> ScaleFitError {
        let at = from ?? position
        let where_ = location(of: at)
        return .badValue(file: fileName, line: where_.line, column: where_.column,
                         expected: expected, found: found ?? describeToken(at: at))
    }

    /// A short excerpt of what stands at `at`: a word, or one character.
    private func describeToken(at: Int) -> String {
        guard at < bytes.count else { return endName }
        var end = at
        while end < bytes.count, end - at < 20 {
            let byte = bytes[end]
            let isWordByte = byte >= 0x80 || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            if !isWordByte { break }
            end += 1
        }
        if end == at { end = at + 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<end]), as: UTF8.self)
    }
}
