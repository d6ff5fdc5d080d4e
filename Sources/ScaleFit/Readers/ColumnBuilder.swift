/// One column as a reader fills it, cell by cell, without knowing yet whether the column is
/// numeric or text.
///
/// The column's kind is decided when it is finished, by the whole column, never by one cell:
///
/// ```
/// a label column (run, name, model, family …)   text, every cell as written ("007" ≠ "7",
///                                                "1.0" ≠ "1")
/// more text cells than number cells             text
/// otherwise                                     numeric; a text cell keeps its text and is
///                                                NaN, so the row is dropped and reported
///                                                (with its line, column and value) by any
///                                                law that uses the column
/// ```
///
/// So one stray `oops` in a loss column drops one row, reported, instead of turning the
/// column into text. JSON `true`/`false` are text cells (`"true"`), not 1 and 0. A size
/// suffix (`70M`) is a number only in a column whose name says it holds a size
/// (`ColumnRole.acceptsSizeSuffix`); elsewhere it is text.
///
/// Memory stays at the column itself: a `Double` per row, the text of the cells that are
/// not finite numbers, and the raw text of the first `sampleLimit` rows. When a column turns
/// out to be text, the strings of its numeric cells past the sample are written back from
/// their values (`"070"` would come back as `"70"`); label columns never need that, as they
/// keep every string.
struct ColumnBuilder {
    /// How many leading rows keep their raw text while the column may still be numeric.
    static let sampleLimit = 1024

    let name: String
    /// Whether every cell's text is kept as written (run and family columns).
    let isLabel: Bool
    /// Whether a size suffix makes a number.
    let acceptsSizeSuffix: Bool
    private(set) var values: [Double]
    /// The text of the cells that are not finite numbers (non-finite words and text), by row.
    private var otherText: [Int: String] = [:]
    private var strings: [String]?
    private var sample: [String]
    private var numberCells = 0
    private var textCells = 0

    /// A column that starts with `emptyRows` empty cells (a JSON key first seen late).
    /// `labels` are extra column names to keep as written (a run column the user named).
    init(name: String, emptyRows: Int = 0, labels: Set<String> = []) {
        self.name = name
        isLabel = ColumnRole.isLabel(columnName: name) || labels.contains(name)
        acceptsSizeSuffix = ColumnRole.acceptsSizeSuffix(columnName: name)
        values = Array(repeating: .nan, count: emptyRows)
        if isLabel {
            strings = Array(repeating: "", count: emptyRows)
            sample = []
        } else {
            sample = Array(repeating: "", count: min(emptyRows, Self.sampleLimit))
        }
    }

    var count: Int { values.count }

    /// Room for `rows` values.
    mutating func reserveCapacity(_ rows: Int) {
        values.reserveCapacity(rows)
        if strings != nil { strings!.reserveCapacity(rows) }
    }

    /// Appends the cell whose trimmed bytes are `bytes`.
    mutating func appendCell(_ bytes: UnsafeBufferPointer<UInt8>) {
        let row = values.count
        let cell = CellValue.classify(bytes, sizeSuffix: acceptsSizeSuffix)
        switch cell {
        case .empty:
            values.append(.nan)
        case .text:
            values.append(.nan)
            textCells += 1
            if strings == nil { otherText[row] = String(decoding: bytes, as: UTF8.self) }
        case let .number(value):
            values.append(value)
            numberCells += 1
        case let .nonFinite(value):
            values.append(value)
            numberCells += 1
            if strings == nil { otherText[row] = String(decoding: bytes, as: UTF8.self) }
        }
        if strings != nil {
            strings!.append(String(decoding: bytes, as: UTF8.self))
        } else if row < Self.sampleLimit {
            sample.append(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Appends the cell holding `text` (a decoded JSON string).
    mutating func appendCell(_ text: String) {
        var copy = text
        copy.withUTF8 { appendCell(CellValue.trimmed($0)) }
    }

    /// Appends a number already decoded (a binary format's float), with no text to keep.
    mutating func appendNumber(_ value: Double) {
        let row = values.count
        values.append(value)
        numberCells += 1
        if strings != nil {
            strings!.append(RunTable.Column.format(value))
        } else if row < Self.sampleLimit {
            sample.append(RunTable.Column.format(value))
        }
    }

    /// Appends a number already parsed from `text` (a JSON number: no suffix, no word).
    @inline(__always)
    mutating func appendNumber(_ value: Double, text: UnsafeBufferPointer<UInt8>) {
        let row = values.count
        values.append(value)
        numberCells += 1
        // Past the sample, a finite number of a numeric column keeps nothing but its value.
        if row >= Self.sampleLimit, value.isFinite, strings == nil { return }
        if strings != nil {
            strings!.append(String(decoding: text, as: UTF8.self))
            return
        }
        if !value.isFinite { otherText[row] = String(decoding: text, as: UTF8.self) }
        if row < Self.sampleLimit { sample.append(String(decoding: text, as: UTF8.self)) }
    }

    /// Appends an empty cell (an absent key, a JSON `null`).
    mutating func appendEmpty() {
        let row = values.count
        values.append(.nan)
        if strings != nil {
            strings!.append("")
        } else if row < Self.sampleLimit {
            sample.append("")
        }
    }

    /// Appends a JSON boolean: a text cell `true` or `false`, never a number.
    mutating func appendBool(_ flag: Bool) {
        let text = flag ? "true" : "false"
        let row = values.count
        values.append(.nan)
        textCells += 1
        if strings != nil {
            strings!.append(text)
        } else {
            otherText[row] = text
            if row < Self.sampleLimit { sample.append(text) }
        }
    }

    /// The string of every row, rebuilt from the sample, the kept text and the values.
    private func rebuiltStrings() -> [String] {
        var rebuilt: [String] = []
        rebuilt.reserveCapacity(values.count)
        for row in values.indices {
            if row < sample.count {
                rebuilt.append(sample[row])
            } else if let original = otherText[row] {
                rebuilt.append(original)
            } else {
                let value = values[row]
                rebuilt.append(value.isNaN ? "" : RunTable.Column.format(value))
            }
        }
        return rebuilt
    }

    /// The finished column.
    func build() -> RunTable.Column {
        if let strings {
            return RunTable.Column(name: name, values: values, strings: strings)
        }
        if textCells > numberCells {
            return RunTable.Column(name: name, values: values, strings: rebuiltStrings())
        }
        return RunTable.Column(name: name, values: values, nonFiniteText: otherText)
    }
}
