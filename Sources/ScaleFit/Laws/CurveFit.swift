import Foundation

/// Fitting loss-curve laws: the default options and a multi-start driver.
///
/// ```swift
/// let curves = [try LossCurve(name: "cosine", schedule: cosine, steps: s1, losses: l1), …]
/// let problem = try CurveFitProblem(law: MultiPowerLaw(), curves: curves)
/// let fit = try CurveFit.fit(problem)          // documented grid, Huber δ = 1e-3 on log L
/// fit.parameters; fit.summary.message
/// MultiPowerLaw().predict(schedule: wsd, steps: [1000, 24000], parameters: fit.parameters)
/// ```
public enum CurveFit {
    /// Huber δ = 1e-3 on the log-loss residuals (the multi-power-law paper's objective).
    public static var defaultOptions: SolverOptions {
        var options = SolverOptions(loss: .huber(scale: 1e-3))
        options.maxEvaluations = 2_000
        return options
    }

    /// The best of several Levenberg–Marquardt runs.
    public struct Result: Sendable {
        public var parameterNames: [String]
        public var parameters: [Double]
        /// ½·Σρ(r²) at `parameters` (Σ Huber_δ(r) with the default loss).
        public var cost: Double
        /// The winning run (its summary says whether and why it converged).
        public var best: SolverResult
        public var summary: FitSummary { best.summary }
        /// Which start won, how many were screened, how many distinct screened ends were
        /// polished, and how many of those converged.
        public var startIndex: Int
        public var startsTried: Int
        public var startsConverged: Int
        public var startsPolished: Int
    }

    /// Options for the screening pass over the grid: a short run per start (at most
    /// `evaluations` residual evaluations, tolerances 1e-8), enough to rank the basins: the
    /// starts that reach the best basin converge there in 10–15 evaluations on the perf
    /// families and the real curves, and 20 (or 30, or 60) pick the same optima.
    public static func screeningOptions(from options: SolverOptions, evaluations: Int = 20) -> SolverOptions {
        var screening = options
        screening.maxEvaluations = min(evaluations, options.maxEvaluations)
        screening.functionTolerance = max(options.functionTolerance, 1e-8)
        screening.parameterTolerance = max(options.parameterTolerance, 1e-8)
        screening.gradientTolerance = max(options.gradientTolerance, 1e-10)
        return screening
    }

    /// The multi-start fit, in two passes: every start gets a short screening run
    /// (`screeningOptions`, on the law's `screeningLaw`), then the distinct ends among the
    /// `polish` best of those are run on with `options` to convergence, and the lowest final
    /// cost wins (converged runs preferred; runs that throw or end non-finite are skipped).
    /// The runs of each pass are spread over the cores (`DispatchQueue.concurrentPerform`);
    /// each writes only its own slot and the ranking is by (cost, start index), so the result
    /// does not depend on the number of threads.
    public static func fit<Law: LossCurveLaw>(
        _ problem: CurveFitProblem<Law>, starts: [[Double]]? = nil, bounds: ParameterBounds? = nil,
        fixed: [Bool]? = nil, options: SolverOptions = CurveFit.defaultOptions, polish: Int = 3
    ) throws -> Result {
        let grid = starts ?? problem.law.startingGrid(for: problem.curves)
        let box = bounds ?? problem.law.defaultBounds
        let screen = LevenbergMarquardt(options: screeningOptions(from: options))
        let screening = problem.replacingLaw(problem.law.screeningLaw)
        let screenRuns = runInParallel(grid.count) { index in
            try? screen.minimize(screening, from: box.clamp(grid[index]), bounds: box, fixed: fixed)
        }
        var screened: [(cost: Double, index: Int, end: [Double])] = []
        for (index, run) in screenRuns.enumerated() {
            guard let run, run.cost.isFinite else { continue }
            screened.append((run.cost, index, run.parameters))
        }
        screened.sort { ($0.cost, $0.index) < ($1.cost, $1.index) }
        let solver = LevenbergMarquardt(options: options)
        // The best `polish` screened ends, less those that ended in the same place as a
        // better one (relative difference ≤ 1e-3 in every parameter): polishing a duplicate
        // costs a whole run and finds the same minimum.
        let candidates = screened.prefix(max(polish, 1)).reduce(into: [(cost: Double, index: Int, end: [Double])]()) {
            kept, entry in
            let duplicate = kept.contains { better in
                zip(better.end, entry.end).allSatisfy { abs($0 - $1) <= 1e-3 * max(abs($0), abs($1)) }
            }
            if !duplicate { kept.append(entry) }
        }
        let polished = runInParallel(candidates.count) { i in
            try? solver.minimize(problem, from: candidates[i].end, bounds: box, fixed: fixed)
        }
        var best: (result: SolverResult, index: Int)? = nil
        var converged = 0
        for (candidate, polishedRun) in zip(candidates, polished) {
            guard let run = polishedRun, run.cost.isFinite else { continue }
            if run.summary.converged { converged += 1 }
            if let current = best {
                let better = (run.summary.converged && !current.result.summary.converged)
                    || (run.summary.converged == current.result.summary.converged && run.cost < current.result.cost)
                if !better { continue }
            }
            best = (run, candidate.index)
        }
        guard let winner = best else {
            throw ScaleFitError.fitFailed(reason: "none of the \(grid.count) starting points gave a finite fit")
        }
        return Result(parameterNames: problem.law.parameterNames, parameters: winner.result.parameters,
                      cost: winner.result.cost, best: winner.result, startIndex: winner.index,
                      startsTried: grid.count, startsConverged: converged, startsPolished: candidates.count)
    }
}

