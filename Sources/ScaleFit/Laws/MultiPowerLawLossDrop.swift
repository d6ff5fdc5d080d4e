import Foundation

/// The loss-drop sum of `MultiPowerLaw` at every logged step, by a one-dimensional
/// multipole expansion over a tree of the change points.
///
/// Rewriting y_k = 1 + C·x_k with x_k = η_k^(−γ)·(P − P_(k−1)) and P = S1(t):
///
/// ```
/// y_k^(−β) = a_k·(P − σ_k)^(−β),   a_k = (C·η_k^(−γ))^(−β),   σ_k = P_(k−1) − η_k^γ/C
/// LD(t)/B  = Σ_{k≤t} d_k − Σ_{k≤t} d_k·a_k·(P − σ_k)^(−β),     d_k = η_(k−1) − η_k
/// ```
///
/// so every term is a power of the distance from one point σ_k to P. For a node of change
/// points with σ in [c − r, c + r] and a target with R = P − c ≥ r/q, the node's sum is
///
/// ```
/// Σ w_k·(P − σ_k)^(−α) = R^(−α)·Σ_{n≥0} (α)_n/n!·M_n·R^(−n),   M_n = Σ w_k·(σ_k − c)^n
/// ```
///
/// truncated after n = p (`order`). The omitted tail is at most
/// (α)_(p+1)/(p+1)!·q^(p+1)/(1 − q·ρ)·(1 + q)^α times the node's Σ|d_k|·y_k^(−α)
/// (ρ = max(1, (α+p+1)/(p+2)) bounds the ratio of successive coefficients, and
/// R^(−α) ≤ (1 + q)^α·(P − σ_k)^(−α)). Each evaluation picks the largest q for which this is
/// below `tolerance` = 1e-12 with α = β + 1 (the larger of the two exponents the gradient
/// needs), and a node is expanded only if r ≤ q·R; otherwise its children are visited, and
/// a leaf's change points are summed directly. So |LD − LD_exact| ≤ 1e-12·B·Σ_{k≤t}|d_k|
/// for every t: below 1e-9·L(t) whenever B·Σ|d_k| < 1000·L (B·Σ|d_k| ≈ 0.1–0.3 for the real
/// fits, L ≈ 3).
///
/// The gradient needs, besides Φ0 = Σ d·a·ρ^(−β) (ρ = P − σ), the sums Φℓ = Σ d·a·log η·ρ^(−β),
/// Ψ = Σ d·a·ρ^(−β)·log ρ, Φ1 = Σ d·a·(η^γ/C)·ρ^(−β−1) and Φ1ℓ = Σ d·a·(η^γ/C)·log η·ρ^(−β−1):
///
/// ```
/// Σ d·G = D − Φ0,   Σ d·y^(−β)·log y = log C·Φ0 − γ·Φℓ + Ψ,
/// Σ d·x·y^(−β−1) = (Φ0 − Φ1)/C,   Σ d·x·y^(−β−1)·log η = (Φℓ − Φ1ℓ)/C
/// ```
///
/// Cost per evaluation: O(K·p) for the weights and the moments of the tree (two exp per
/// change point, p = 16), plus O(n·p·h) for the n logged steps, h the number of nodes a
/// step visits, O(log(K)/q): O((K + n·log K)·p) in all, against O(K·n) for the direct sum.
/// q is 0.16–0.18 for β ≤ 1 at the default tolerance 1e-12 (p = 12 gave 0.10: more nodes per
/// step for cheaper expansions, slower in all on the perf families) and 0.27–0.31 at the
/// screening tolerance 1e-8. The sums run in SIMD lanes (`LossDropLanes`): the four
/// weights the gradient needs share each moment update, translation and Horner step.
enum MultiPowerLossDrop {
    /// The expansion order p.
    static let order = 16
    /// The Horner of an expansion runs in two halves, orders 0..<split and split…order.
    static let split = (order + 1) / 2
    /// Change points per leaf.
    static let leafSize = 16
    /// The default bound on each node's truncation error relative to its Σ|d_k|·y_k^(−α)
    /// (`MultiPowerLaw.lossDropTolerance`).
    static let tolerance = 1e-12

    /// A binary tree over the change points 0..<K, nodes in post-order (children before
    /// parents, root last); `left` is −1 for a leaf.
    struct Tree: Sendable {
        var lo: [Int] = [], hi: [Int] = [], left: [Int] = [], right: [Int] = []
        var root: Int { lo.count - 1 }

