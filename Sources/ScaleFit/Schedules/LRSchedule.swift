import Foundation

/// A learning-rate schedule as a value: η at every step 0..<T.
///
/// Every kind with a warmup of W steps ramps linearly from 0 at step 0 to the peak at
/// step W − 1, and its main phase starts at step W:
///
/// ```
/// η_i = peak · i / (W − 1)        for i < W        (W = 1 gives η_0 = 0)
/// ```
///
/// This is `numpy.linspace(0, peak, W)`, the warmup of the multi-power-law repository
/// whose published parameters `../shared/data/lrcurves/PROVENANCE.md` documents, so the
/// schedules rebuilt from their specs are the ones those parameters were fitted on. The
/// main phases (u = the fraction of the phase elapsed, f = `final`, a ratio of the peak):
///
/// ```
/// constant     η = peak
/// cosine       η = f·peak + ½·(1 − f)·peak·(1 + cos(π·(i − W)/(T − W)))
/// linear       η = peak − (1 − f)·peak·(i − W)/(T − W)
/// wsd          η = peak for `stable` steps, then over `decay` steps (u = (i − W − stable)/decay):
///                linear     peak·(1 − u) + f·peak·u
///                cosine     f·peak + ½·(1 − f)·peak·(1 + cos πu)
///                1-sqrt     f·peak + (1 − f)·peak·(1 − √u)
///                geometric  peak^(1 − u) · (f·peak)^u           (needs f > 0)
/// step         η = peak · factor^⌊(i − W)/every⌋
/// invsqrt      η = peak · √(τ / (τ + i − W)),  τ = `timescale` (default max(W, 1))
/// multistage   η = lr_j for until_(j−1) ≤ i < until_j (until_(−1) = W); warmup ramps to lr_0
/// piecewise    linear between the points (step, η), held constant outside them
/// logged       rebuilt from logged (step, lr) pairs, see `LoggedSchedule`
/// ```
public enum LRSchedule: Sendable, Equatable {
    /// The peak after the warmup, for `total` steps.
    case constant(peak: Double, warmup: Int, total: Int)
    /// Cosine from the peak to `final`·peak over the steps after the warmup.
    case cosine(peak: Double, warmup: Int, total: Int, final: Double)
    /// Linear from the peak to `final`·peak over the steps after the warmup.
    case linear(peak: Double, warmup: Int, total: Int, final: Double)
    /// Warmup, `stable` steps at the peak, then `decay` steps of `shape` down to `final`·peak.
    case wsd(peak: Double, warmup: Int, stable: Int, decay: Int, shape: DecayShape, final: Double)
    /// The peak times `factor` every `every` steps after the warmup.
    case stepDecay(peak: Double, warmup: Int, total: Int, every: Int, factor: Double)
    /// peak·√(τ/(τ + i − W)) after the warmup, τ = `timescale`.
    case inverseSqrt(peak: Double, warmup: Int, total: Int, timescale: Int)
    /// Constant stages after the warmup (which ramps to the first stage's rate).
    case multistage(warmup: Int, stages: [Stage])
    /// Linear between the points (step, η), held constant outside them, for `total` steps.
    case piecewise(points: [SchedulePoint], total: Int)
    /// Rebuilt from a log's (step, lr) pairs.
    case logged(LoggedSchedule)

    /// The shape of a WSD schedule's decay phase.
    public enum DecayShape: String, Sendable, Equatable, CaseIterable, Codable {
        /// peak·(1 − u) + f·peak·u.
        case linear
        /// f·peak + ½(1 − f)·peak·(1 + cos πu).
        case cosine
        /// f·peak + (1 − f)·peak·(1 − √u).
        case oneMinusSqrt = "1-sqrt"
        /// peak^(1 − u)·(f·peak)^u.
        case geometric
    }

    /// One stage of a multi-stage constant schedule: `rate` until step `until` (exclusive).
    public struct Stage: Sendable, Equatable, Codable {
        /// η during the stage.
        public var rate: Double
        /// The first step after the stage (exclusive end).
        public var until: Int
        /// The stage `rate` for the steps before `until`.
        public init(rate: Double, until: Int) { self.rate = rate; self.until = until }
    }

    /// T, the number of steps the schedule defines (steps 0..<T).
    public var totalSteps: Int {
        switch self {
        case let .constant(_, _, total), let .cosine(_, _, total, _), let .linear(_, _, total, _),
             let .stepDecay(_, _, total, _, _), let .inverseSqrt(_, _, total, _):
            return total
        case let .wsd(_, warmup, stable, decay, _, _):
            return warmup + stable + decay
        case let .multistage(_, stages):
            return stages.last?.until ?? 0
        case let .piecewise(_, total):
            return total
        case let .logged(schedule):
            return schedule.totalSteps
        }
    }

