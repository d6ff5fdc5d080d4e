/// Starting values for parameters by name, as given to `--start`:
///
/// ```
/// E=2,A=400,alpha=0:2:0.5      alpha starts at each of 0, 0.5, 1, 1.5, 2
/// ```
///
/// A value is a single number or a grid `lo:hi:step`, the values lo + k·step for
/// k = 0, 1, … up to hi (a grid's last point is kept when rounding puts it a hair past hi).
public struct ParameterStarts: Sendable, Equatable {
    /// One parameter's starting values.
    public struct Entry: Sendable, Equatable {
        /// The parameter's name, as in the formula.
        public var name: String
        /// One value, or the grid's values in increasing order.
        public var values: [Double]
        /// The 1-based position of the name in the flag's value.
        public var position: Int
    }

    /// The most values one grid may produce; more is almost certainly a typo in the step.
    public static let maximumGridSize = 1000

    /// The flag the list came from, for errors.
    public var flag: String
    /// The starting values in the order they were given.
    public var entries: [Entry]

    /// Starting values given directly; `flag` names them in errors.
    public init(flag: String = "starts", entries: [Entry]) {
        self.flag = flag
        self.entries = entries
    }

    /// Parses `name=value,…`; each value a number or `lo:hi:step`.
    public init(parsing text: String, flag: String = "starts") throws {
        self.flag = flag
        self.entries = try NamedValueList.items(of: text, flag: flag).map { item in
            Entry(name: item.name, values: try Self.values(item, flag: flag), position: item.namePosition)
        }
    }

    /// The values given for `name`, if any.
    public subscript(name: String) -> [Double]? {
        entries.first { $0.name == name }?.values
    }

    private static func values(_ item: NamedValueList.Item, flag: String) throws -> [Double] {
        let parts = item.value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var numbers: [Double] = []
        var offset = item.valuePosition
        for part in parts {
            guard let v = NamedValueList.number(part), v.isFinite else {
                throw ScaleFitError.badArgument(flag: flag, position: offset,
                                                expected: "a finite number", found: part)
            }
            numbers.append(v)
            offset += part.unicodeScalars.count + 1
        }
        switch numbers.count {
        case 1:
            return numbers
        case 3:
            let (lo, hi, step) = (numbers[0], numbers[1], numbers[2])
            guard step > 0, hi >= lo else {
                throw ScaleFitError.badArgument(flag: flag, position: item.valuePosition,
                                                expected: "a grid lo:hi:step with lo ≤ hi and step > 0",
                                                found: item.value)
            }
            // Counted in Double: (hi − lo)/step may be far past Int (1e19, 1e20, ∞).
            let exact = ((hi - lo) / step + 1e-9).rounded(.down) + 1
            guard exact.isFinite, exact <= Double(maximumGridSize) else {
                throw ScaleFitError.badArgument(flag: flag, position: item.valuePosition,
                                                expected: "a grid of at most \(maximumGridSize) values",
                                                found: "\(item.value) (\(exact < 1e18 ? "\(Int(exact))" : "more than 10^18") values)")
            }
            let count = Int(exact)
            return (0..<count).map { Swift.min(lo + Double($0) * step, hi) }
        default:
            throw ScaleFitError.badArgument(flag: flag, position: item.valuePosition,
                                            expected: "a number or a grid lo:hi:step", found: item.value)
        }
    }
}