        init(count: Int) {
            if count > 0 { _ = add(0, count) }
        }

        private mutating func add(_ from: Int, _ to: Int) -> Int {
            var l = -1, r = -1
            if to - from > MultiPowerLossDrop.leafSize {
                let mid = (from + to) / 2
                l = add(from, mid)
                r = add(mid, to)
            }
            lo.append(from); hi.append(to); left.append(l); right.append(r)
            return lo.count - 1
        }
    }

    /// x^k by squaring.
    @inline(__always) static func power(_ x: Double, _ k: Int) -> Double {
        var result = 1.0, base = x, e = k
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }

    /// The largest q ≤ ½ for which the truncation bound (see the type) is below `tolerance`.
    static func admissibleRatio(alpha: Double, tolerance: Double = tolerance) -> Double {
        let p = order
        var coefficient = 1.0  // (α)_(p+1)/(p+1)!
        for n in 0...p { coefficient *= (alpha + Double(n)) / Double(n + 1) }
        let ratio = max(1, (alpha + Double(p + 1)) / Double(p + 2))
        func tail(_ q: Double) -> Double {
            coefficient * pow(q, Double(p + 1)) / (1 - q * ratio) * pow(1 + q, alpha)
        }
        var low = 0.0, high = min(0.5, 0.999 / ratio)
        if tail(high) <= tolerance { return high }
        for _ in 0..<60 {
            let mid = 0.5 * (low + high)
            if tail(mid) <= tolerance { low = mid } else { high = mid }
        }
        return low
    }

    /// L at the logged steps and, if `gradient` is given, ∂L/∂θ (column-major).
    static func evaluate(_ prepared: MultiPowerLaw.Prepared, _ p: [Double],
                         _ values: UnsafeMutableBufferPointer<Double>,
                         _ gradient: UnsafeMutableBufferPointer<Double>?, tolerance: Double = tolerance) {
        if let gradient {
            evaluate(prepared, p, values, gradient, tolerance: tolerance, lanes: SIMD4<Double>.self)
        } else {
            evaluate(prepared, p, values, nil, tolerance: tolerance, lanes: SIMD2<Double>.self)
        }
    }

