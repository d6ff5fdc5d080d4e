import Foundation

/// One IsoFLOP profile's parabola: the least-squares fit of the final loss on u = ln N over
/// the runs of one compute budget, and its minimum (Hoffmann et al. 2022, §3.2).
///
/// ```
/// L ≈ c₀ + c₁·t + c₂·t²,   t = (u − ū)/s,  ū the mean and s the half-range of u = ln N
/// N_opt = exp(ū + s·t*),   t* = −c₁/(2·c₂),   L_min = c₀ − c₁²/(4·c₂)
/// ```
///
/// t is centred and scaled so the 3×3 normal equations are well conditioned whatever the
/// sizes. The fit is on the loss itself, not its log (the minimum moves by less than the
/// noise between the two on real profiles, whose losses vary by a few per cent).
///
/// A profile is usable only when the data determine an interior minimum:
///
/// ```
/// fewer than 3 distinct N        →  tooFewSizes   (a parabola needs 3)
/// c₂ ≤ 0                         →  notConvex     (no minimum)
/// N_opt ∉ (N_min, N_max), or the
/// lowest loss is at N_min or N_max →  minimumAtEdge (the sweep does not bracket the optimum)
/// ```
public struct IsoFLOPParabola: Sendable, Equatable, Codable {
    /// Why a profile is or is not used.
    public enum Status: String, Sendable, Equatable, Codable {
        /// The profile enters the allocation fit.
        case used
        /// Fewer than 3 distinct model sizes.
        case tooFewSizes = "fewer than 3 distinct model sizes"
        /// The parabola opens downward.
        case notConvex = "parabola not convex (no minimum)"
        /// The minimum is not bracketed by the sizes run.
        case minimumAtEdge = "minimum at an edge of its N range"
    }

    /// (c₀, c₁, c₂) in t (empty when there are fewer than 3 distinct N).
    public var coefficients: [Double]
    /// ū and s of t = (ln N − ū)/s.
    public var center: Double, scale: Double
    /// N_opt, the parabola's minimum (nil unless convex).
    public var optimalParameters: Double?
    /// L_min, the parabola's value at N_opt (nil unless convex).
    public var minimumLoss: Double?
    /// The verdict.
    public var status: Status
    /// How many distinct model sizes the profile has.
    public var distinctSizes: Int

    /// The parabola through the runs (N, L) of one budget, with its verdict.
    public init(parameters n: [Double], loss: [Double]) {
        let u = n.map { log($0) }
        distinctSizes = Set(n).count
        let lo = u.min() ?? 0, hi = u.max() ?? 0
        let mid = 0.5 * (lo + hi), half = max(0.5 * (hi - lo), .leastNormalMagnitude)
        center = mid
        scale = half
        coefficients = []; optimalParameters = nil; minimumLoss = nil
        guard distinctSizes >= 3 else { status = .tooFewSizes; return }
        let t = u.map { ($0 - mid) / half }
        // Normal equations of [1, t, t²]: moments Σtᵏ, k = 0…4, and Σtᵏ·L, k = 0…2.
        var m = [Double](repeating: 0, count: 5), r = [Double](repeating: 0, count: 3)
        for (ti, li) in zip(t, loss) {
            var p = 1.0
            for k in 0..<5 { m[k] += p; if k < 3 { r[k] += p * li }; p *= ti }
        }
        let c = Self.solve3([[m[0], m[1], m[2]], [m[1], m[2], m[3]], [m[2], m[3], m[4]]], r)
        coefficients = c
        guard c[2] > 0 else { status = .notConvex; return }
        let tStar = -c[1] / (2 * c[2])
        optimalParameters = exp(mid + half * tStar)
        minimumLoss = c[0] - c[1] * c[1] / (4 * c[2])
        let best = loss.indices.min { (loss[$0], $0) < (loss[$1], $1) }!
        let interior = tStar > -1 && tStar < 1 && u[best] > lo && u[best] < hi
        status = interior ? .used : .minimumAtEdge
    }

    /// The parabola's loss at model size `n`.
    public func loss(parameters n: Double) -> Double {
        guard coefficients.count == 3 else { return .nan }
        let t = (log(n) - center) / scale
        return coefficients[0] + t * (coefficients[1] + t * coefficients[2])
    }

    /// Gaussian elimination with partial pivoting on a 3×3 system.
    static func solve3(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var a = a, b = b
        for k in 0..<3 {
            let p = (k..<3).max { abs(a[$0][k]) < abs(a[$1][k]) }!
            a.swapAt(k, p); b.swapAt(k, p)
            guard a[k][k] != 0 else { return [.nan, .nan, .nan] }
            for i in (k + 1)..<3 {
                let f = a[i][k] / a[k][k]
                for j in k..<3 { a[i][j] -= f * a[k][j] }
                b[i] -= f * b[k]
            }
        }
        var x = [0.0, 0.0, 0.0]
        for k in stride(from: 2, through: 0, by: -1) {
            var s = b[k]
            for j in (k + 1)..<3 { s -= a[k][j] * x[j] }
            x[k] = s / a[k][k]
        }
        return x
    }
}
