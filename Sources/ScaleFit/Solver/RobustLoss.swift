import Foundation

/// A robust loss ρ applied to squared residuals s = r², as in Ceres: the cost of a
/// residual is ½·ρ(r²), and ρ(s) ≈ s for small s, so `scale` c is the residual size
/// where the loss starts to discount outliers.
///
/// ```
/// l2:      ρ(s) = s
/// huber:   ρ(s) = s                 for s ≤ c²,   2c·√s − c²      otherwise
/// softL1:  ρ(s) = 2c²·(√(1 + s/c²) − 1)
/// cauchy:  ρ(s) = c²·log(1 + s/c²)
/// arctan:  ρ(s) = c²·atan(s/c²)
/// ```
///
/// With `huber(scale: δ)`, ½ρ(r²) = ½r² for |r| ≤ δ and δ·(|r| − ½δ) beyond: exactly
/// the Huber loss of Hoffmann et al. (2022), who use δ = 1e-3 on log-loss residuals.
public enum RobustLoss: Sendable, Equatable, Hashable, Codable {
    /// Least squares, ρ(s) = s.
    case l2
    /// Huber with threshold c = `scale`.
    case huber(scale: Double)
    /// Soft L1 with scale c.
    case softL1(scale: Double)
    /// Cauchy with scale c.
    case cauchy(scale: Double)
    /// Arctan with scale c.
    case arctan(scale: Double)

    /// (ρ(s), ρ′(s), ρ″(s)) at s = r² ≥ 0.
    @inlinable
    public func evaluate(_ s: Double) -> (rho: Double, first: Double, second: Double) {
        switch self {
        case .l2:
            return (s, 1, 0)
        case let .huber(c):
            let b = c * c
            if s <= b { return (s, 1, 0) }
            let r = s.squareRoot()
            let rho1 = Swift.max(Double.leastNormalMagnitude, c / r)
            return (2 * c * r - b, rho1, -rho1 / (2 * s))
        case let .softL1(c):
            let b = c * c
            let sum = 1 + s / b
            let t = sum.squareRoot()
            let rho1 = Swift.max(Double.leastNormalMagnitude, 1 / t)
            return (2 * b * (t - 1), rho1, -0.5 * rho1 / (b * sum))
        case let .cauchy(c):
            let b = c * c
            let sum = 1 + s / b
            let inv = 1 / sum
            return (b * log1p(s / b), Swift.max(Double.leastNormalMagnitude, inv), -inv * inv / b)
        case let .arctan(c):
            let a = c * c
            let u = s / a
            let inv = 1 / (1 + u * u)
            return (a * atan(u), Swift.max(Double.leastNormalMagnitude, inv), -2 * u / a * inv * inv)
        }
    }

    /// The cost ½·Σρ(rᵢ²) of residuals r, the solver's (NaN for a NaN residual).
    public func cost(of residuals: [Double]) -> Double {
        0.5 * residuals.reduce(0) { $0 + evaluate($1 * $1).rho }
    }

    /// The scale c, or nil for l2.
    public var scale: Double? {
        switch self {
        case .l2: return nil
        case let .huber(c), let .softL1(c), let .cauchy(c), let .arctan(c): return c
        }
    }

    /// The spec-string form: `l2`, `huber:1e-3`, `soft_l1:0.1`, `cauchy:1`, `arctan:1`.
    public var spec: String {
        switch self {
        case .l2: return "l2"
        case let .huber(c): return "huber:\(c)"
        case let .softL1(c): return "soft_l1:\(c)"
        case let .cauchy(c): return "cauchy:\(c)"
        case let .arctan(c): return "arctan:\(c)"
        }
    }

    /// Parses the spec-string form; `flag` names the option in errors.
    public init(spec: String, flag: String = "spec") throws {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first?.lowercased() ?? ""
        if name == "l2" || name == "linear" || name == "squared" {
            guard parts.count == 1 else {
                throw ScaleFitError.badArgument(flag: flag, position: 3, expected: "no scale after l2", found: spec)
            }
            self = .l2
            return
        }
        let known = ["huber", "soft_l1", "softl1", "cauchy", "arctan"]
        guard known.contains(name) else {
            throw ScaleFitError.badArgument(flag: flag, position: 1,
                                            expected: "one of l2, huber:C, soft_l1:C, cauchy:C, arctan:C",
                                            found: spec)
        }
        guard parts.count == 2 else {
            throw ScaleFitError.badArgument(flag: flag, position: name.count + 1,
                                            expected: "a scale after '\(name):' (e.g. \(name):1e-3)", found: spec)
        }
        guard let c = Double(parts[1]), c.isFinite, c > 0 else {
            throw ScaleFitError.badArgument(flag: flag, position: name.count + 2,
                                            expected: "a positive finite scale", found: parts[1])
        }
        switch name {
        case "huber": self = .huber(scale: c)
        case "soft_l1", "softl1": self = .softL1(scale: c)
        case "cauchy": self = .cauchy(scale: c)
        default: self = .arctan(scale: c)
        }
    }
}
