import Foundation

/// A loss-curve law's predicted final loss as a function of the whole schedule, with its
/// exact gradient with respect to every η_t, in O(T).
///
/// "Final" is the loss after the T updates η_0 … η_(T−1): the law at step t = T − 1, where
/// both laws' sums run over τ = 0…t (`LossCurveLaw.predict(rates:steps: [T − 1], …)`, which
/// `predict` uses, gives the same value to rounding).
///
/// Multi-power law (θ = L0, A, α, B, C, β, γ), the sums over k from k₀ (1 under the
/// repository convention; the first step after the warmup's rise under the paper's):
///
/// ```
/// L      = L0 + A·S1^(−α) − B·Σ_k d_k·G(x_k),   d_k = η_(k−1) − η_k,  x_k = η_k^(−γ)·S_k
/// S_k    = Σ_{τ=k..t} η_τ,   G(x) = 1 − (C·x + 1)^(−β),   G'(x) = β·C·(C·x + 1)^(−β−1)
/// ∂L/∂η_j = −α·A·S1^(−α−1) − B·[ G(x_(j+1)) − G(x_j)
///            + Σ_{k₀≤k≤j} d_k·G'(x_k)·η_k^(−γ) − γ·d_j·G'(x_j)·x_j/η_j ]
/// ```
///
/// (terms with k outside k₀…t absent). Only one step's loss is needed, so every S_k is a
/// suffix sum and the Σ_{k≤j} a prefix sum: one pass each way, no O(T²) double sum.
///
/// Annealing law (θ = L0, A, α, C[, λ]), η' the schedule the law reads (the warmup counted at
/// its peak under `.countedAtPeak`): S2 = Σ_{i≤t} m_i unrolls to a sum linear in the d'_k,
///
/// ```
/// L = L0 + A·S1^(−α) − C·Σ_{k=1..t} d'_k·w_k,   w_k = (1 − λ^(t−k+1))/(1 − λ)
/// ∂L/∂η'_j = −α·A·S1^(−α−1) − C·(w_(j+1) − w_j)
/// ```
///
/// and the steps i < top of the warmup read η'_i = η_top, so their derivatives add to η_top's.
struct FinalLossObjective: Sendable {
    /// The laws whose final loss has the closed-form gradient above.
    enum Form: Sendable {
        case multipower(MultiPowerLaw)
        case annealing(AnnealingLaw)
    }
    let form: Form
    let parameters: [Double]

    /// The objective of `law` at θ = `parameters`; nil for a loss-curve law other than the
    /// two above (no closed-form gradient).
    init?(law: any CurveFittingLaw, parameters: [Double]) {
        if let l = law as? MultiPowerLaw {
            form = .multipower(l)
        } else if let l = law as? AnnealingLaw {
            form = .annealing(l)
        } else {
            return nil
        }
        self.parameters = parameters
    }

    /// The final loss of `rates` (η_0 … η_(T−1)).
    func value(_ rates: [Double]) -> Double {
        var unused: [Double] = []
        return evaluate(rates, gradient: &unused, withGradient: false)
    }

    /// The final loss of `rates` and ∂L/∂η_j for every j (written to `gradient`, resized to T).
    func value(_ rates: [Double], gradient: inout [Double]) -> Double {
        evaluate(rates, gradient: &gradient, withGradient: true)
    }

    private func evaluate(_ rates: [Double], gradient: inout [Double], withGradient: Bool) -> Double {
        switch form {
        case let .multipower(l): return multipower(l, rates, &gradient, withGradient)
        case let .annealing(l): return annealing(l, rates, &gradient, withGradient)
        }
    }

