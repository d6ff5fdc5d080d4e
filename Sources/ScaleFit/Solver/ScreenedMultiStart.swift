import Foundation

/// The one multi-start search every law's fit uses: a short screening run from every start,
/// then full runs from the best few distinct screening end points.
///
/// 1. Screening: Levenberg–Marquardt from every start, in parallel, with at most
///    `screeningEvaluations` residual evaluations and tolerances of at least 1e-8 (gradient
///    1e-10; the cost test at `screeningFunctionTolerance` when one is given) — enough to
///    tell the basins apart, a fraction of the cost of converging everywhere. The screening
///    may run on a cheaper `screeningProblem` with the same parameters (the multi-power law
///    screens with a looser loss-drop tolerance).
/// 2. Polish: the screening end points sorted by (cost, start index), non-finite ones
///    dropped, duplicates removed by `selection`, each remaining end run on to convergence
///    with the full options, in parallel. The lowest final cost among converged polished
///    runs wins (among all polished runs if none converged; ties to the better screening
///    rank). With `.bestOrScreening` only the screening's best run is polished, and it wins
///    instead when the polish ends above it.
///
/// 3. Staged (`minimize(_:screeningProblem:reducedProblem:…)`, the loss-curve laws on a long
///    schedule logged sparsely): the polish runs on a reduced problem (the same fit on a
///    coarser schedule), and its best end — with the next distinct one when it is within
///    `refinementCostRatio` of its cost — is run on to convergence on the problem itself.
///    Every run of a staged search stops at rounding level (`SolverOptions.stopsAtNoiseLevel`):
///    the polish is corrected and refined after it, and the refinement starts at the minimum.
///
/// Deterministic: every run is written by index, so the answer does not depend on the
/// number of threads. The winner is a full run to the full tolerances, so it is the minimum
/// a full run from every start finds provided the global basin's screening run is among the
/// polished ones — which is why several are polished, not one.
public struct ScreenedMultiStart: Sendable {
    /// Which screening end points are polished.
    public enum PolishSelection: Sendable, Equatable {
        /// The best `count` pairwise distinct ends: an end within `tolerance`·max(|x|, 1) of
        /// an already chosen one in every coordinate is the same minimum and is skipped, and
        /// the next is considered, until `count` are chosen (Chinchilla's 4500-start grid).
        case bestDistinct(count: Int, tolerance: Double)
        /// Of the best `count` ends, those not within `tolerance`·max(|a|, |b|) of a better
        /// one in every coordinate (the loss-curve laws: a polish costs a whole run, so at
        /// most `count` runs, fewer when the best ends coincide).
        case distinctAmongBest(count: Int, tolerance: Double)
        /// The screening's best run (converged before not converged, then the lowest cost,
        /// `MultiStart`'s order), polished, unless the polish ends above it (a polish from an
        /// end that has already converged can end a few bits higher): then the screening run
        /// is the winner. Only for a search whose screening runs on the problem itself (the
        /// multilingual families: 2000-evaluation screens that mostly converge).
        case bestOrScreening
    }

    /// The options of the polishing runs (and the loss of the screening runs).
    public var options: SolverOptions
    /// The evaluation budget of each screening run.
    public var screeningEvaluations: Int
    /// The screening runs' cost tolerance (at least the polish's); nil keeps the polish's.
    public var screeningFunctionTolerance: Double?
    /// Which screening end points go on to a full polishing run.
    public var selection: PolishSelection
    /// Worker threads for the screening and the polishing runs (at least one).
    public var threads: Int

    /// The Chinchilla-style search: screening runs of at most `screeningEvaluations` evaluations,
    /// then full runs from the best `polishCount` distinct ends (`.bestDistinct` with tolerance 1e-6).
    public init(options: SolverOptions = SolverOptions(), screeningEvaluations: Int = 16, polishCount: Int = 8,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.init(options: options, screeningEvaluations: screeningEvaluations,
                  selection: .bestDistinct(count: polishCount, tolerance: 1e-6), threads: threads)
    }

    /// The search with an explicit `selection` of the ends to polish; counts and the evaluation
    /// budget below 1 are raised to 1.
    public init(options: SolverOptions, screeningEvaluations: Int, screeningFunctionTolerance: Double? = nil,
                selection: PolishSelection, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.options = options
        self.screeningEvaluations = max(1, screeningEvaluations)
        self.screeningFunctionTolerance = screeningFunctionTolerance
        switch selection {
        case let .bestDistinct(count, tolerance): self.selection = .bestDistinct(count: max(1, count), tolerance: tolerance)
        case let .distinctAmongBest(count, tolerance): self.selection = .distinctAmongBest(count: max(1, count), tolerance: tolerance)
        case .bestOrScreening: self.selection = .bestOrScreening
        }
        self.threads = max(1, threads)
    }

    /// How many ends are polished at most.
    public var polishCount: Int {
        switch selection {
        case let .bestDistinct(count, _), let .distinctAmongBest(count, _): return count
        case .bestOrScreening: return 1
        }
    }

