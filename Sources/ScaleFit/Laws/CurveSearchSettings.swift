import Foundation

/// How a loss-curve law's fit searches beyond the law's own grid and box: parameters held
/// at values, bounds that replace the law's box for the parameters they name, the number of
/// starts screened, and the evaluation budget of each polishing run.
///
/// ```
/// box_j     = bounds[name_j] when given, else the law's box;  widened to a held value outside it
/// starts    = CurveFit.starts(grid, count: startCount, bounds: box), each held θ_j written in
/// fixed_j   = name_j is held
/// budget    = maxEvaluations (2000 by default; the screening runs take at most 20)
/// ```
///
/// A law takes them through `searching(_:)` (`AnnealingLaw`, `MultiPowerLaw`), which checks
/// every name against the law's parameters; `Fit` then searches with them.
public struct CurveSearchSettings: Sendable, Equatable {
    /// A parameter held at a value during the fit.
    public struct Held: Sendable, Equatable {
        /// The parameter's name, as the law names it.
        public var name: String
        /// The value it is held at (finite).
        public var value: Double
        /// `name` held at `value`.
        public init(name: String, value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// The parameters held at values, in the order given (the argument `fixed`).
    public var held: [Held]
    /// Bounds replacing the law's box for the parameters they name (the argument `bounds`).
    public var bounds: ParameterRanges?
    /// The number of starts screened (the argument `startCount`): fewer than the law's grid
    /// are spread over it, more add seeded points around it (`CurveFit.starts`); nil for the grid.
    public var startCount: Int?
    /// The evaluation budget of each polishing run (the argument `maxEvaluations`); nil for
    /// `CurveFit.defaultOptions`' 2000.
    public var maxEvaluations: Int?

    /// Settings; by default the law's own grid, box and budget, nothing held.
    public init(held: [Held] = [], bounds: ParameterRanges? = nil, startCount: Int? = nil, maxEvaluations: Int? = nil) {
        self.held = held
        self.bounds = bounds
        self.startCount = startCount
        self.maxEvaluations = maxEvaluations
    }

    /// True when nothing differs from the law's own search.
    public var isDefault: Bool { self == CurveSearchSettings() }

    /// Checks the settings against a law's parameter names.
    /// - Throws: `ScaleFitError.badArgument` naming the argument (`bounds`, `fixed`,
    ///   `startCount`, `maxEvaluations`) for a name the law does not have (its parameters
    ///   in `expected`, the name in `found`), a held value that is not finite, or a count
    ///   below 1.
    public func check(parameterNames names: [String], law: String) throws {
        let expected = "a parameter of the \(law) law (\(names.joined(separator: ", ")))"
        for entry in bounds?.entries ?? [] where !names.contains(entry.name) {
            throw ScaleFitError.badArgument(flag: "bounds", position: entry.position, expected: expected, found: entry.name)
        }
        for h in held {
            guard names.contains(h.name) else {
                throw ScaleFitError.badArgument(flag: "fixed", position: 0, expected: expected, found: h.name)
            }
            guard h.value.isFinite else {
                throw ScaleFitError.badArgument(flag: "fixed", position: 0, expected: "a finite value for \(h.name)", found: "\(h.value)")
            }
        }
        if let n = startCount, n < 1 {
            throw ScaleFitError.badArgument(flag: "startCount", position: 0, expected: "at least 1 start", found: "\(n)")
        }
        if let n = maxEvaluations, n < 1 {
            throw ScaleFitError.badArgument(flag: "maxEvaluations", position: 0, expected: "at least 1 evaluation", found: "\(n)")
        }
    }

    /// `box` with the named bounds in place, then widened to every held value outside it
    /// (a held value is the user's choice).
    public func bounds(_ box: ParameterBounds, names: [String]) -> ParameterBounds {
        var box = box
        for entry in bounds?.entries ?? [] {
            guard let k = names.firstIndex(of: entry.name) else { continue }
            box.lower[k] = entry.lower
            box.upper[k] = entry.upper
        }
        for h in held {
            guard let k = names.firstIndex(of: h.name) else { continue }
            box.lower[k] = min(box.lower[k], h.value)
            box.upper[k] = max(box.upper[k], h.value)
        }
        return box
    }

    /// Which parameters are held, or nil when none is.
    public func fixed(names: [String]) -> [Bool]? {
        guard !held.isEmpty else { return nil }
        let heldNames = Set(held.map(\.name))
        let mask = names.map { heldNames.contains($0) }
        return mask.contains(true) ? mask : nil
    }

    /// The starts from the law's `grid`: `startCount` of them (`CurveFit.starts` in `box`),
    /// every held parameter at its value.
    public func starts(_ grid: [[Double]], names: [String], bounds box: ParameterBounds) -> [[Double]] {
        var out = startCount.map { CurveFit.starts(grid, count: $0, bounds: box) } ?? grid
        for h in held {
            guard let k = names.firstIndex(of: h.name) else { continue }
            for i in out.indices { out[i][k] = h.value }
        }
        return out
    }

    /// `options` with the polishing runs' budget.
    public func options(_ options: SolverOptions) -> SolverOptions {
        var o = options
        if let n = maxEvaluations { o.maxEvaluations = n }
        return o
    }
}
