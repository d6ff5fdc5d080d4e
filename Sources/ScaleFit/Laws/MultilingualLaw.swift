import Foundation

/// The multilingual scaling law (He et al. 2024, "Scaling Laws for Multilingual Language
/// Models"): for each language family i, with model size N (parameters), total training
/// tokens D and the family's sampling ratio pᵢ (its share of the training mix, 0 < pᵢ ≤ 1),
///
/// ```
/// Lᵢ(N, D, pᵢ) = (Eᵢ + Aᵢ/N^αᵢ + Bᵢ/D^βᵢ) · pᵢ^(−γᵢ)
/// ```
///
/// Under the paper's hypothesis family i's loss depends on its own ratio alone, and γᵢ does
/// not change with N and D. The law is fitted as Chinchilla's is, in log space: with
/// eᵢ = log Eᵢ, aᵢ = log Aᵢ, bᵢ = log Bᵢ,
///
/// ```
/// log Lᵢ = LSE(eᵢ, aᵢ − αᵢ·log N, bᵢ − βᵢ·log D) − γᵢ·log pᵢ
/// ```
///
/// Each family's fitted vector is (e, a, b, α, β, γ), in `familyParameterNames` order.
public struct MultilingualLaw: Sendable, Equatable, Codable {
    /// "multilingual", the name `--law` takes and fit files keep.
    public static let identifier = "multilingual"
    /// Lᵢ(N, D, pᵢ) = (Eᵢ + Aᵢ/N^αᵢ + Bᵢ/D^βᵢ)·pᵢ^(−γᵢ), in ASCII.
    public static let formula = "L_i(N, D, p_i) = (E_i + A_i/N^alpha_i + B_i/D^beta_i) * p_i^(-gamma_i)"
    /// The fitted (log-space) parameters of one family, in order.
    public static let familyParameterNames = ["e", "a", "b", "alpha", "beta", "gamma"]
    /// The same parameters in their natural form, as reports show them.
    public static let naturalParameterNames = ["E", "A", "B", "alpha", "beta", "gamma"]

    /// One language family's law.
    public struct Family: Sendable, Equatable, Codable {
        /// The language family's name, as in the data.
        public var name: String
        /// The family's irreducible loss E, coefficients A and B, exponents α of N and β of D, and
        /// γ, the exponent of its sampling ratio, on the natural scale.
        public var E: Double, A: Double, B: Double, alpha: Double, beta: Double, gamma: Double

        /// The family `name` at the point (E, A, B, α, β, γ).
        public init(name: String, E: Double, A: Double, B: Double, alpha: Double, beta: Double, gamma: Double) {
            self.name = name
            self.E = E; self.A = A; self.B = B; self.alpha = alpha; self.beta = beta; self.gamma = gamma
        }

        /// From the fitted vector (e, a, b, α, β, γ).
        public init(name: String, logParameters p: [Double]) {
            self.init(name: name, E: exp(p[0]), A: exp(p[1]), B: exp(p[2]), alpha: p[3], beta: p[4], gamma: p[5])
        }

        /// (e, a, b, α, β, γ).
        public var logParameters: [Double] { [log(E), log(A), log(B), alpha, beta, gamma] }

        /// (E, A, B, α, β, γ).
        public var naturalParameters: [Double] { [E, A, B, alpha, beta, gamma] }

        /// Lᵢ(N, D, 1) = E + A/N^α + B/D^β: the family's loss when it is the whole mix.
        public func baseLoss(parameters n: Double, tokens d: Double) -> Double {
            E + A / pow(n, alpha) + B / pow(d, beta)
        }

        /// Lᵢ(N, D, p) = (E + A/N^α + B/D^β)·p^(−γ).
        public func loss(parameters n: Double, tokens d: Double, ratio p: Double) -> Double {
            baseLoss(parameters: n, tokens: d) * pow(p, -gamma)
        }
    }

    /// One law per language family, in the data's order.
    public var families: [Family]

    /// The law of these families.
    public init(families: [Family]) { self.families = families }

    /// The family called `name`, or nil.
    public func family(named name: String) -> Family? { families.first { $0.name == name } }

    /// Hoffmann et al.'s grid thinned for six parameters: e ∈ {−0.5, 0.5}, a, b ∈ {2, 10, 18},
    /// α, β ∈ {0.3, 0.9}, and γ started at 0.2 only (log L is linear in γ, so one start finds
    /// its basin): 72 starts. On the generated example (Data/multilingual.csv) a third of a
    /// 1728-point grid in Hoffmann's ranges reached the best optimum and this grid reaches the
    /// same one, at a twenty-fourth of the cost.
    public static var startGrid: [[Double]] {
        StartGrid.cartesian([[-0.5, 0.5], [2, 10, 18], [2, 10, 18], [0.3, 0.9], [0.3, 0.9], [0.2]])
    }

