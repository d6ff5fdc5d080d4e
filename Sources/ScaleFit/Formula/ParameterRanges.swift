/// Box bounds for parameters by name, as given to `--bounds`:
///
/// ```
/// alpha=0:2,beta=0:,E=-inf:10      0 ≤ alpha ≤ 2,  beta ≥ 0,  E ≤ 10
/// ```
///
/// Each side is a number, `inf`/`-inf`, or empty for no bound on that side.
public struct ParameterRanges: Sendable, Equatable {
    /// One parameter's bounds: lower ≤ θ ≤ upper.
    public struct Entry: Sendable, Equatable {
        /// The parameter's name, as in the formula.
        public var name: String
        /// The lower bound (−∞ when the side is empty or `-inf`).
        public var lower: Double
        /// The upper bound (+∞ when the side is empty or `inf`).
        public var upper: Double
        /// The 1-based position of the name in the flag's value.
        public var position: Int
    }

    /// The flag the list came from, for errors.
    public var flag: String
    /// The bounds in the order they were given.
    public var entries: [Entry]

    /// Bounds given directly; `flag` names them in errors.
    public init(flag: String = "bounds", entries: [Entry]) {
        self.flag = flag
        self.entries = entries
    }

    /// Parses `name=lo:hi,…`.
    public init(parsing text: String, flag: String = "bounds") throws {
        self.flag = flag
        self.entries = try NamedValueList.items(of: text, flag: flag).map { item in
            let parts = item.value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else {
                throw ScaleFitError.badArgument(flag: flag, position: item.valuePosition,
                                                expected: "lo:hi", found: item.value)
            }
            let trimmed = parts.map(NamedValueList.trimmed)
            let lower = trimmed[0].isEmpty ? -.infinity : NamedValueList.number(trimmed[0])
            let upper = trimmed[1].isEmpty ? .infinity : NamedValueList.number(trimmed[1])
            guard let lower, lower != .infinity else {
                throw ScaleFitError.badArgument(flag: flag, position: item.valuePosition,
                                                expected: "a lower bound (a number, -inf or nothing)", found: parts[0])
            }
            let upperPosition = item.valuePosition + parts[0].unicodeScalars.count + 1
            guard let upper, upper != -.infinity else {
                throw ScaleFitError.badArgument(flag: flag, position: upperPosition,
                                                expected: "an upper bound (a number, inf or nothing)", found: parts[1])
            }
            guard lower <= upper else {
                throw ScaleFitError.badArgument(flag: flag, position: item.valuePosition,
                                                expected: "lo ≤ hi", found: item.value)
            }
            return Entry(name: item.name, lower: lower, upper: upper, position: item.namePosition)
        }
    }
}
