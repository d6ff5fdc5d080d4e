import Foundation

/// The best schedule of a family by the law's predicted final loss, by exact low-dimensional
/// searches:
///
/// - cosine: the final ratio f ∈ [η_min/η_max, 1] of `LRSchedule.cosine` (to f·η_max), by a
///   grid of 21 points and golden-section search in the grid cell pair around the best
///   (to |Δf| ≤ 1e-9, where the loss is flat to ~1e-15);
/// - WSD: for each decay shape (linear, cosine, 1-sqrt, geometric), the decay length
///   L ∈ 1…T − W (integer) of `LRSchedule.wsd` to η_min, by a grid of 33 lengths and an integer
///   golden-section search around the best, finished by trying every length left in the
///   bracket; the best (shape, L) pair wins.
///
/// A golden-section search finds the minimum of a unimodal function; the grid first brackets
/// it, so a loss that is unimodal on the grid's scale (as these are) is searched exactly.
struct ScheduleFamilySearch {
    let objective: FinalLossObjective
    let constraints: ScheduleConstraints

    /// The loss of a schedule (its first T rates).
    func loss(_ schedule: LRSchedule) -> Double {
        objective.value(schedule.rates(count: constraints.steps))
    }

    /// The best cosine, its loss and how many schedules were evaluated.
    func bestCosine() -> (schedule: LRSchedule, loss: Double, evaluations: Int) {
        let low = constraints.minimumRate / constraints.peak
        var evaluations = 0
        func f(_ ratio: Double) -> Double { evaluations += 1; return loss(constraints.cosine(finalRatio: ratio)) }
        let grid = (0...20).map { low + (1 - low) * Double($0) / 20 }
        let values = grid.map(f)
        let best = values.indices.min { values[$0] < values[$1] }!
        var a = grid[max(best - 1, 0)], b = grid[min(best + 1, grid.count - 1)]
        let phi = (5.0.squareRoot() - 1) / 2
        var c = b - phi * (b - a), d = a + phi * (b - a)
        var fc = f(c), fd = f(d)
        while b - a > 1e-9 {
            if fc < fd { b = d; d = c; fd = fc; c = b - phi * (b - a); fc = f(c) } else { a = c; c = d; fc = fd; d = a + phi * (b - a); fd = f(d) }
        }
        var candidates = [(grid[best], values[best]), (c, fc), (d, fd)]
        candidates.sort { $0.1 < $1.1 }
        return (constraints.cosine(finalRatio: candidates[0].0), candidates[0].1, evaluations)
    }

    /// The best WSD over shape and decay length, its loss and how many schedules were evaluated.
    func bestWSD(shapes: [LRSchedule.DecayShape] = [.linear, .cosine, .oneMinusSqrt, .geometric])
        -> (schedule: LRSchedule, loss: Double, evaluations: Int) {
        var best: (schedule: LRSchedule, loss: Double)? = nil
        var evaluations = 0
        for shape in shapes {
            let (length, value, count) = Self.minimizeInteger(in: 1...constraints.freeSteps) {
                loss(constraints.wsd(decay: $0, shape: shape))
            }
            evaluations += count
            if best == nil || value < best!.loss { best = (constraints.wsd(decay: length, shape: shape), value) }
        }
        return (best!.schedule, best!.loss, evaluations)
    }

    /// The minimum of f over the integers in `range`: a grid of 33 points, then integer golden
    /// section in the bracket of the best grid point's neighbours, then every point left.
    static func minimizeInteger(in range: ClosedRange<Int>, _ f: (Int) -> Double) -> (argument: Int, value: Double, evaluations: Int) {
        var cache: [Int: Double] = [:]
        func value(_ x: Int) -> Double {
            if let v = cache[x] { return v }
            let v = f(x)
            cache[x] = v
            return v
        }
        let width = range.upperBound - range.lowerBound
        let grid = Array(Set((0...32).map { range.lowerBound + Int((Double(width) * Double($0) / 32).rounded()) })).sorted()
        let best = grid.indices.min { value(grid[$0]) < value(grid[$1]) || (value(grid[$0]) == value(grid[$1]) && grid[$0] < grid[$1]) }!
        var a = grid[max(best - 1, 0)], b = grid[min(best + 1, grid.count - 1)]
        let phi = (5.0.squareRoot() - 1) / 2
        while b - a > 4 {
            let c = b - Int((phi * Double(b - a)).rounded()), d = a + Int((phi * Double(b - a)).rounded())
            if c >= d { break }
            if value(c) < value(d) { b = d } else { a = c }
        }
        var argument = grid[best]
        for x in a...b where value(x) < value(argument) || (value(x) == value(argument) && x < argument) { argument = x }
        return (argument, value(argument), cache.count)
    }
}