    /// log Lᵢ at the family vector p = (e, a, b, α, β, γ) with its gradient in p:
    /// with w₁, w₂, w₃ the softmax weights of the N, D and E terms of the LSE,
    /// ∂/∂e = w₃, ∂/∂a = w₁, ∂/∂b = w₂, ∂/∂α = −w₁·log N, ∂/∂β = −w₂·log D, ∂/∂γ = −log p.
    @inline(__always)
    public static func logLoss(_ p: ArraySlice<Double>, logN: Double, logD: Double, logP: Double)
        -> (value: Double, gradient: [Double]) {
        let s = p.startIndex
        let (lse, w1, w2, w3) = ChinchillaLogProblem.logLoss([p[s], p[s + 1], p[s + 2], p[s + 3], p[s + 4]],
                                                             logN: logN, logD: logD)
        return (lse - p[s + 5] * logP, [w3, w1, w2, -w1 * logN, -w2 * logD, -logP])
    }
}

/// The log residuals of the multilingual law over the rows of one or more families, with
/// some parameters shared between families:
///
/// ```
/// rⱼ = LSE(e_f, a_f − α_f·log Nⱼ, b_f − β_f·log Dⱼ) − γ_f·log pⱼ − log Lⱼ,   f = family of row j
/// ```
///
/// Parameter k (0…5, `MultilingualLaw.familyParameterNames` order) of family f is entry
/// `index[f][k]` of the solver's vector, so a parameter shared by all families is one entry
/// that every family's rows point to. The Jacobian is analytic (see `MultilingualLaw.logLoss`);
/// a shared entry sums over the rows of every family.
public struct MultilingualLogProblem: LeastSquaresProblem {
    /// Each row's family, an index into the problem's families.
    public let family: [Int]
    /// log Nⱼ of each row's run.
    public let logN: [Double]
    /// log Dⱼ of each row's run.
    public let logD: [Double]
    /// log pⱼ, the logs of the rows' sampling ratios.
    public let logP: [Double]
    /// log Lⱼ, the observed losses' logs.
    public let logLoss: [Double]
    /// index[f][k]: where family f's parameter k lives in the parameter vector.
    public let index: [[Int]]
    /// n, one past the largest entry of `index` (shared parameters counted once).
    public let parameterCount: Int

    /// - Parameters:
    ///   - family: each row's family, 0..<index.count.
    ///   - index: per family, the positions of its six parameters in the vector.
    public init(family: [Int], parameters n: [Double], tokens d: [Double], ratios p: [Double], loss: [Double],
                index: [[Int]]) {
        precondition([n.count, d.count, p.count, loss.count].allSatisfy { $0 == family.count },
                     "columns must have equal lengths")
        precondition(index.allSatisfy { $0.count == 6 }, "six parameters per family")
        self.family = family
        logN = n.map { log($0) }
        logD = d.map { log($0) }
        logP = p.map { log($0) }
        logLoss = loss.map { log($0) }
        self.index = index
        parameterCount = (index.flatMap { $0 }.max() ?? -1) + 1
    }

    /// One family's rows alone, parameters 0…5.
    public init(parameters n: [Double], tokens d: [Double], ratios p: [Double], loss: [Double]) {
        self.init(family: Array(repeating: 0, count: n.count), parameters: n, tokens: d, ratios: p, loss: loss,
                  index: [Array(0..<6)])
    }

    /// One residual per row.
    public var residualCount: Int { logLoss.count }

    @inline(__always)
    private func familyVector(_ x: [Double], _ f: Int) -> [Double] { index[f].map { x[$0] } }

    /// rⱼ = LSE(e_f, a_f − α_f·log Nⱼ, b_f − β_f·log Dⱼ) − γ_f·log pⱼ − log Lⱼ, f the family of row j.
    public func residuals(at x: [Double], into r: inout [Double]) {
        let vectors = index.indices.map { familyVector(x, $0) }
        for j in 0..<logLoss.count {
            let p = vectors[family[j]]
            let (lse, _, _, _) = ChinchillaLogProblem.logLoss(p, logN: logN[j], logD: logD[j])
            r[j] = lse - p[5] * logP[j] - logLoss[j]
        }
    }

    /// The m×n Jacobian: row j holds w₃, w₁, w₂, −w₁·log Nⱼ, −w₂·log Dⱼ, −log pⱼ at its family's
    /// entries `index[f]`, summed where entries are shared.
    public func jacobian(at x: [Double], into jac: inout Matrix) {
        let m = logLoss.count
        let vectors = index.indices.map { familyVector(x, $0) }
        jac.storage.withUnsafeMutableBufferPointer { s in
            for k in 0..<s.count { s[k] = 0 }
            for j in 0..<m {
                let f = family[j], ix = index[f]
                let (_, w1, w2, w3) = ChinchillaLogProblem.logLoss(vectors[f], logN: logN[j], logD: logD[j])
                s[j + ix[0] * m] += w3
                s[j + ix[1] * m] += w1
                s[j + ix[2] * m] += w2
                s[j + ix[3] * m] -= w1 * logN[j]
                s[j + ix[4] * m] -= w2 * logD[j]
                s[j + ix[5] * m] -= logP[j]
            }
        }
    }

    /// Σ Huber_δ(rⱼ) at `x`.
    public func huberObjective(at x: [Double], delta: Double = 1e-3) -> Double {
        var r = [Double](repeating: 0, count: residualCount)
        residuals(at: x, into: &r)
        return r.reduce(0) { acc, v in acc + (abs(v) <= delta ? 0.5 * v * v : delta * (abs(v) - 0.5 * delta)) }
    }
}