    private func multipower(_ law: MultiPowerLaw, _ eta: [Double], _ grad: inout [Double], _ withGradient: Bool) -> Double {
        let (l0, a, alpha, b, c, beta, gamma) = (parameters[0], parameters[1], parameters[2], parameters[3],
                                                  parameters[4], parameters[5], parameters[6])
        let count = eta.count, t = count - 1
        var first = 1
        if law.convention == .paper {
            var skip = 0
            while skip + 1 <= t, eta[skip + 1] > eta[skip] { skip += 1 }
            first = skip + 1
        }
        // S_k as a suffix sum; G(x_k) and h_k = d_k·G'(x_k)·η_k^(−γ) for k ≥ first.
        var suffix = [Double](repeating: 0, count: count + 1)
        for k in stride(from: t, through: 0, by: -1) { suffix[k] = suffix[k + 1] + eta[k] }
        let s1 = suffix[0]
        let size = withGradient ? count + 1 : 0
        var g = [Double](repeating: 0, count: size), h = g
        var drop = 0.0
        if first <= t {
            // η^(−γ) is recomputed only where η changes; the value alone needs only the k with d_k ≠ 0.
            var scale = 0.0, scaled = -1.0
            for k in first...t {
                let d = eta[k - 1] - eta[k]
                if !withGradient && d == 0 { continue }
                guard eta[k] > 0 else { if withGradient { g[k] = 1 }; drop += d; continue }  // x = ∞: G = 1, G'·η^(−γ) → 0
                if eta[k] != scaled { scale = exp(-gamma * log(eta[k])); scaled = eta[k] }
                let cx = c * scale * suffix[k]
                let logY = log1p(cx)
                // (C·x + 1)^(−β); G = 1 − it, to an absolute error of ~1e-16, all d·G needs.
                let kernel = exp(-beta * logY)
                let gk = 1 - kernel
                drop += d * gk
                guard withGradient else { continue }
                g[k] = gk
                if d != 0 { h[k] = d * beta * c * kernel / (1 + cx) * scale }
            }
        }
        let power = pow(s1, -alpha)
        let loss = l0 + a * power - b * drop
        guard withGradient else { return loss }
        if grad.count != count { grad = [Double](repeating: 0, count: count) }
        let area = -alpha * a * power / s1
        var prefix = 0.0
        for j in 0..<count {
            var dLD = 0.0
            if j + 1 >= first, j + 1 <= t { dLD += g[j + 1] }
            if j >= first {
                prefix += h[j]
                dLD += prefix - g[j]
                if eta[j] > 0 { dLD -= gamma * h[j] * suffix[j] / eta[j] }
            }
            grad[j] = area - b * dLD
        }
        return loss
    }

    private func annealing(_ law: AnnealingLaw, _ rates: [Double], _ grad: inout [Double], _ withGradient: Bool) -> Double {
        let (l0, a, alpha, c) = (parameters[0], parameters[1], parameters[2], parameters[3])
        let lambda: Double
        switch law.momentum {
        case let .fixed(value): lambda = value
        case .fitted: lambda = parameters[4]
        }
        let count = rates.count, t = count - 1
        var top = 0
        if law.warmup == .countedAtPeak {
            while top + 1 < count, rates[top + 1] > rates[top] { top += 1 }
        }
        @inline(__always) func read(_ i: Int) -> Double { i < top ? rates[top] : rates[i] }
        // w_k = (1 − λ^(t−k+1))/(1 − λ), built from k = t down: w_t = 1, w_k = 1 + λ·w_(k+1).
        var w = [Double](repeating: 0, count: count + 1)
        if t >= 1 {
            w[t] = 1
            for k in stride(from: t - 1, through: 1, by: -1) { w[k] = 1 + lambda * w[k + 1] }
        }
        var s1 = 0.0, s2 = 0.0
        for i in 0..<count {
            s1 += read(i)
            if i >= 1 { s2 += (read(i - 1) - read(i)) * w[i] }
        }
        let power = pow(s1, -alpha)
        let loss = l0 + a * power - c * s2
        guard withGradient else { return loss }
        if grad.count != count { grad = [Double](repeating: 0, count: count) }
        let area = -alpha * a * power / s1
        var atTop = 0.0
        for j in 0..<count {
            let derivative = area - c * (w[j + 1] - (j >= 1 ? w[j] : 0))
            if j < top { grad[j] = 0; atTop += derivative } else { grad[j] = derivative }
        }
        grad[top] += atTop
        return loss
    }
}
