/// Turning `--start` and `--bounds` lists into vectors in the model's parameter order.
extension FormulaModel {
    /// The most starting points a start grid may expand to.
    public static let maximumStartCount = 10_000

    /// Every combination of the given starting values, in parameter order, the first
    /// parameter varying slowest:
    ///
    /// ```
    /// E=2,alpha=0:1:0.5   →   [2, 0], [2, 0.5], [2, 1]
    /// ```
    ///
    /// Throws `badArgument(flag: "--formula", position: where the parameter first appears,
    /// expected: "a --start value for this parameter", found: name)` for a parameter without a
    /// start, and `badArgument(flag: starts.flag, …)` at the name for a name that is not a
    /// parameter of the formula, or when the grid has more than `maximumStartCount` points.
    public func startingPoints(_ starts: ParameterStarts) throws -> [[Double]] {
        try checkNames(starts.entries.map { ($0.name, $0.position) }, flag: starts.flag)
        var perParameter: [[Double]] = []
        for (j, name) in parameterNames.enumerated() {
            guard let values = starts[name] else {
                throw ScaleFitError.badArgument(flag: FormulaLexer.flag, position: parameterPositions[j],
                                                expected: "a \(starts.flag) value for this parameter", found: name)
            }
            perParameter.append(values)
        }
        let total = perParameter.reduce(1.0) { $0 * Double($1.count) }
        guard total <= Double(Self.maximumStartCount) else {
            throw ScaleFitError.badArgument(flag: starts.flag, position: 0,
                                            expected: "at most \(Self.maximumStartCount) starting points",
                                            found: "\(total < 1e18 ? "\(Int(total))" : "more than 10^18") points")
        }
        var points: [[Double]] = [[]]
        for values in perParameter {
            points = points.flatMap { prefix in values.map { prefix + [$0] } }
        }
        return points
    }

    /// The box bounds in parameter order, free (±∞) where `ranges` says nothing. Throws
    /// `badArgument(flag: ranges.flag, …)` at a name that is not a parameter of the formula.
    public func parameterBounds(_ ranges: ParameterRanges) throws -> ParameterBounds {
        try checkNames(ranges.entries.map { ($0.name, $0.position) }, flag: ranges.flag)
        var bounds = ParameterBounds.unbounded(parameterNames.count)
        for entry in ranges.entries {
            let j = parameterNames.firstIndex(of: entry.name)!
            bounds.lower[j] = entry.lower
            bounds.upper[j] = entry.upper
        }
        return bounds
    }

    private func checkNames(_ names: [(String, Int)], flag: String) throws {
        for (name, position) in names where !parameterNames.contains(name) {
            let what = variableNames.contains(name) ? " (\(name) is a data column)" : ""
            throw ScaleFitError.badArgument(
                flag: flag, position: position,
                expected: "a parameter of the formula (\(parameterNames.joined(separator: ", ")))\(what)",
                found: name)
        }
    }
}
