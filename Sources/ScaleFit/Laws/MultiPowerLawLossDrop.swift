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
/// change point, p = 12), plus O(n·p·h) for the n logged steps, h the number of nodes a
/// step visits, O(log(K)/q) (q ≈ 0.1–0.2 for β ≤ 1): O((K + n·log K)·p) in all, against
/// O(K·n) for the direct sum.
enum MultiPowerLossDrop {
    /// The expansion order p.
    static let order = 12
    /// Change points per leaf.
    static let leafSize = 16
    /// The bound on each node's truncation error relative to its Σ|d_k|·y_k^(−α).
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

    /// The largest q ≤ ½ for which the truncation bound (see the type) is below `tolerance`.
    static func admissibleRatio(alpha: Double) -> Double {
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

    /// L at the logged steps `rows` and, if `gradient` is given, ∂L/∂θ (column-major).
    static func evaluate(_ prepared: MultiPowerLaw.Prepared, _ p: [Double],
                         _ values: UnsafeMutableBufferPointer<Double>,
                         _ gradient: UnsafeMutableBufferPointer<Double>?) {
        let (l0, a, alpha, b, c, beta, gamma) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6])
        let n = prepared.steps.count
        let count = prepared.changeCount
        let tree = prepared.tree
        let nodeCount = tree.lo.count
        let sets = gradient == nil ? 1 : 4  // moments of w0, wℓ, w1, w1ℓ
        let p1 = order + 1
        let logC = log(c)
        let q = admissibleRatio(alpha: beta + 1)

        // The expansion's coefficients for moments μ_n = M_n/n!: rising factorials (β)_n,
        // their β-derivatives, and (β+1)_n.
        var cb = [Double](repeating: 0, count: p1), cbd = cb, c1 = cb
        cb[0] = 1; c1[0] = 1
        var derivative = 0.0
        for m in 1..<p1 {
            cb[m] = cb[m - 1] * (beta + Double(m - 1))
            c1[m] = c1[m - 1] * (beta + Double(m))
            // d/dβ (β)_m = (d/dβ (β)_(m−1))·(β+m−1) + (β)_(m−1), without dividing by β + i.
            derivative = derivative * (beta + Double(m - 1)) + cb[m - 1]
            cbd[m] = derivative
        }

        // Per change point: σ, and the weights d·a, d·a·log η, d·a·η^γ/C, d·a·η^γ/C·log η.
        var shift = [Double](repeating: 0, count: count)   // η^γ/C
        var sigma = shift
        var weights = [Double](repeating: 0, count: count * sets)
        var center = [Double](repeating: 0, count: nodeCount), radius = center
        // Each node zeroes its own moments before summing into them (children before parents).
        var moments = [Double](unsafeUninitializedCapacity: nodeCount * sets * p1) { _, initialized in
            initialized = nodeCount * sets * p1
        }

