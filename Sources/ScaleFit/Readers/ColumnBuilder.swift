/// One column as a reader fills it, cell by cell, without knowing yet whether the column is
/// numeric or text.
///
/// Memory stays at the column itself: a `Double` per row, the text of the non-finite cells,
/// and the raw text of the first `sampleLimit` rows. When a text cell turns the column into
/// a text column, the strings of the rows before it are rebuilt from that sample; past the
/// sample, a number's text is written back from its value (`"070"` would come back as
/// `"70"`), which only matters for a column that is numeric for more than `sampleLimit` rows
/// and text after.
struct ColumnBuilder {
    /// How many leading rows keep their raw text while the column still looks numeric.
    static let sampleLimit = 1024

    let name: String
    private(set) var values: [Double]
    private var nonFiniteText: [Int: String] = [:]
    private var strings: [String]?
    private var sample: [String]

    /// A column that starts with `emptyRows` empty cells (a JSON key first seen late).
    init(name: String, emptyRows: Int = 0) {
        self.name = name
        values = Array(repeating: .nan, count: emptyRows)
        sample = Array(repeating: "", count: min(emptyRows, Self.sampleLimit))
    }

    var count: Int { values.count }

    /// Appends the cell whose trimmed bytes are `bytes`.
    mutating func appendCell(_ bytes: UnsafeBufferPointer<UInt8>) {
        let row = values.count
        let cell = CellValue.classify(bytes)
        switch cell {
        case .empty, .text: values.append(.nan)
        case let .number(value): values.append(value)
        case let .nonFinite(value):
            values.append(value)
            if strings == nil { nonFiniteText[row] = String(decoding: bytes, as: UTF8.self) }
        }
        if strings != nil {
            strings?.append(String(decoding: bytes, as: UTF8.self))
        } else if cell == .text {
            becomeText(rows: row)
            strings?.append(String(decoding: bytes, as: UTF8.self))
        } else if row < Self.sampleLimit {
            sample.append(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Appends the cell holding `text` (a decoded JSON string).
    mutating func appendCell(_ text: String) {
        var copy = text
        copy.withUTF8 { appendCell(CellValue.trimmed($0)) }
    }

    /// Appends an empty cell (an absent key, a JSON `null`).
    mutating func appendEmpty() {
        let row = values.count
        values.append(.nan)
        if strings != nil {
            strings?.append("")
        } else if row < Self.sampleLimit {
            sample.append("")
        }
    }

    /// Appends a JSON boolean as 1 or 0.
    mutating func appendBool(_ flag: Bool) {
        let row = values.count
        values.append(flag ? 1 : 0)
        if strings != nil {
            strings?.append(flag ? "true" : "false")
        } else if row < Self.sampleLimit {
            sample.append(flag ? "true" : "false")
        }
    }

    /// Turns the column into a text column, rebuilding the strings of its first `rows` rows.
    private mutating func becomeText(rows: Int) {
        var rebuilt: [String] = []
        rebuilt.reserveCapacity(rows + 1)
        for row in 0..<rows {
            if row < sample.count {
                rebuilt.append(sample[row])
            } else if let original = nonFiniteText[row] {
                rebuilt.append(original)
            } else {
                let value = values[row]
                rebuilt.append(value.isNaN ? "" : RunTable.Column.format(value))
            }
        }
        strings = rebuilt
        sample = []
        nonFiniteText = [:]
    }

    /// The finished column.
    func build() -> RunTable.Column {
        RunTable.Column(name: name, values: values, strings: strings, nonFiniteText: nonFiniteText)
    }
}