    /// The sums in SIMD lanes: the moments of all the weights a step needs (w0, wℓ, w1, w1ℓ
    /// with the gradient, w0 alone without) are one vector per order, so the moment sums,
    /// their translations and the expansions' Horner run on whole vectors.
    static func evaluate<W: LossDropLanes>(_ prepared: MultiPowerLaw.Prepared, _ p: [Double],
                                           _ values: UnsafeMutableBufferPointer<Double>,
                                           _ gradient: UnsafeMutableBufferPointer<Double>?,
                                           tolerance: Double, lanes: W.Type) {
        let (l0, a, alpha, b, c, beta, gamma) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6])
        let n = prepared.steps.count
        let count = prepared.changeCount
        let tree = prepared.tree
        let nodeCount = tree.lo.count
        let p1 = order + 1
        let logC = log(c)
        let q = admissibleRatio(alpha: beta + 1, tolerance: tolerance)

        // The expansion's coefficients for moments μ_n = M_n/n!: rising factorials (β)_n
        // for the w0 and wℓ lanes, (β+1)_n for the w1 and w1ℓ lanes, and d/dβ (β)_n.
        var coefficient = [W](repeating: .zero, count: p1)
        var cbd = [Double](repeating: 0, count: p1)
        var cb = 1.0, c1 = 1.0, derivative = 0.0
        coefficient[0] = W.lanes(cb, c1)
        for m in 1..<p1 {
            // d/dβ (β)_m = (d/dβ (β)_(m−1))·(β+m−1) + (β)_(m−1), without dividing by β + i.
            derivative = derivative * (beta + Double(m - 1)) + cb
            cbd[m] = derivative
            cb *= beta + Double(m - 1)
            c1 *= beta + Double(m)
            coefficient[m] = W.lanes(cb, c1)
        }

        // Per change point: σ, η^γ/C and the weights.
        // Every entry is written in the first loop below (no zero-filling of 3 MB per call).
        var shift = [Double](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var sigma = [Double](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var weights = [W](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var center = [Double](repeating: 0, count: nodeCount), radius = center
        // Each node zeroes its own moments before summing into them (children before parents).
        var moments = [W](unsafeUninitializedCapacity: nodeCount * p1) { _, initialized in
            initialized = nodeCount * p1
        }

        prepared.changeGap.withUnsafeBufferPointer { gap in
        prepared.changeLogRate.withUnsafeBufferPointer { logRate in
        prepared.changeAreaBefore.withUnsafeBufferPointer { before in
        shift.withUnsafeMutableBufferPointer { shift in
        sigma.withUnsafeMutableBufferPointer { sigma in
        weights.withUnsafeMutableBufferPointer { w in
        center.withUnsafeMutableBufferPointer { center in
        radius.withUnsafeMutableBufferPointer { radius in
        coefficient.withUnsafeBufferPointer { coefficient in
        cbd.withUnsafeBufferPointer { cbd in
        moments.withUnsafeMutableBufferPointer { mom in
            for k in 0..<count {
                let l = logRate[k]
                guard l > -.infinity else {  // η_k = 0: G = 1, no kernel term
                    sigma[k] = before[k]
                    shift[k] = 0
                    w[k] = .zero
                    continue
                }
                let e = exp(gamma * l) / c
                let w0 = gap[k] * exp(beta * (gamma * l - logC))
                shift[k] = e
                sigma[k] = before[k] - e
                w[k] = W.weights(w0, logRate: l, shift: e)
            }

            // Node centres, radii and moments μ_n = Σ w·δ^n/n!, children before parents.
            // Shifting the centre by h: μ_n(c) = Σ_i μ_i(c')·h^(n−i)/(n−i)!.
            let inverse = UnsafeMutablePointer<Double>.allocate(capacity: p1)
            let hPower = UnsafeMutablePointer<Double>.allocate(capacity: p1)
            defer { inverse.deallocate(); hPower.deallocate() }
            for m in 0..<p1 { inverse[m] = 1 / Double(m + 1) }
            let momentBase = mom.baseAddress!
            for node in 0..<nodeCount {
                let target = momentBase + node &* p1
                for m in 0..<p1 { target[m] = .zero }
                let leftChild = tree.left[node]
                if leftChild < 0 {
                    var lowest = Double.infinity, highest = -Double.infinity
                    for k in tree.lo[node]..<tree.hi[node] {
                        lowest = min(lowest, sigma[k]); highest = max(highest, sigma[k])
                    }
                    let mid = 0.5 * (lowest + highest)
                    center[node] = mid
                    radius[node] = max(highest - mid, mid - lowest)
                    for k in tree.lo[node]..<tree.hi[node] {
                        let delta = sigma[k] - mid
                        let wk = w[k]
                        var power = 1.0
                        for m in 0..<p1 { target[m] += wk * power; power *= delta * inverse[m] }
                    }
                    continue
                }
                let rightChild = tree.right[node]
                let lowest = min(center[leftChild] - radius[leftChild], center[rightChild] - radius[rightChild])
                let highest = max(center[leftChild] + radius[leftChild], center[rightChild] + radius[rightChild])
                let mid = 0.5 * (lowest + highest)
                center[node] = mid
                radius[node] = max(highest - mid, mid - lowest)
                for side in 0..<2 {
                    let child = side == 0 ? leftChild : rightChild
                    let h = center[child] - mid
                    hPower[0] = 1
                    for m in 1..<p1 { hPower[m] = hPower[m - 1] * h * inverse[m - 1] }
                    let source = momentBase + child &* p1
                    for m in 0..<p1 {
                        // Two accumulators: the sum is bound by the adds' latency otherwise.
                        var even = W.zero, odd = W.zero
                        var i = 0
                        while i + 1 <= m {
                            even += source[i] * hPower[m &- i]
                            odd += source[i &+ 1] * hPower[m &- i &- 1]
                            i &+= 2
                        }
                        if i == m { even += source[i] }
                        target[m] += even + odd
                    }
                }
            }

            // The targets.
            var stack: [Int] = []
            stack.reserveCapacity(64)
            var gapSum = 0.0, done = 0
            for j in 0..<n {
                let target = prepared.area[j]
                let upTo = prepared.changesUpTo[j]
                while done < upTo { gapSum += gap[done]; done += 1 }
                // Lanes: Φ0, Φℓ, Φ1, Φ1ℓ (see the type); Ψ apart.
                var phi = W.zero, psi = 0.0
                if nodeCount > 0 { stack.append(tree.root) }
                while let node = stack.popLast() {
                    let from = tree.lo[node]
                    if from >= upTo { continue }
                    let to = tree.hi[node]
                    if to <= upTo {
                        let distance = target - center[node]
                        if distance > 0, radius[node] <= q * distance {
                            let z = 1 / distance
                            let logR = log(distance)
                            let scale = exp(-beta * logR)  // R^(−β)
                            let base = mom.baseAddress! + node &* p1
                            // Horner in two halves (orders 0..<split and split…order), side by side.
                            var low = W.zero, high = W.zero
                            for m in stride(from: order, through: split, by: -1) { high = high * z + coefficient[m] * base[m] }
                            for m in stride(from: split - 1, through: 0, by: -1) { low = low * z + coefficient[m] * base[m] }
                            let zSplit = power(z, split)
                            let s = low + high * zSplit
                            // R^(−β) for the w0 and wℓ lanes, R^(−β−1) for the w1 lanes.
                            phi += W.lanes(scale, scale * z) * s
                            if W.hasGradient {
                                var sdLow = 0.0, sdHigh = 0.0
                                for m in stride(from: order, through: split, by: -1) { sdHigh = sdHigh * z + cbd[m] * base[m][0] }
                                for m in stride(from: split - 1, through: 1, by: -1) { sdLow = sdLow * z + cbd[m] * base[m][0] }
                                psi += scale * (logR * s[0] - (sdLow * z + sdHigh * zSplit))
                            }
                            continue
                        }
                    }
                    if tree.left[node] >= 0 {
                        stack.append(tree.right[node]); stack.append(tree.left[node])
                        continue
                    }
                    for k in from..<min(to, upTo) {
                        let wk = w[k]
                        if wk[0] == 0 { continue }
                        let rho = (target - before[k]) + shift[k]
                        let logRho = log(rho)
                        let kernel = exp(-beta * logRho)
                        phi += W.lanes(kernel, kernel / rho) * wk
                        if W.hasGradient { psi += wk[0] * kernel * logRho }
                    }
                }
                let s1 = prepared.area[j]
                let power = pow(s1, -alpha)
                let phi0 = phi[0]
                let sumG = gapSum - phi0
                values[j] = l0 + a * power - b * sumG
                guard let gradient else { continue }
                let (phiL, phi1, phi1L) = (phi[1], phi[2], phi[3])
                let sumLog = logC * phi0 - gamma * phiL + psi   // Σ d·y^(−β)·log y
                let sumX = (phi0 - phi1) / c                    // Σ d·x·y^(−β−1)
                let sumXLog = (phiL - phi1L) / c                // Σ d·x·y^(−β−1)·log η
                gradient[j] = 1
                gradient[j + n] = power
                gradient[j + 2 * n] = -a * power * log(s1)
                gradient[j + 3 * n] = -sumG
                gradient[j + 4 * n] = -b * beta * sumX            // ∂G/∂C = β·x·y^(−β−1)
                gradient[j + 5 * n] = -b * sumLog                 // ∂G/∂β = y^(−β)·log y
                gradient[j + 6 * n] = b * beta * c * sumXLog      // ∂G/∂γ = −β·C·x·log η·y^(−β−1)
            }
        }}}}}}}}}}}
    }
}

/// The SIMD lanes of `MultiPowerLossDrop.evaluate`: SIMD4 (w0, wℓ, w1, w1ℓ) with the
/// gradient, SIMD2 (w0, unused) without (one SSE register, the cost of a scalar).
protocol LossDropLanes: SIMD where Scalar == Double {
    static var hasGradient: Bool { get }
    /// The weights of a change point with weight w0 = d·a, log η and η^γ/C.
    static func weights(_ w0: Double, logRate: Double, shift: Double) -> Self
    /// `plain` in the w0 and wℓ lanes, `shifted` in the w1 and w1ℓ lanes (the expansion
    /// coefficients (β)_n and (β+1)_n, the factors R^(−β) and R^(−β−1), the kernels ρ^(−β)
    /// and ρ^(−β−1)).
    static func lanes(_ plain: Double, _ shifted: Double) -> Self
}

extension SIMD4: LossDropLanes where Scalar == Double {
    static var hasGradient: Bool { true }
    static func weights(_ w0: Double, logRate l: Double, shift e: Double) -> Self {
        SIMD4(w0, w0 * l, w0 * e, w0 * e * l)
    }
    static func lanes(_ plain: Double, _ shifted: Double) -> Self { SIMD4(plain, plain, shifted, shifted) }
}

extension SIMD2: LossDropLanes where Scalar == Double {
    static var hasGradient: Bool { false }
    static func weights(_ w0: Double, logRate: Double, shift: Double) -> Self { SIMD2(w0, 0) }
    static func lanes(_ plain: Double, _ shifted: Double) -> Self { SIMD2(plain, 0) }
}
