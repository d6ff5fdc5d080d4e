import Foundation

/// The compute-optimal allocation under C = 6·N·D for Chinchilla's law: minimise
/// E + A/N^α + B/D^β on that curve. Setting the derivative to zero gives
///
/// ```
/// N* = G·(C/6)^(β/(α+β)),  D* = G⁻¹·(C/6)^(α/(α+β)),  G = (α·A / (β·B))^(1/(α+β))
/// ```
public struct ComputeOptimalAllocation: Sendable, Codable, Equatable {
    /// C, the training compute budget in FLOPs (C = 6·N·D).
    public var compute: Double
    /// N*, the compute-optimal model size.
    public var parameters: Double
    /// D*, the compute-optimal tokens.
    public var tokens: Double
    /// D*/N*, the compute-optimal tokens per parameter.
    public var tokensPerParameter: Double
    /// L* = E + A/N*^α + B/D*^β, the law's loss at the optimum.
    public var loss: Double

    /// N*, D*, D*/N* and L* of `law` at the budget `compute`, by the closed form above.
    public init(law: ChinchillaLaw.Parameters, compute: Double) {
        let a = law.alpha, b = law.beta
        let g = pow(a * law.A / (b * law.B), 1 / (a + b))
        self.compute = compute
        parameters = g * pow(compute / 6, b / (a + b))
        tokens = pow(compute / 6, a / (a + b)) / g
        tokensPerParameter = tokens / parameters
        loss = law.loss(parameters: parameters, tokens: tokens)
    }

    /// N*, the compute-optimal model size (`parameters`).
    public var N: Double { parameters }
    /// D*, the compute-optimal tokens (`tokens`).
    public var D: Double { tokens }
}