        prepared.changeGap.withUnsafeBufferPointer { gap in
        prepared.changeLogRate.withUnsafeBufferPointer { logRate in
        prepared.changeAreaBefore.withUnsafeBufferPointer { before in
        shift.withUnsafeMutableBufferPointer { shift in
        sigma.withUnsafeMutableBufferPointer { sigma in
        weights.withUnsafeMutableBufferPointer { w in
        center.withUnsafeMutableBufferPointer { center in
        radius.withUnsafeMutableBufferPointer { radius in
        moments.withUnsafeMutableBufferPointer { mom in
            for k in 0..<count {
                let l = logRate[k]
                guard l > -.infinity else {  // η_k = 0: G = 1, no kernel term
                    sigma[k] = before[k]
                    continue
                }
                let e = exp(gamma * l) / c
                let w0 = gap[k] * exp(beta * (gamma * l - logC))
                shift[k] = e
                sigma[k] = before[k] - e
                w[k * sets] = w0
                if sets == 4 {
                    w[k * sets + 1] = w0 * l
                    w[k * sets + 2] = w0 * e
                    w[k * sets + 3] = w0 * e * l
                }
            }

            // Node centres, radii and moments μ_n = Σ w·δ^n/n!, children before parents.
            // Shifting the centre by h: μ_n(c) = Σ_i μ_i(c')·h^(n−i)/(n−i)!.
            let inverse = UnsafeMutablePointer<Double>.allocate(capacity: p1)
            let hPower = UnsafeMutablePointer<Double>.allocate(capacity: p1)
            defer { inverse.deallocate(); hPower.deallocate() }
            for m in 0..<p1 { inverse[m] = 1 / Double(m + 1) }
            let momentBase = mom.baseAddress!, weightBase = w.baseAddress!
            for node in 0..<nodeCount {
                let target = momentBase + node * sets * p1
                for i in 0..<(sets &* p1) { target[i] = 0 }
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
                        let source = weightBase + k &* sets
                        var power = 1.0
                        if sets == 1 {
                            let w0 = source[0]
                            for m in 0..<p1 { target[m] += w0 * power; power *= delta * inverse[m] }
                        } else {
                            let (w0, w1, w2, w3) = (source[0], source[1], source[2], source[3])
                            for m in 0..<p1 {
                                target[m] += w0 * power
                                target[p1 &+ m] += w1 * power
                                target[2 &* p1 &+ m] += w2 * power
                                target[3 &* p1 &+ m] += w3 * power
                                power *= delta * inverse[m]
                            }
                        }
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
                    let source = momentBase + child &* sets &* p1
                    if sets == 1 {
                        for m in 0..<p1 {
                            // Two accumulators: the sum is bound by the adds' latency otherwise.
                            var even = 0.0, odd = 0.0
                            var i = 0
                            while i + 1 <= m {
                                even += source[i] * hPower[m &- i]
                                odd += source[i &+ 1] * hPower[m &- i &- 1]
                                i &+= 2
                            }
                            if i == m { even += source[i] * hPower[0] }
                            target[m] += even + odd
                        }
                    } else {
                        // The four sets side by side: four independent sums per order.
                        let f1 = source + p1, f2 = source + 2 &* p1, f3 = source + 3 &* p1
                        for m in 0..<p1 {
                            var t0 = 0.0, t1 = 0.0, t2 = 0.0, t3 = 0.0
                            var i = 0
                            while i <= m {
                                let hp = hPower[m &- i]
                                t0 += source[i] * hp; t1 += f1[i] * hp; t2 += f2[i] * hp; t3 += f3[i] * hp
                                i &+= 1
                            }
                            target[m] += t0
                            target[p1 &+ m] += t1
                            target[2 &* p1 &+ m] += t2
                            target[3 &* p1 &+ m] += t3
                        }
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
                var phi0 = 0.0, phiL = 0.0, psi = 0.0, phi1 = 0.0, phi1L = 0.0
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
                            let base = node * sets * p1
                            if sets == 1 {
                                var s0 = 0.0
                                for m in stride(from: order, through: 0, by: -1) { s0 = s0 * z + cb[m] * mom[base + m] }
                                phi0 += scale * s0
                            } else {
                                var s0 = 0.0, sd = 0.0, sl = 0.0, s1 = 0.0, s1l = 0.0
                                for m in stride(from: order, through: 0, by: -1) {
                                    let m0 = mom[base + m]
                                    s0 = s0 * z + cb[m] * m0
                                    sd = sd * z + cbd[m] * m0
                                    sl = sl * z + cb[m] * mom[base + p1 + m]
                                    s1 = s1 * z + c1[m] * mom[base + 2 * p1 + m]
                                    s1l = s1l * z + c1[m] * mom[base + 3 * p1 + m]
                                }
                                phi0 += scale * s0
                                phiL += scale * sl
                                psi += scale * (logR * s0 - sd)
                                phi1 += scale * z * s1
                                phi1L += scale * z * s1l
                            }
                            continue
                        }
                    }
                    if tree.left[node] >= 0 {
                        stack.append(tree.right[node]); stack.append(tree.left[node])
                        continue
                    }
                    for k in from..<min(to, upTo) {
                        let w0 = w[k * sets]
                        if w0 == 0 { continue }
                        let rho = (target - before[k]) + shift[k]
                        let logRho = log(rho)
                        let kernel = exp(-beta * logRho)
                        phi0 += w0 * kernel
                        if sets == 4 {
                            let inverse = kernel / rho
                            phiL += w[k * sets + 1] * kernel
                            psi += w0 * kernel * logRho
                            phi1 += w[k * sets + 2] * inverse
                            phi1L += w[k * sets + 3] * inverse
                        }
                    }
                }
                let s1 = prepared.area[j]
                let power = pow(s1, -alpha)
                let sumG = gapSum - phi0
                values[j] = l0 + a * power - b * sumG
                guard let gradient else { continue }
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
        }}}}}}}}}
    }
}
