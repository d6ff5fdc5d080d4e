import Foundation

/// Fitting loss-curve laws: the default options, the screening budget and the starts a
/// count makes of a law's grid. The fit itself is `Fit<L>` (the law's `search`).
///
/// ```swift
/// let data = try LossCurves([("cosine", cosine, s1, l1), ("wsd", wsd, s2, l2)])
/// let fit = try Fit(MultiPowerLaw(), to: data)   // documented grid, Huber δ = 1e-3 on log L
/// fit.parameters; fit.summary?.message
/// try fit.predict(steps: [1000, 24000], schedule: wsd)
/// ```
public enum CurveFit {
    /// Huber δ = 1e-3 on the log-loss residuals (the multi-power-law paper's objective).
    public static var defaultOptions: SolverOptions {
        var options = SolverOptions(loss: .huber(scale: 1e-3))
        options.maxEvaluations = 2_000
        return options
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
