import Foundation

/// The best staircase schedule of K = 1…6 sharp drops: positions by integer pattern search,
/// drop sizes by `CappedSimplexMinimizer` on the K decrements, alternately.
///
/// Why: for the multi-power law, a drop spread over neighbouring steps loses to the same drop
/// made at once (d·G(η^(−γ)·S) rewards a low η right after the drop), so every single-step
/// drop position is a KKT point of the per-step problem: the projected gradient at a
/// staircase says nothing about moving a whole drop by a step, which changes the loss by
/// ~10⁻⁶ per step. A staircase is z (the decrements scaled by 1/(η_max − η_min)) with K
/// non-zero entries; this search moves those entries, which no per-step first-order method
/// does. Each move costs one value (O(T) sums, transcendentals only at the K drops and the
/// warmup's steps), each size search a few gradients.
///
/// Starts for K drops: K equal drops evenly spaced over the best WSD's decay, and the
/// (K − 1)-drop optimum with a new drop in each of its gaps (half of its neighbour's size;
/// the two best after sizing are refined). The search stops adding drops when two
/// more have not lowered the loss.
struct StaircaseSearch {
    let objective: FinalLossObjective
    let constraints: ScheduleConstraints
    var maxDrops = 6

    /// Drops at free-step indices `positions` (increasing) of scaled sizes `sizes`.
    struct Staircase {
        var positions: [Int]
        var sizes: [Double]
        var loss: Double
    }

    private(set) var evaluations = 0

    /// The best staircase found, starting from a decay window that begins at free step `decayStart`.
    mutating func best(decayStart: Int) -> Staircase {
        let n = constraints.freeSteps
        let start = min(max(decayStart, 0), n - 1)
        var best: Staircase? = nil
        var previous: Staircase? = nil
        var stale = 0
        for k in 1...max(1, min(maxDrops, n)) {
            var candidates: [Staircase] = []
            let width = n - start
            let even = (1...k).map { start + Int(Double(width) * Double($0) / Double(k + 1)) }
            if Set(even).count == k, even.allSatisfy({ $0 < n }) {
                candidates.append(make(even, [Double](repeating: 1 / Double(k), count: k)))
            }
            if let p = previous {
                // A new drop in each gap (before the first, between two, after the last), taking
                // half of the neighbouring drop; the two best after their sizes are refined.
                var inserted: [Staircase] = []
                for gap in 0...p.positions.count {
                    let low = gap == 0 ? start - 1 : p.positions[gap - 1]
                    let high = gap == p.positions.count ? n : p.positions[gap]
                    let at = (low + high) / 2
                    guard at > low, at < high, at >= 0 else { continue }
                    let neighbour = min(gap, p.positions.count - 1)
                    var positions = p.positions, sizes = p.sizes
                    let half = sizes[neighbour] / 2
                    sizes[neighbour] = half
                    positions.insert(at, at: gap)
                    sizes.insert(half, at: gap)
                    inserted.append(optimiseSizes(make(positions, sizes)))
                }
                candidates += inserted.sorted { $0.loss < $1.loss }.prefix(2)
            }
            guard !candidates.isEmpty else { break }
            let found = candidates.map { refine($0) }.min { $0.loss < $1.loss }!
            previous = found
            if best == nil || found.loss < best!.loss - 1e-13 {
                best = found
                stale = 0
            } else {
                stale += 1
                if stale >= 2 { break }
            }
        }
        return best!
    }

    /// z of a staircase: its sizes at its positions.
    func decrements(_ s: Staircase) -> [Double] {
        var z = [Double](repeating: 0, count: constraints.freeSteps)
        for (p, v) in zip(s.positions, s.sizes) { z[p] = v }
        return z
    }

    private mutating func make(_ positions: [Int], _ sizes: [Double]) -> Staircase {
        var s = Staircase(positions: positions, sizes: sizes, loss: 0)
        s.loss = value(s)
        return s
    }

    private mutating func value(_ s: Staircase) -> Double {
        evaluations += 1
        return objective.value(constraints.rates(decrements: decrements(s)))
    }

