import Foundation

/// The multi-power law of the loss curve (Luo et al., ICLR 2025, arXiv:2503.12811):
///
/// ```
/// L(t)   = L0 + A·(S1(t) + S_W)^(−α) − LD(t)
/// LD(t)  = B · Σ_{k=1..t} (η_(k−1) − η_k) · G(η_k^(−γ) · S_k(t))
/// G(x)   = 1 − (C·x + 1)^(−β)
/// S_k(t) = Σ_{τ=k..t} η_τ,     S1(t) = Σ_{τ=0..t} η_τ
/// ```
///
/// θ = [L0, A, α, B, C, β, γ], the order of the published fits.
///
/// Convention (`.repository`, the default): η_0 … η_(T−1) include the warmup, S1 counts it
/// (S_W = 0), and the LD sum runs over every k, warmup included. This is how the authors'
/// repository evaluates the law, and its published parameters (PROVENANCE of
/// `../shared/data/lrcurves`) assume it. `.paper`: the LD sum skips the warmup (the
/// initial strictly increasing run of η), and S1(t) + S_W is still the whole area
/// Σ_{τ≤t} η_τ, which is the paper's S1 counted after warmup plus its S_W. The two give
/// different L0 (about L0_paper − B·η_max·G(…) ≈ L0_repo), so fit and predict with one.
///
/// Cost: only the steps k where η changes (η_(k−1) ≠ η_k) contribute, so `prepare` lists
/// those K change points once, and an evaluation costs O(K·n) for n logged steps (each
/// logged t sums over the changes k ≤ t) plus O(K) for η_k^(−γ): O(n) for a constant
/// schedule after warmup, O(K_decay·n) for WSD, O(T·n) only for a schedule that changes
/// at every step (cosine). No merging of changes is done, so the result is exact (the
/// naive O(t²) sum agrees to rounding). With the gradient the cost per (k, t) pair is one
/// log1p, one exp and a division.
public struct MultiPowerLaw: LossCurveLaw {
    /// Which η changes enter the loss-drop sum (see the type's documentation).
    public enum Convention: String, Sendable, Equatable, Codable {
        case repository
        case paper
    }

    public var convention: Convention

    public init(convention: Convention = .repository) { self.convention = convention }

    public var parameterNames: [String] { ["L0", "A", "alpha", "B", "C", "beta", "gamma"] }

    /// L0 ≥ 0, A ≥ 0, 0 ≤ α ≤ 10, B ≥ 0, C ≥ 1e-12, 0 ≤ β ≤ 10, 0 ≤ γ ≤ 5.
    public var defaultBounds: ParameterBounds {
        ParameterBounds(lower: [0, 0, 0, 0, 1e-12, 0, 0],
                        upper: [.infinity, .infinity, 10, .infinity, .infinity, 10, 5])
    }

    /// The change points of η and the cumulative sums the law needs at the logged steps.
    public struct Prepared: Sendable {
        public let steps: [Int]
        /// S1 at each logged step.
        let area: [Double]
        /// For each change point c: the step k, η_(k−1) − η_k, log η_k and P_(k−1) = Σ_{τ<k} η_τ.
        let changeGap: [Double]
        let changeLogRate: [Double]
        let changeAreaBefore: [Double]
        /// Number of change points k ≤ steps[j], for each logged j.
        let changesUpTo: [Int]
        /// The number of change points, K.
        public var changeCount: Int { changeGap.count }
    }

    public func prepare(rates: [Double], steps: [Int]) -> Prepared {
        let last = (steps.last ?? -1)
        var skip = 0
        if convention == .paper {
            while skip + 1 <= last, rates[skip + 1] > rates[skip] { skip += 1 }
        }
        var gaps: [Double] = [], logs: [Double] = [], before: [Double] = []
        var area = [Double](repeating: 0, count: steps.count)
        var upTo = [Int](repeating: 0, count: steps.count)
        var sum = 0.0, j = 0
        for k in 0...max(last, 0) where k <= last {
            if k >= 1, k > skip, rates[k - 1] != rates[k] {
                gaps.append(rates[k - 1] - rates[k])
                logs.append(log(rates[k]))
                before.append(sum)
            }
            sum += rates[k]
            while j < steps.count, steps[j] == k { area[j] = sum; upTo[j] = gaps.count; j += 1 }
        }
        return Prepared(steps: steps, area: area, changeGap: gaps, changeLogRate: logs,
                        changeAreaBefore: before, changesUpTo: upTo)
    }

    public func predict(_ prepared: Prepared, parameters p: [Double], into values: inout [Double]) {
        var unused: [Double] = []
        evaluate(prepared, p, &values, &unused, withGradient: false)
    }

