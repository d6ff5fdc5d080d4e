import Foundation

/// What a learning-rate schedule is planned for: T steps (η_0 … η_(T−1)), the peak η_max,
/// a linear warmup of W steps, and the least rate η_min.
///
/// The warmup is the repository's (`LRSchedule`'s): η_i = η_max·i/(W − 1) for i < W. After
/// it every schedule considered is non-increasing and within the bounds:
///
/// ```
/// η_max ≥ η_W ≥ η_(W+1) ≥ … ≥ η_(T−1) ≥ η_min
/// ```
///
/// written by its decrements d_k = η_(k−1) − η_k ≥ 0 (k = W…T−1, η_(W−1) = η_max) with
/// Σ d_k ≤ η_max − η_min; the optimiser works on z = d/(η_max − η_min), the capped simplex
/// {z ≥ 0, Σz ≤ 1}.
public struct ScheduleConstraints: Sendable, Equatable, Codable {
    /// T, the number of updates η_0 … η_(T−1).
    public var steps: Int
    /// η_max, the rate at the end of the warmup and the largest allowed.
    public var peak: Double
    /// W, the warmup's length (0 for none).
    public var warmup: Int
    /// η_min, the least rate allowed.
    public var minimumRate: Double

    /// The cap on T: 10⁷ steps (the schedule and its gradient are a few arrays of T doubles,
    /// ~0.5 GB at the cap), checked before anything is allocated.
    public static let maximumSteps = 10_000_000

    /// Checks every argument; `badArgument` naming the argument (`steps`, `peak`, `warmup`,
    /// `minimumRate`) for one out of range: 2 ≤ T ≤ 10⁷, 0 ≤ W < T, η_max finite and > 0,
    /// 0 < η_min < η_max.
    public init(steps: Int, peak: Double, warmup: Int, minimumRate: Double) throws {
        guard steps >= 2, steps <= Self.maximumSteps else {
            throw ScaleFitError.badArgument(flag: "steps", position: 0, expected: "an integer from 2 to \(Self.maximumSteps)", found: "\(steps)")
        }
        guard peak.isFinite, peak > 0 else {
            throw ScaleFitError.badArgument(flag: "peak", position: 0, expected: "a finite positive learning rate", found: "\(peak)")
        }
        guard warmup >= 0, warmup < steps else {
            throw ScaleFitError.badArgument(flag: "warmup", position: 0, expected: "an integer from 0 to steps − 1 = \(steps - 1)", found: "\(warmup)")
        }
        guard minimumRate.isFinite, minimumRate > 0, minimumRate < peak else {
            throw ScaleFitError.badArgument(flag: "minimumRate", position: 0, expected: "a learning rate above 0 and below the peak \(peak)", found: "\(minimumRate)")
        }
        self.steps = steps
        self.peak = peak
        self.warmup = warmup
        self.minimumRate = minimumRate
    }

    /// n = T − W, the number of free steps.
    var freeSteps: Int { steps - warmup }
    /// η_max − η_min, the largest total decrement.
    var span: Double { peak - minimumRate }

    /// The warmup's rates η_0 … η_(W−1).
    var warmupRates: [Double] { (0..<warmup).map { LRSchedule.warmupRate($0, warmup, peak) } }

    /// η_0 … η_(T−1) from the scaled decrements z (k = W…T−1): η_j = η_max − (η_max − η_min)·Σ_{k≤j} z_k,
    /// held within [η_min, η_max] against rounding.
    func rates(decrements z: [Double]) -> [Double] {
        var eta = warmupRates
        eta.reserveCapacity(steps)
        var sum = 0.0
        for k in 0..<freeSteps {
            sum += z[k]
            eta.append(min(peak, max(minimumRate, peak - span * sum)))
        }
        return eta
    }

    /// The scaled decrements of `rates` after the warmup (projected onto the capped simplex).
    func decrements(rates: [Double]) -> [Double] {
        var z = [Double](repeating: 0, count: freeSteps)
        var previous = peak
        for k in 0..<freeSteps {
            let eta = min(peak, max(minimumRate, rates[warmup + k]))
            z[k] = max(0, previous - eta) / span
            previous = min(previous, eta)
        }
        return CappedSimplexMinimizer.project(z)
    }

    /// ∂L/∂z_k = −(η_max − η_min)·Σ_{j≥k} ∂L/∂η_j for the free steps, from ∂L/∂η.
    func decrementGradient(_ rateGradient: [Double], into g: inout [Double]) {
        var suffix = 0.0
        for k in stride(from: freeSteps - 1, through: 0, by: -1) {
            suffix += rateGradient[warmup + k]
            g[k] = -span * suffix
        }
    }

    /// The cosine from η_max to `finalRatio`·η_max over the free steps (`LRSchedule.cosine`).
    func cosine(finalRatio: Double) -> LRSchedule {
        .cosine(peak: peak, warmup: warmup, total: steps, final: finalRatio)
    }

    /// The WSD with a decay of `decay` steps of `shape` to η_min (`LRSchedule.wsd`).
    func wsd(decay: Int, shape: LRSchedule.DecayShape) -> LRSchedule {
        .wsd(peak: peak, warmup: warmup, stable: freeSteps - decay, decay: decay, shape: shape, final: minimumRate / peak)
    }
}
