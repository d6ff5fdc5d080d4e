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

    /// The allocation N*, D* = C/(6N*) at `compute`, with the law's loss there.
    public init(compute: Double, parameters: Double, loss: Double) {
        self.compute = compute
        self.parameters = parameters
        tokens = compute / (6 * parameters)
        tokensPerParameter = tokens / parameters
        self.loss = loss
    }

    /// N*, the compute-optimal model size (`parameters`).
    public var N: Double { parameters }
    /// D*, the compute-optimal tokens (`tokens`).
    public var D: Double { tokens }
}

/// A law of (N, D) with a compute-optimal allocation under C = 6·N·D: what `optimal
/// --compute` plans with, for every law that has one (Chinchilla's, Kaplan's).
public protocol ComputeOptimalLaw: Law where Query == [ModelSize] {
    /// N*, D* and the law's loss at the budget `compute`, for θ = `parameters`.
    func allocation(compute: Double, parameters: [Double]) -> ComputeOptimalAllocation
}

extension ChinchillaLaw: ComputeOptimalLaw {
    /// The closed form of `ComputeOptimalAllocation(law:compute:)`.
    public func allocation(compute: Double, parameters: [Double]) -> ComputeOptimalAllocation {
        ComputeOptimalAllocation(law: .init(logParameters: parameters), compute: compute)
    }
}

extension KaplanLaw: ComputeOptimalLaw {
    /// Kaplan's L(N, C/(6N)) = [(N_c/N)^a + 6·D_c·N/C]^α_D, a = α_N/α_D, is least where the
    /// bracket is (it is convex in N):
    ///
    /// ```
    /// N* = (a·N_c^a·C / (6·D_c))^(1/(a+1)),   D* = C/(6·N*)
    /// ```
    ///
    /// computed in logs (N_c and D_c are e^θ₀, e^θ₁).
    public func allocation(compute: Double, parameters p: [Double]) -> ComputeOptimalAllocation {
        let a = p[2] / p[3]
        let logN = (log(a) + a * p[0] + log(compute / 6) - p[1]) / (a + 1)
        let n = exp(logN)
        let law = KaplanLaw.Parameters(fittedParameters: p)
        return ComputeOptimalAllocation(compute: compute, parameters: n, loss: law.loss(parameters: n, tokens: compute / (6 * n)))
    }
}

extension Fit where L: ComputeOptimalLaw {
    /// N*, D*, D*/N* and L* at `compute`.
    public func allocation(compute: Double) -> ComputeOptimalAllocation {
        law.allocation(compute: compute, parameters: parameters)
    }

    /// Percentile intervals of N*, D*, D*/N* and L* at `compute` over the bootstrap's
    /// resamples (each resample's own optimum); nil without a bootstrap.
    public func allocationIntervals(compute: Double) -> [Bootstrap.Interval]? {
        guard let b = bootstrap else { return nil }
        return ComputeOptimalAllocation.intervals(b.draws.map { law.allocation(compute: compute, parameters: $0) })
    }
}

extension ComputeOptimalAllocation {
    /// The percentile intervals of N*, D*, D*/N* and L* over `plans` (one per resample),
    /// named `params*`, `tokens*`, `tokens_per_param*`, `loss*`.
    public static func intervals(_ plans: [ComputeOptimalAllocation]) -> [Bootstrap.Interval] {
        let columns: [(String, (ComputeOptimalAllocation) -> Double)] = [
            ("params*", \.parameters), ("tokens*", \.tokens), ("tokens_per_param*", \.tokensPerParameter), ("loss*", \.loss),
        ]
        return columns.map { name, value in
            Bootstrap.Interval(name: name, percentilesOf: plans.map(value).filter { !$0.isNaN }.sorted())
        }
    }
}