    /// The screening options: `options` with the evaluation budget and tolerances of at
    /// least 1e-8 (gradient 1e-10).
    public var screeningOptions: SolverOptions {
        var o = options
        o.maxEvaluations = min(screeningEvaluations, options.maxEvaluations)
        if let f = screeningFunctionTolerance { o.functionTolerance = max(options.functionTolerance, f) }
        o.parameterTolerance = max(options.parameterTolerance, 1e-8)
        o.gradientTolerance = max(options.gradientTolerance, 1e-10)
        return o
    }

    /// Screens and polishes on `problem` itself: the best polished run, with the screening's
    /// results. Throws as `MultiStart.minimize` does.
    public func minimize<P: LeastSquaresProblem>(
        _ problem: P, starts: [[Double]], bounds: ParameterBounds? = nil, fixed: [Bool]? = nil
    ) throws -> ScreenedMultiStartResult {
        try minimize(problem, screeningProblem: problem, starts: starts, bounds: bounds, fixed: fixed)
    }

    /// How many of the polished ends of a staged search (`minimize(_:screeningProblem:reducedProblem:…)`)
    /// are run on to convergence on the problem itself: the best, and the next distinct one
    /// when its cost is within `refinementCostRatio` of the best (two cores run two at once).
    public static let refinementCount = 2
    /// A polished end of a staged search whose cost on the reduced problem is at most this
    /// times the best is refined too (a reduced problem can swap the order of near-equal minima).
    public static let refinementCostRatio = 1.001

    /// The search with the screening runs on `screeningProblem` (same parameters as `problem`).
    /// With a `reducedProblem` (the same fit on fewer points or change points; the loss-curve
    /// laws' dense logs and long schedules) the search is staged: the polish runs on it, and
    /// then the best polished end (and the next distinct one within `refinementCostRatio` of its
    /// cost) is run on to convergence on `problem` — from a minimum of the reduced problem a
    /// few evaluations of the full one, where polishing on it took hundreds. The winner is the
    /// best refined run, so the answer is a full run on `problem` to the full tolerances.
    public func minimize<P: LeastSquaresProblem, S: LeastSquaresProblem>(
        _ problem: P, screeningProblem: S, reducedProblem: S?, starts: [[Double]],
        bounds: ParameterBounds? = nil, fixed: [Bool]? = nil
    ) throws -> ScreenedMultiStartResult {
        guard let reducedProblem else {
            return try minimize(problem, screeningProblem: screeningProblem, starts: starts, bounds: bounds, fixed: fixed)
        }
        // Every run from here on stops where its steps drown in rounding: the polished ends
        // are corrected and refined, and the refinement starts at the minimum to a few ulps.
        var noiseStopped = self
        noiseStopped.options.stopsAtNoiseLevel = true
        let staged = try noiseStopped.minimize(reducedProblem, screeningProblem: screeningProblem, starts: starts, bounds: bounds, fixed: fixed)
        let polished = staged.polished
        let bestCost = polished.best.cost
        var chosen: [Int] = []
        for k in polished.rankedStarts where chosen.count < Self.refinementCount {
            let end = polished.finalParameters[k]
            if chosen.contains(where: { Self.coincide(polished.finalParameters[$0], end, tolerance: 1e-6) }) { continue }
            if chosen.isEmpty || polished.finalCosts[k] <= Self.refinementCostRatio * bestCost { chosen.append(k) }
        }
        if chosen.isEmpty { chosen = [polished.bestStart] }
        let solver = LevenbergMarquardt(options: noiseStopped.options)
        // Each end corrected on its own worker (the corrections of two ends are two runs).
        let polishedEnds = chosen.map { polished.finalParameters[$0] }
        let ends = concurrentResults(count: polishedEnds.count, threads: threads) { k in
            Self.corrected(polishedEnds[k], problem: problem, reduced: reducedProblem, solver: solver, bounds: bounds, fixed: fixed)
        }.enumerated().map { $0.element ?? polishedEnds[$0.offset] }
        let refined = try MultiStart(solver: solver, threads: threads)
            .minimize(problem, starts: ends, bounds: bounds, fixed: fixed)
        var result = staged
        result.best = refined.best
        result.bestStart = staged.polishedStarts[chosen[refined.bestStart]]
        result.refined = refined
        return result
    }