    public func predictWithGradient(_ prepared: Prepared, parameters p: [Double],
                                    values: inout [Double], gradient: inout [Double]) {
        evaluate(prepared, p, &values, &gradient, withGradient: true)
    }

    /// Splits the logged steps into chunks of equal work (step j costs `changesUpTo[j]`
    /// pairs) and runs them on all cores when there is enough work to pay for the threads.
    /// Each chunk writes only its own rows, so the result does not depend on the split.
    private func evaluate(_ prepared: Prepared, _ p: [Double], _ values: inout [Double],
                          _ gradient: inout [Double], withGradient: Bool) {
        let n = prepared.steps.count
        let scale = prepared.changeLogRate.map { exp(-p[6] * $0) }  // η_k^(−γ)
        let work = prepared.changesUpTo.reduce(0, +)
        let chunks = work < 200_000 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 16)
        var bounds = [0]
        if chunks > 1 {
            var done = 0
            for j in 0..<n {
                done += prepared.changesUpTo[j] + 1
                if done * chunks >= (work + n) * bounds.count, bounds.count < chunks { bounds.append(j + 1) }
            }
        }
        bounds.append(n)
        let cuts = bounds
        values.withUnsafeMutableBufferPointer { valuesBuffer in
        gradient.withUnsafeMutableBufferPointer { gradientBuffer in
            nonisolated(unsafe) let out = valuesBuffer, grad = gradientBuffer
            let body: @Sendable (Int) -> Void = { c in
                Self.evaluateRows(cuts[c]..<cuts[c + 1], prepared, p, scale, out, withGradient ? grad : nil)
            }
            if cuts.count == 2 { body(0) } else { DispatchQueue.concurrentPerform(iterations: cuts.count - 1, execute: body) }
        }}
    }

    /// The law and (if `gradient` is given) its gradient at the logged steps `rows`.
    private static func evaluateRows(_ rows: Range<Int>, _ prepared: Prepared, _ p: [Double], _ scale: [Double],
                                     _ values: UnsafeMutableBufferPointer<Double>,
                                     _ gradient: UnsafeMutableBufferPointer<Double>?) {
        let (l0, a, alpha, b, c, beta) = (p[0], p[1], p[2], p[3], p[4], p[5])
        let n = prepared.steps.count
        prepared.changeGap.withUnsafeBufferPointer { gap in
        prepared.changeAreaBefore.withUnsafeBufferPointer { before in
        prepared.changeLogRate.withUnsafeBufferPointer { logRate in
        scale.withUnsafeBufferPointer { scale in
            for j in rows {
                let s1 = prepared.area[j]
                let count = prepared.changesUpTo[j]
                let power = pow(s1, -alpha)
                guard let gradient else {
                    var drop = 0.0
                    for k in 0..<count {
                        let x = scale[k] * (s1 - before[k])
                        // G = 1 − (1 + Cx)^(−β); x = ∞ (η_k = 0) gives G = 1.
                        drop += gap[k] * (x.isFinite ? -expm1(-beta * log1p(c * x)) : 1)
                    }
                    values[j] = l0 + a * power - b * drop
                    continue
                }
                // Σ d·G, Σ d·y^(−β)·log y, Σ d·x·y^(−β−1), Σ d·x·y^(−β−1)·log η
                var sumG = 0.0, sumLog = 0.0, sumX = 0.0, sumXLog = 0.0
                for k in 0..<count {
                    let x = scale[k] * (s1 - before[k])
                    guard x.isFinite else { sumG += gap[k]; continue }
                    let logY = log1p(c * x)
                    let yPower = exp(-beta * logY)            // y^(−β)
                    let w = gap[k] * x * yPower / (1 + c * x)  // d·x·y^(−β−1)
                    sumG -= gap[k] * expm1(-beta * logY)
                    sumLog += gap[k] * yPower * logY
                    sumX += w
                    sumXLog += w * logRate[k]
                }
                values[j] = l0 + a * power - b * sumG
                gradient[j] = 1
                gradient[j + n] = power
                gradient[j + 2 * n] = -a * power * log(s1)
                gradient[j + 3 * n] = -sumG
                gradient[j + 4 * n] = -b * beta * sumX            // ∂G/∂C = β·x·y^(−β−1)
                gradient[j + 5 * n] = -b * sumLog                 // ∂G/∂β = y^(−β)·log y
                gradient[j + 6 * n] = b * beta * c * sumXLog      // ∂G/∂γ = −β·C·x·log η·y^(−β−1)
            }
        }}}}
    }
}
