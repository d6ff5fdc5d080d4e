import Foundation
import ScaleFit

/// What `--fix`, `--bounds`, `--starts` and `--max-evaluations` make of a curve fit: the
/// starts, the box, the fixed parameters and the evaluation budget. A parameter name the
/// law does not have is a usage error (64) listing the law's names.
struct CurveSearch {
    var starts: [[Double]]
    var bounds: ParameterBounds
    var fixed: [Bool]
    var options: SolverOptions

    /// `NAME=V,…` (or `F.NAME=V` for multilingual) as names and finite values, in order.
    static func namedValues(_ text: String, flag: String) throws -> [(name: String, value: Double)] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let item = part.trimmingCharacters(in: .whitespaces)
            let pieces = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, !pieces[0].isEmpty, let value = Double(pieces[1]), value.isFinite else {
                throw UsageError(message: "\(flag): expected NAME=VALUE (a finite number), found \"\(item)\"")
            }
            return (pieces[0], value)
        }
    }

    /// The index of `name` among `law`'s parameters, or a usage error naming the flag, the
    /// law and its parameters.
    static func index(of name: String, in law: CurveLaw, flag: String) throws -> Int {
        guard let k = law.parameterNames.firstIndex(of: name) else {
            let hint = nearest(name, in: law.parameterNames).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "\(flag): the \(law.identifier) law has no parameter \"\(name)\" (its parameters: \(law.parameterNames.joined(separator: ", ")))\(hint)")
        }
        return k
    }

    /// The search for `law` on `curves` under the command line's options.
    init(_ args: ParsedArguments, law: CurveLaw, curves: [LossCurve], options: SolverOptions) throws {
        let n = law.parameterNames.count
        var box = law.bounds(for: curves)
        if let ranges = try args.value(FormulaOptions.bounds) {
            for entry in ranges.entries {
                let k = try Self.index(of: entry.name, in: law, flag: "--bounds")
                box.lower[k] = entry.lower
                box.upper[k] = entry.upper
            }
        }
        var held = [Bool](repeating: false, count: n), values = [Double](repeating: 0, count: n)
        if let text = args.text(MultilingualOptions.fix) {
            for (name, value) in try Self.namedValues(text, flag: "--fix") {
                let k = try Self.index(of: name, in: law, flag: "--fix")
                held[k] = true
                values[k] = value
                // A held value outside the box is the user's choice: the box widens to it.
                box.lower[k] = min(box.lower[k], value)
                box.upper[k] = max(box.upper[k], value)
            }
        }
        var grid = law.startingGrid(for: curves)
        if let count = try args.value(CurveOptions.starts) {
            grid = CurveFit.starts(grid, count: count, bounds: box)
        }
        for k in 0..<n where held[k] {
            for i in grid.indices { grid[i][k] = values[k] }
        }
        var o = options
        if let budget = try args.value(CurveOptions.maxEvaluations) { o.maxEvaluations = budget }
        self.starts = grid
        self.bounds = box
        self.fixed = held
        self.options = o
    }

    /// The multi-start fit of `curves` with this search.
    func fit(_ law: CurveLaw, _ curves: [LossCurve]) throws -> CurveFit.Result {
        try law.fit(curves, options: options, starts: starts, bounds: bounds, fixed: fixed.contains(true) ? fixed : nil)
    }
}