    /// η_0 … η_(T−1).
    public func rates() -> [Double] { rates(count: totalSteps) }

    /// η_0 … η_(count−1); past T the schedule holds its last value.
    public func rates(count: Int) -> [Double] {
        (0..<max(count, 0)).map { rate(at: $0) }
    }

    /// η at `step`; steps past T hold the value at T − 1, negative steps give 0.
    public func rate(at step: Int) -> Double {
        if step < 0 { return 0 }
        let i = min(step, max(totalSteps - 1, 0))
        switch self {
        case let .constant(peak, warmup, _):
            return i < warmup ? Self.warmupRate(i, warmup, peak) : peak
        case let .cosine(peak, warmup, total, final):
            if i < warmup { return Self.warmupRate(i, warmup, peak) }
            let end = final * peak
            let u = Double(i - warmup) / Double(max(total - warmup, 1))
            return end + 0.5 * (peak - end) * (1 + cos(Double.pi * u))
        case let .linear(peak, warmup, total, final):
            if i < warmup { return Self.warmupRate(i, warmup, peak) }
            let u = Double(i - warmup) / Double(max(total - warmup, 1))
            return peak - (peak - final * peak) * u
        case let .wsd(peak, warmup, stable, decay, shape, final):
            if i < warmup { return Self.warmupRate(i, warmup, peak) }
            let start = warmup + stable
            if i < start { return peak }
            return Self.decayRate(i - start, decay, peak, final, shape)
        case let .stepDecay(peak, warmup, _, every, factor):
            if i < warmup { return Self.warmupRate(i, warmup, peak) }
            return peak * pow(factor, Double((i - warmup) / max(every, 1)))
        case let .inverseSqrt(peak, warmup, _, timescale):
            if i < warmup { return Self.warmupRate(i, warmup, peak) }
            let tau = Double(timescale)
            return peak * (tau / (tau + Double(i - warmup))).squareRoot()
        case let .multistage(warmup, stages):
            guard let first = stages.first else { return 0 }
            if i < warmup { return Self.warmupRate(i, warmup, first.rate) }
            return (stages.first { i < $0.until } ?? stages[stages.count - 1]).rate
        case let .piecewise(points, _):
            return SchedulePoint.interpolate(points, at: i)
        case let .logged(schedule):
            return schedule.rate(at: i)
        }
    }

    /// The linear warmup, numpy's `linspace(0, peak, W)`.
    @inline(__always)
    static func warmupRate(_ i: Int, _ warmup: Int, _ peak: Double) -> Double {
        warmup <= 1 ? 0 : peak * Double(i) / Double(warmup - 1)
    }

    /// The decay phase of a WSD schedule, `k` steps into a decay of `length` steps.
    static func decayRate(_ k: Int, _ length: Int, _ peak: Double, _ final: Double,
                          _ shape: DecayShape) -> Double {
        let end = final * peak
        let u = Double(k) / Double(max(length, 1))
        switch shape {
        case .linear: return peak * (1 - u) + end * u
        case .cosine: return end + 0.5 * (peak - end) * (1 + cos(Double.pi * u))
        case .oneMinusSqrt: return end + (peak - end) * (1 - u.squareRoot())
        // Written as the repository writes it, so the rebuilt η match its bit for bit.
        case .geometric: return pow(peak, 1 - u) * pow(end, u)
        }
    }
}

/// A (step, η) point of a piecewise-linear or logged schedule.
public struct SchedulePoint: Sendable, Equatable, Codable {
    /// The step, counted from 0.
    public var step: Int
    /// η at that step.
    public var rate: Double
    /// η = `rate` at step `step`.
    public init(step: Int, rate: Double) { self.step = step; self.rate = rate }

    /// Linear interpolation between `points` (strictly increasing steps), held constant
    /// before the first and after the last.
    static func interpolate(_ points: [SchedulePoint], at step: Int) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if step <= first.step { return first.rate }
        if step >= last.step { return last.rate }
        // Binary search for the segment [lo, lo+1] holding `step`.
        var lo = 0, hi = points.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if points[mid].step <= step { lo = mid } else { hi = mid }
        }
        let a = points[lo], b = points[hi]
        let u = Double(step - a.step) / Double(b.step - a.step)
        return a.rate + (b.rate - a.rate) * u
    }
}