    /// Sizes, then positions, until a round lowers the loss by less than 1e-15·|L| (8 rounds at most).
    mutating func refine(_ start: Staircase) -> Staircase {
        var s = start
        for _ in 0..<8 {
            let before = s.loss
            s = optimiseSizes(s)
            s = optimisePositions(s)
            if before - s.loss <= 1e-15 * abs(before) { break }
        }
        return adjustPairs(optimiseSizes(s))
    }

    /// One-step moves with the sizes re-optimised for each trial (each drop ±1, then all ±1),
    /// while one lowers the loss (20 moves at most): the fixed-size moves above miss a better
    /// spacing whose sizes differ.
    private mutating func adjustPairs(_ start: Staircase) -> Staircase {
        var s = start
        let n = constraints.freeSteps
        for _ in 0..<20 {
            var trials: [[Int]] = []
            for i in s.positions.indices {
                for d in [1, -1] {
                    var p = s.positions
                    p[i] += d
                    let low = i == 0 ? -1 : p[i - 1], high = i + 1 == p.count ? n : p[i + 1]
                    if p[i] > low, p[i] < high { trials.append(p) }
                }
            }
            for d in [1, -1] where s.positions.count > 1 {
                let p = s.positions.map { $0 + d }
                if p.first! >= 0, p.last! < n { trials.append(p) }
            }
            var better: Staircase? = nil
            for p in trials {
                let trial = optimiseSizes(make(p, s.sizes))
                if trial.loss < s.loss { better = trial; break }
            }
            guard let better else { break }
            s = better
        }
        return s
    }

    /// The sizes at fixed positions: the capped-simplex problem in K variables (30 iterations at
    /// most: each round re-sizes, and the final per-step polish certifies the optimum).
    private mutating func optimiseSizes(_ s: Staircase) -> Staircase {
        let c = constraints, objective = objective
        var rateGradient: [Double] = []
        var full = [Double](repeating: 0, count: c.freeSteps)
        let positions = s.positions
        var count = 0
        let f: CappedSimplexMinimizer.Objective = { sizes, g in
            count += 1
            var z = [Double](repeating: 0, count: c.freeSteps)
            for (p, v) in zip(positions, sizes) { z[p] = v }
            let value = objective.value(c.rates(decrements: z), gradient: &rateGradient)
            c.decrementGradient(rateGradient, into: &full)
            if g.count != sizes.count { g = [Double](repeating: 0, count: sizes.count) }
            for (i, p) in positions.enumerated() { g[i] = full[p] }
            return value
        }
        let r = CappedSimplexMinimizer(gradientTolerance: 1e-11, maxIterations: 30, memory: max(positions.count, 2)).minimize(f, from: s.sizes)
        evaluations += count
        guard r.value < s.loss else { return s }
        return Staircase(positions: positions, sizes: r.z, loss: r.value)
    }

    /// Each drop moved by ±step while that lowers the loss (between its neighbours), then all
    /// of them together, for steps halving from (T − W)/8 to 1.
    private mutating func optimisePositions(_ start: Staircase) -> Staircase {
        var s = start
        let n = constraints.freeSteps
        var step = max(1, n / 8)
        while step >= 1 {
            var moved = false
            for i in s.positions.indices {
                for direction in [1, -1] {
                    while true {
                        let low = i == 0 ? -1 : s.positions[i - 1]
                        let high = i + 1 == s.positions.count ? n : s.positions[i + 1]
                        let p = s.positions[i] + direction * step
                        guard p > low, p < high else { break }
                        var trial = s
                        trial.positions[i] = p
                        trial.loss = value(trial)
                        guard trial.loss < s.loss else { break }
                        s = trial
                        moved = true
                    }
                }
            }
            // Every drop shifted together: what one drop at a time cannot do when their sizes
            // are tuned to their spacing.
            for direction in [1, -1] {
                while let first = s.positions.first, let last = s.positions.last,
                      first + direction * step >= 0, last + direction * step < n {
                    var trial = s
                    trial.positions = s.positions.map { $0 + direction * step }
                    trial.loss = value(trial)
                    guard trial.loss < s.loss else { break }
                    s = trial
                    moved = true
                }
            }
            if !moved { step /= 2 }
        }
        return s
    }
}
