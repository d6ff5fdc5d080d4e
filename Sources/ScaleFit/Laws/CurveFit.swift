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
        /// The law's parameter names, in the order of `parameters`.
        public var parameterNames: [String]
        /// The fitted θ of the winning run.
        public var parameters: [Double]
        /// ½·Σρ(r²) at `parameters` (Σ Huber_δ(r) with the default loss).
        public var cost: Double
        /// The winning run (its summary says whether and why it converged).
        public var best: SolverResult
        /// The winning run's summary: whether and why it stopped.
        public var summary: FitSummary { best.summary }
        /// Which start won, how many were screened, how many distinct screened ends were
        /// polished, and how many of those converged.
        public var startIndex: Int
        /// How many starts were screened (the whole grid).
        public var startsTried: Int
        /// How many of the polished runs converged.
        public var startsConverged: Int
        /// How many distinct screening ends were polished (at most `polish`).
        public var startsPolished: Int
    }

    /// The screening runs' evaluation budget: enough to rank the basins (the starts that
    /// reach the best basin converge there in 10–15 evaluations on the perf families and the
    /// real curves, and 20, 30 or 60 pick the same optima).
    public static let screeningEvaluations = 20

    /// `count` starts from a law's `grid`: the grid itself when `count` is its size; fewer:
    /// `count` points spread evenly over it (the first, then every size/count-th); more:
    /// the grid and then points drawn around its points (each coordinate times e^u, u
    /// uniform in [−1, 1], seeded by `seed`; a coordinate at 0 stays there), every point
    /// clamped into `bounds`.
    public static func starts(_ grid: [[Double]], count: Int, bounds: ParameterBounds, seed: UInt64 = 0) -> [[Double]] {
        guard !grid.isEmpty, count > 0 else { return [] }
        if count <= grid.count {
            return (0..<count).map { grid[$0 * grid.count / count] }
        }
        var rng = SeededGenerator(seed: seed)
        var out = grid
        while out.count < count {
            let base = grid[(out.count - grid.count) % grid.count]
            out.append(bounds.clamp(base.map { $0 * exp(Double.random(in: -1...1, using: &rng)) }))
        }
        return out
    }

    /// The multi-start fit by `ScreenedMultiStart`: every start gets a short screening run
    /// (`screeningEvaluations`, cost tolerance 1e-8, on the law's `screeningLaw`), then the
    /// distinct ends (1e-3 relative) among the `polish` best of those are run on with
    /// `options` to convergence, and the lowest final cost wins (converged runs preferred).
    public static func fit<Law: LossCurveLaw>(
        _ problem: CurveFitProblem<Law>, starts: [[Double]]? = nil, bounds: ParameterBounds? = nil,
        fixed: [Bool]? = nil, options: SolverOptions = CurveFit.defaultOptions, polish: Int = 3
    ) throws -> Result {
        let grid = starts ?? problem.law.startingGrid(for: problem.curves)
        let box = bounds ?? problem.law.bounds(for: problem.curves)
        // As many workers as cores: each keeps its best run's residuals and Jacobian, which
        // for a dense log of 10⁶ points is 40 MB a worker.
        let search = ScreenedMultiStart(
            options: problem.law.solverOptions(options), screeningEvaluations: screeningEvaluations,
            screeningFunctionTolerance: 1e-8, selection: .distinctAmongBest(count: max(polish, 1), tolerance: 1e-3),
            threads: max(1, min(grid.count, ProcessInfo.processInfo.activeProcessorCount)))
        let found: ScreenedMultiStartResult
        do {
            found = try search.minimize(problem, screeningProblem: try problem.screeningProblem(),
                                        starts: grid, bounds: box, fixed: fixed)
        } catch ScaleFitError.fitFailed {
            throw ScaleFitError.fitFailed(reason: "none of the \(grid.count) starting points gave a finite fit")
        }
        return Result(parameterNames: problem.law.parameterNames, parameters: found.best.parameters,
                      cost: found.best.cost, best: found.best, startIndex: found.bestStart,
                      startsTried: grid.count, startsConverged: found.polishedConverged,
                      startsPolished: found.polishedStarts.count)
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