extension CurveFit {
    /// `body(i)` for i in 0..<count on all cores, the answers in index order.
    static func runInParallel(_ count: Int, _ body: @Sendable (Int) -> SolverResult?) -> [SolverResult?] {
        var results = [SolverResult?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: count) { i in slots[i] = body(i) }
        }
        return results
    }
}

extension AnnealingLaw {
    /// 54 starts: L0 ∈ {0.5m, 0.8m, 0.95m} × A ∈ {0.3, 1, 3} × α ∈ {0.3, 0.6, 1} ×
    /// C ∈ {0.1, 1} (× λ = 0.999 when fitted), m the smallest observed loss. S1 is O(1–10)
    /// for η ≈ 1e-4 and 1e4 steps, and S2 at most Δη/(1 − λ) ≈ 0.3, so these span the
    /// plausible magnitudes of each term.
    public func startingGrid(for curves: [LossCurve]) -> [[Double]] {
        let m = curves.flatMap(\.losses).min() ?? 1
        var grid: [[Double]] = []
        for l0 in [0.5 * m, 0.8 * m, 0.95 * m] {
            for a in [0.3, 1, 3] { for alpha in [0.3, 0.6, 1.0] { for c in [0.1, 1.0] {
                grid.append(momentum == .fitted ? [l0, a, alpha, c, 0.999] : [l0, a, alpha, c])
            }}}
        }
        return grid
    }
}

extension MultiPowerLaw {
    /// 12 starts: L0 ∈ {0.8m, 0.95m} × A = 0.5 × α = 0.5 × B ∈ {100, 300, 1000} ×
    /// C ∈ {0.5, 2} × β = 0.5 × γ = 0.5, with m the smallest observed loss; under
    /// `.repository` L0 is lowered by B·η_max (the warmup's changes enter LD with negative
    /// sign, so L0_repo ≈ L0_paper − B·η_max). B·η_max ≈ 0.03–0.3 spans the loss drops of
    /// real decays; C, β, γ around the published fits (C ≈ 2, β ≈ 0.6, γ ≈ 0.6).
    public func startingGrid(for curves: [LossCurve]) -> [[Double]] {
        let m = curves.flatMap(\.losses).min() ?? 1
        let peak = curves.flatMap(\.rates).max() ?? 0
        var grid: [[Double]] = []
        for l0 in [0.8 * m, 0.95 * m] { for a in [0.5] { for b in [100.0, 300, 1000] {
            for c in [0.5, 2.0] { for beta in [0.5] {
                let shift = convention == .repository ? b * peak : 0
                grid.append([max(l0 - shift, 0.1 * m), a, 0.5, b, c, beta, 0.5])
            }}
        }}}
        return grid
    }
}