    /// Defect corrections of a reduced problem's minimum before its refinement: while they
    /// help (at most `defectCorrections` times), the reduced problem with its residuals shifted
    /// by r(x) − r_reduced(x) at the current x (one residual evaluation of the full problem) is
    /// minimized from x. Its minimum is where the reduced problem's Jacobian meets the full
    /// problem's residuals, nearer the full minimum than the reduced one is, found at the
    /// reduced problem's cost. Only for problems of the same residuals (a coarser schedule on
    /// the same points); a step that does not lower the full problem's cost is not taken.
    static func corrected<P: LeastSquaresProblem, S: LeastSquaresProblem>(
        _ start: [Double], problem: P, reduced: S, solver: LevenbergMarquardt, bounds: ParameterBounds?, fixed: [Bool]?
    ) -> [Double] {
        guard problem.residualCount == reduced.residualCount else { return start }
        let m = problem.residualCount
        var x = start
        var full = [Double](repeating: 0, count: m), coarse = full
        problem.residuals(at: x, into: &full)
        var cost = solver.options.loss.cost(of: full)
        for _ in 0..<defectCorrections {
            reduced.residuals(at: x, into: &coarse)
            let shift = (0..<m).map { full[$0] - coarse[$0] }
            guard shift.allSatisfy(\.isFinite),
                  let run = try? solver.minimize(ShiftedProblem(base: reduced, shift: shift), from: x, bounds: bounds, fixed: fixed)
            else { break }
            var next = full
            problem.residuals(at: run.parameters, into: &next)
            let nextCost = solver.options.loss.cost(of: next)
            guard nextCost < cost else { break }
            x = run.parameters; full = next; cost = nextCost
        }
        return x
    }
    /// Whether two end points are the same minimum: within `tolerance`·max(|a|, |b|) in every
    /// coordinate.
    static func coincide(_ a: [Double], _ b: [Double], tolerance: Double) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(abs($0), abs($1)) }
    }
    /// At most this many defect corrections (`corrected`) before a refinement.
    public static let defectCorrections = 4

    /// The search with the screening runs on `screeningProblem` (same parameters as `problem`).
    public func minimize<P: LeastSquaresProblem, S: LeastSquaresProblem>(
        _ problem: P, screeningProblem: S, starts: [[Double]], bounds: ParameterBounds? = nil, fixed: [Bool]? = nil
    ) throws -> ScreenedMultiStartResult {
        let screening = try MultiStart(solver: LevenbergMarquardt(options: screeningOptions), threads: threads)
            .minimize(screeningProblem, starts: starts, bounds: bounds, fixed: fixed)
        let order = screening.finalCosts.indices
            .filter { screening.finalCosts[$0].isFinite }
            .sorted { (screening.finalCosts[$0], $0) < (screening.finalCosts[$1], $1) }
        let ends = screening.finalParameters
        var chosen: [Int] = []
        switch selection {
        case let .bestDistinct(count, tolerance):
            for k in order {
                if chosen.count == count { break }
                let duplicate = chosen.contains { c in
                    zip(ends[k], ends[c]).allSatisfy { abs($0 - $1) <= tolerance * max(abs($1), 1) }
                }
                if !duplicate { chosen.append(k) }
            }
        case let .distinctAmongBest(count, tolerance):
            for k in order.prefix(count) where !chosen.contains(where: { Self.coincide(ends[$0], ends[k], tolerance: tolerance) }) {
                chosen.append(k)
            }
        case .bestOrScreening:
            chosen = [screening.bestStart]
        }
        if chosen.isEmpty { chosen = [screening.bestStart] }
        let polished = try MultiStart(solver: LevenbergMarquardt(options: options), threads: threads)
            .minimize(problem, starts: chosen.map { ends[$0] }, bounds: bounds, fixed: fixed)
        // A polish that ends above the screening run it started from (at the last bits, where a
        // refinement step can cost a little more than it gains) does not replace it.
        if selection == .bestOrScreening, screening.best.cost < polished.best.cost {
            return ScreenedMultiStartResult(best: screening.best, bestStart: screening.bestStart,
                                            screening: screening, polished: polished, polishedStarts: chosen)
        }
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
    /// A staged search's runs on the full problem from the best polished ends (whose problem
    /// was the reduced one); nil for a search polished on the problem itself.
    public var refined: MultiStartResult? = nil

    /// Number of starts screened.
    public var startCount: Int { screening.finalCosts.count }
    /// How many polished runs reached (within 1e-9 relative) the best cost.
    public var polishedAtBest: Int { polished.startsAtBest }
    /// How many polished runs converged.
    public var polishedConverged: Int { polished.converged.filter { $0 }.count }
}

/// A problem's residuals plus a fixed shift (`ScreenedMultiStart.corrected`); the Jacobian is the problem's.
struct ShiftedProblem<Base: LeastSquaresProblem>: LeastSquaresProblem {
    let base: Base
    let shift: [Double]
    var parameterCount: Int { base.parameterCount }
    var residualCount: Int { base.residualCount }
    func residuals(at x: [Double], into r: inout [Double]) {
        base.residuals(at: x, into: &r)
        for i in r.indices { r[i] += shift[i] }
    }
    func jacobian(at x: [Double], into j: inout Matrix) { base.jacobian(at: x, into: &j) }
    var prefersJointEvaluation: Bool { base.prefersJointEvaluation }
    func residualsAndJacobian(at x: [Double], residuals r: inout [Double], jacobian j: inout Matrix) {
        base.residualsAndJacobian(at: x, residuals: &r, jacobian: &j)
        for i in r.indices { r[i] += shift[i] }
    }
}
