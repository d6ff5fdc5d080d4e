/// The rows a law could not use, counted and quoted so that none is lost silently:
/// `dropped 3 rows: line 17 loss="nan", line 20 N="", line 31 loss="inf"`.
public struct DroppedRows: Sendable, Equatable {
    /// How many examples are kept: enough to see the pattern, few enough for one line.
    public static let exampleLimit = 5

    /// The number of rows dropped.
    public var count: Int
    /// The first `exampleLimit` of them as `line 17 loss="nan"`, each bad cell with its
    /// original text (`""` for an empty cell).
    public var examples: [String]

    /// A report of `count` rows with the given examples.
    public init(count: Int = 0, examples: [String] = []) {
        self.count = count
        self.examples = examples
    }

    /// True when no row was dropped.
    public var isEmpty: Bool { count == 0 }

    /// Records one more dropped row, described by `example`.
    mutating func record(_ example: @autoclosure () -> String) {
        count += 1
        if examples.count < Self.exampleLimit { examples.append(example()) }
    }
}

extension DroppedRows: CustomStringConvertible {
    /// `dropped 3 rows: line 17 loss="nan", …` (with `, …` when there are more than the
    /// examples), or "" when nothing was dropped.
    public var description: String {
        guard count > 0 else { return "" }
        let more = count > examples.count ? ", …" : ""
        return "dropped \(count) row\(count == 1 ? "" : "s"): " + examples.joined(separator: ", ") + more
    }
}
