import Foundation

/// Chinchilla's parametric loss (Hoffmann et al. 2022, approach 3):
///
/// ```
/// L(N, D) = E + A/N^α + B/D^β
/// ```
///
/// fitted as Hoffmann et al. did: in log space, with a = log A, b = log B, e = log E,
///
/// ```
/// rᵢ = LSE(a − α·log Nᵢ, b − β·log Dᵢ, e) − log Lᵢ,     minimise Σ Huber_δ(rᵢ), δ = 1e-3
/// ```
///
/// over a grid of 4500 starts (α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1},
/// a, b ∈ {0, 5, …, 25}). The fitted parameter vector is (e, a, b, α, β); `E`, `A`, `B` are
/// their exponentials.
public struct ChinchillaLaw: Sendable, Equatable, Codable {
    public static let identifier = "chinchilla"
    public static let formula = "L(N, D) = E + A/N^alpha + B/D^beta"
    /// The order of the fitted (log-space) parameters.
    public static let parameterNames = ["e", "a", "b", "alpha", "beta"]

    public var E: Double, A: Double, B: Double, alpha: Double, beta: Double

    public init(E: Double, A: Double, B: Double, alpha: Double, beta: Double) {
        self.E = E; self.A = A; self.B = B; self.alpha = alpha; self.beta = beta
    }

    /// From the fitted vector (e, a, b, α, β).
    public init(logParameters p: [Double]) {
        self.init(E: exp(p[0]), A: exp(p[1]), B: exp(p[2]), alpha: p[3], beta: p[4])
    }

    /// (e, a, b, α, β).
    public var logParameters: [Double] { [log(E), log(A), log(B), alpha, beta] }

    /// L(N, D).
    public func loss(parameters n: Double, tokens d: Double) -> Double {
        E + A / pow(n, alpha) + B / pow(d, beta)
    }

    /// Hoffmann et al.'s grid of 4500 starts in (e, a, b, α, β).
    public static var hoffmannGrid: [[Double]] {
        let alphas = stride(from: 0.0, through: 2.0, by: 0.5).map { $0 }
        let es = stride(from: -1.0, through: 1.0, by: 0.5).map { $0 }
        let abs = stride(from: 0.0, through: 25.0, by: 5.0).map { $0 }
        return StartGrid.cartesian([es, abs, abs, alphas, alphas])
    }
}

/// The Hoffmann objective's residuals rᵢ = LSE(a − α·log Nᵢ, b − β·log Dᵢ, e) − log Lᵢ
/// and their Jacobian: with softmax weights wₖ of the three terms,
/// ∂r/∂e = w₃, ∂r/∂a = w₁, ∂r/∂b = w₂, ∂r/∂α = −w₁·log N, ∂r/∂β = −w₂·log D.
public struct ChinchillaLogProblem: LeastSquaresProblem {
    public let logN: [Double]
    public let logD: [Double]
    public let logLoss: [Double]

    public init(parameters n: [Double], tokens d: [Double], loss: [Double]) {
        precondition(n.count == d.count && d.count == loss.count, "columns must have equal lengths")
        logN = n.map { log($0) }
        logD = d.map { log($0) }
        logLoss = loss.map { log($0) }
    }

    public var parameterCount: Int { 5 }
    public var residualCount: Int { logLoss.count }

    @inline(__always)
    private func terms(_ p: [Double], _ i: Int) -> (Double, Double, Double) {
        (p[1] - p[3] * logN[i], p[2] - p[4] * logD[i], p[0])
    }

    /// log L(N, D) = LSE(a − α·log N, b − β·log D, e) at the log-space parameters
    /// p = (e, a, b, α, β), with the softmax weights (w₁, w₂, w₃) of the three terms — the
    /// derivatives of log L by a, b and e. The Jacobian and the fit file's predictions share it.
    @inline(__always)
    public static func logLoss(_ p: [Double], logN: Double, logD: Double)
        -> (value: Double, w1: Double, w2: Double, w3: Double) {
        let t1 = p[1] - p[3] * logN, t2 = p[2] - p[4] * logD, t3 = p[0]
        let mx = max(t1, t2, t3)
        let e1 = exp(t1 - mx), e2 = exp(t2 - mx), e3 = exp(t3 - mx)
        let sum = e1 + e2 + e3
        let inv = 1 / sum
        return (mx + log(sum), e1 * inv, e2 * inv, e3 * inv)
    }

    public func residuals(at p: [Double], into r: inout [Double]) {
        for i in 0..<logLoss.count {
            let (t1, t2, t3) = terms(p, i)
            // LSE = max + log1p(Σ exp(others − max)): two exps, the max term's is 1.
            let m = max(t1, t2, t3)
            let rest = exp(min(t1, t2, t3) - m) + exp(t1 + t2 + t3 - m - max(t1, t2, t3) - min(t1, t2, t3))
            r[i] = m + log1p(rest) - logLoss[i]
        }
    }

    public func jacobian(at p: [Double], into j: inout Matrix) {
        let m = logLoss.count
        j.storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<m {
                let (_, w1, w2, w3) = Self.logLoss(p, logN: logN[i], logD: logD[i])
                s[i] = w3
                s[i + m] = w1
                s[i + 2 * m] = w2
                s[i + 3 * m] = -w1 * logN[i]
                s[i + 4 * m] = -w2 * logD[i]
            }
        }
    }

    /// Σ Huber_δ(rᵢ) at `p`: the objective Hoffmann et al. and Epoch AI report.
    public func huberObjective(at p: [Double], delta: Double = 1e-3) -> Double {
        var r = [Double](repeating: 0, count: residualCount)
        residuals(at: p, into: &r)
        return r.reduce(0) { acc, v in acc + (abs(v) <= delta ? 0.5 * v * v : delta * (abs(v) - 0.5 * delta)) }
    }
}

/// Fits Chinchilla's law the Hoffmann way: Huber(δ) on log residuals, LM from every start of
/// the grid in parallel, the lowest objective kept.
public struct ChinchillaFit: Sendable {
    public var law: ChinchillaLaw
    /// The fitted (e, a, b, α, β).
    public var logParameters: [Double]
    /// Σ Huber_δ(rᵢ) at the optimum.
    public var objective: Double
    public var multiStart: MultiStartResult

    public init(parameters n: [Double], tokens d: [Double], loss: [Double], delta: Double = 1e-3,
                starts: [[Double]] = ChinchillaLaw.hoffmannGrid, solverOptions: SolverOptions? = nil) throws {
        let problem = ChinchillaLogProblem(parameters: n, tokens: d, loss: loss)
        var options = solverOptions ?? SolverOptions()
        options.loss = .huber(scale: delta)
        // Explore the grid at 1e-8 (enough to tell the basins apart), then polish the best
        // run at the full default tolerances: the same minimum at a fraction of the cost.
        var explore = options
        explore.parameterTolerance = max(options.parameterTolerance, 1e-8)
        explore.gradientTolerance = max(options.gradientTolerance, 1e-10)
        explore.maxEvaluations = min(options.maxEvaluations, 2000)
        let ms = try MultiStart(solver: LevenbergMarquardt(options: explore)).minimize(problem, starts: starts)
        let polished = try LevenbergMarquardt(options: options).minimize(problem, from: ms.best.parameters)
        var best = ms
        if polished.cost <= ms.best.cost { best.best = polished }
        multiStart = best
        logParameters = best.best.parameters
        law = ChinchillaLaw(logParameters: best.best.parameters)
        objective = problem.huberObjective(at: best.best.parameters, delta: delta)
    }
}
