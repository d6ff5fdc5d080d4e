extension RunTable {
    /// One named column of a `RunTable`: a numeric value for every row and, for a text
    /// column, the cell strings too.
    ///
    /// A numeric column stores only `Double`s; the original text is kept for the cells whose
    /// value is not a finite number (`nan`, `inf`, `NA`…), so a report can quote it, while an
    /// empty or absent cell is NaN with no text. That keeps a million-row column at eight
    /// bytes a row.
    public struct Column: Sendable, Equatable {
        /// Whether a column holds numbers or text.
        public enum Kind: String, Sendable, Equatable {
            /// Most non-empty cells are numbers (the others, kept as text, are NaN).
            case numeric
            /// A label column (run names, language families), or more text than numbers.
            case text
        }

        /// The column's name as written in the header (or the flattened JSON key).
        public let name: String
        /// Numeric or text.
        public let kind: Kind
        /// The value of every row; NaN where the cell is empty, missing or not a number.
        public internal(set) var values: [Double]
        /// For a text column, the trimmed text of every row ("" where empty); nil for a
        /// numeric column.
        public internal(set) var strings: [String]?
        /// The original text of the numeric column's cells whose value is not a finite
        /// number (`nan`, `inf`, and text such as `oops` or `true`, which are NaN), by row.
        /// Empty cells have no entry.
        public internal(set) var nonFiniteText: [Int: String]

        /// A column from its parts; `strings`, when given, must have one entry per value.
        public init(name: String, values: [Double], strings: [String]? = nil,
                    nonFiniteText: [Int: String] = [:]) {
            precondition(strings == nil || strings!.count == values.count,
                         "a text column needs one string per value")
            self.name = name
            self.kind = strings == nil ? .numeric : .text
            self.values = values
            self.strings = strings
            self.nonFiniteText = nonFiniteText
        }

        /// The number of rows.
        public var count: Int { values.count }

        /// True when the cell at `row` is empty or was absent (a JSON key not present, `null`).
        public func isEmpty(at row: Int) -> Bool {
            if let strings { return strings[row].isEmpty }
            return values[row].isNaN && nonFiniteText[row] == nil
        }

        /// The cell's text: the string of a text column, the original text of a non-finite
        /// cell, "" for an empty cell, or else the value written back (integers without `.0`).
        public func text(at row: Int) -> String {
            if let strings { return strings[row] }
            if let original = nonFiniteText[row] { return original }
            let value = values[row]
            if value.isNaN { return "" }
            return Self.format(value)
        }

        /// `value` as a cell would most likely have written it: integers without a fraction.
        static func format(_ value: Double) -> String {
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        }

        /// Equal when name, kind, text and values agree, a NaN value matching a NaN (an empty
        /// cell equals an empty cell), so two reads of one file compare equal.
        public static func == (lhs: Column, rhs: Column) -> Bool {
            lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.strings == rhs.strings
                && lhs.nonFiniteText == rhs.nonFiniteText && lhs.values.count == rhs.values.count
                && zip(lhs.values, rhs.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }

        /// The column restricted to `rows`, in that order.
        func selecting(_ rows: [Int]) -> Column {
            var text: [Int: String] = [:]
            if !nonFiniteText.isEmpty {
                for (newRow, oldRow) in rows.enumerated() {
                    if let original = nonFiniteText[oldRow] { text[newRow] = original }
                }
            }
            return Column(name: name, values: rows.map { values[$0] },
                          strings: strings.map { all in rows.map { all[$0] } },
                          nonFiniteText: text)
        }
    }
}

extension RunTable {
    /// A label per row for residual tables: the text of `column` (a run column) as written,
    /// or `line K` when there is none or the table has no such column.
    public func rowLabels(column: String?) -> [String] {
        column.flatMap { self.column(named: $0) }.map { c in lineNumbers.indices.map { c.text(at: $0) } }
            ?? lineNumbers.map { "line \($0)" }
    }
}
