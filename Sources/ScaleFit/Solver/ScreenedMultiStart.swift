import Foundation

/// Multi-start in two passes, for large grids of starts: a short screening run from every
/// start, then full runs from the best few distinct screening end points.
///
/// 1. Screening: Levenberg–Marquardt from every start, in parallel, with at most
///    `screeningEvaluations` residual evaluations and tolerances 1e-8 — enough to tell the
///    basins apart, a fraction of the cost of converging everywhere.
/// 2. Polish: the screening end points sorted by cost (ties by start index), duplicates
///    dropped (an end point within 1e-6 relative of one already taken in every coordinate
///    is the same minimum), the best `polishCount` run on to convergence with the full
///    options, in parallel. The lowest final cost among converged polished runs wins.
///
/// Deterministic like `MultiStart`: every run is written by index. The winner is a full
/// run to the full tolerances, so it is the same minimum a full run from every start finds,
/// provided the global basin's screening run is among the best `polishCount` — which is
/// why several are polished, not one.
public struct ScreenedMultiStart: Sendable {
    /// The options of the polishing runs (and the loss of the screening runs).
    public var options: SolverOptions
    /// The evaluation budget of each screening run.
    public var screeningEvaluations: Int
    /// How many distinct screening end points are polished.
    public var polishCount: Int
    public var threads: Int

    public init(options: SolverOptions = SolverOptions(), screeningEvaluations: Int = 16, polishCount: Int = 8,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.options = options
        self.screeningEvaluations = max(1, screeningEvaluations)
        self.polishCount = max(1, polishCount)
        self.threads = max(1, threads)
    }

    /// The screening options: `options` with the evaluation budget and tolerances of at
    /// least 1e-8 (gradient 1e-10).
    public var screeningOptions: SolverOptions {
        var o = options
        o.maxEvaluations = min(screeningEvaluations, options.maxEvaluations)
        o.parameterTolerance = max(options.parameterTolerance, 1e-8)
        o.gradientTolerance = max(options.gradientTolerance, 1e-10)
        return o
    }

    public func minimize<P: LeastSquaresProblem>(
        _ problem: P, starts: [[Double]], bounds: ParameterBounds? = nil, fixed: [Bool]? = nil
    ) throws -> ScreenedMultiStartResult {
        let screening = try MultiStart(solver: LevenbergMarquardt(options: screeningOptions), threads: threads)
            .minimize(problem, starts: starts, bounds: bounds, fixed: fixed)
        let order = screening.finalCosts.indices
            .filter { screening.finalCosts[$0].isFinite }
            .sorted { (screening.finalCosts[$0], $0) < (screening.finalCosts[$1], $1) }
        var chosen: [Int] = []
        for k in order {
            if chosen.count == polishCount { break }
            let x = screening.finalParameters[k]
            let duplicate = chosen.contains { c in
                zip(x, screening.finalParameters[c]).allSatisfy { abs($0 - $1) <= 1e-6 * max(abs($1), 1) }
            }
            if !duplicate { chosen.append(k) }
        }
        if chosen.isEmpty { chosen = [screening.bestStart] }
        let polished = try MultiStart(solver: LevenbergMarquardt(options: options), threads: threads)
            .minimize(problem, starts: chosen.map { screening.finalParameters[$0] }, bounds: bounds, fixed: fixed)
        return ScreenedMultiStartResult(best: polished.best, bestStart: chosen[polished.bestStart],
                                        screening: screening, polished: polished, polishedStarts: chosen)
    }
}

/// What a screened multi-start found.
public struct ScreenedMultiStartResult: Sendable {
    /// The best polished run.
    public var best: SolverResult
    /// Index of the start (in the full list) whose screening end point gave it.
    public var bestStart: Int
    /// The short runs from every start.
    public var screening: MultiStartResult
    /// The full runs from the chosen screening end points.
    public var polished: MultiStartResult
    /// The start indices the polished runs came from, best screening cost first.
    public var polishedStarts: [Int]

    /// Number of starts screened.
    public var startCount: Int { screening.finalCosts.count }
    /// How many polished runs reached (within 1e-9 relative) the best cost.
    public var polishedAtBest: Int { polished.startsAtBest }
}
