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
/// On a dense log (at least one logged step per `changesPerStepForDualTraversal` change
/// points) the logged steps have a tree of their own (`TargetTree`, in S1), and the two trees
/// are traversed together: a pair (T, S) whose change points every step of T sees and whose
/// intervals are apart, r_T + r_S ≤ q·D with D = c_T − c_S, becomes a local expansion about
/// T's centre (P = c_T + δ, σ = c_S + ε):
///
/// ```
/// Σ w·(D + δ − ε)^(−β) = Σ_a δ^a/a!·λ_a,   λ_a = (−1/D)^a·D^(−β)·Σ_(b ≤ p−a) (β)_(a+b)·μ_b·D^(−b)
/// ```
///
/// (terms with a + b ≤ p, so the omitted ones are exactly those of the bound above, with
/// |δ − ε| ≤ q·D); parents pass their expansions to their children exactly (a polynomial
/// shifted), and each step evaluates its leaf's. A target leaf walks the pairs that are not
/// resolved step by step, as a sparse log does. On 10⁵ steps logged every step: 0.09 s for
/// values and gradient with leaves of 8 (`leafSize(changes:steps:)`), was 0.40 s walking each
/// step with leaves of 16 (`scalefit-bench lossdrop`).
///
/// Cost per evaluation: O(K·p) for the weights and the moments of the tree (two exp per
/// change point, p = 16), plus O(n·p·h) for the n logged steps, h the number of nodes a
/// step visits, O(log(K)/q): O((K + n·log K)·p) in all, against O(K·n) for the direct sum;
/// the dual traversal replaces most of the O(n·p·h) by O(p²) per pair of nodes.
/// q is 0.16–0.18 for β ≤ 1 at the default tolerance 1e-12 (p = 12 gave 0.10: more nodes per
/// step for cheaper expansions, slower in all on the perf families) and 0.27–0.31 at the
/// screening tolerance 1e-8. The sums run in SIMD lanes (`LossDropLanes`): the four
/// weights the gradient needs share each moment update, translation and Horner step.
enum MultiPowerLossDrop {
    /// The expansion order p.
    static let order = 16
    /// The Horner of an expansion runs in two halves, orders 0..<split and split…order.
    static let split = (order + 1) / 2
    /// Change points per leaf at most, by default.
    static let leafSize = 16

    /// The leaf size of the change points' tree for K change points and n logged steps:
    /// 8·√(K/n) within [8, 64]. Fewer logged steps per change point make the direct sums
    /// at the leaves rarer and the moments' translations the larger cost, so larger leaves
    /// pay. Instructions per evaluation (`valgrind --tool=callgrind` of `scalefit-bench lossdrop`,
    /// a 72k cosine): logged every step, leaves of 8 take 14% fewer than 16 and 32 take 54%
    /// more; every 4 steps 16 is best; every 32, 32 (10% fewer than 16); every 128, 64 (25%
    /// fewer than 16).
    static func leafSize(changes: Int, steps: Int) -> Int {
        let ratio = Double(changes) / Double(max(steps, 1))
        return min(64, max(8, Int((8 * ratio.squareRoot()).rounded())))
    }
    /// The default bound on each node's truncation error relative to its Σ|d_k|·y_k^(−α)
    /// (`MultiPowerLaw.lossDropTolerance`).
    static let tolerance = 1e-12

    /// A binary tree over the change points 0..<K, nodes in post-order (children before
    /// parents, root last); `left` is −1 for a leaf.
    struct Tree: Sendable {
        var lo: [Int] = [], hi: [Int] = [], left: [Int] = [], right: [Int] = []
        var root: Int { lo.count - 1 }

        init(count: Int, leafSize: Int = MultiPowerLossDrop.leafSize) {
            if count > 0 { _ = add(0, count, leafSize) }
        }

        private mutating func add(_ from: Int, _ to: Int, _ leafSize: Int) -> Int {
            var l = -1, r = -1
            if to - from > leafSize {
                let mid = (from + to) / 2
                l = add(from, mid, leafSize)
                r = add(mid, to, leafSize)
            }
            lo.append(from); hi.append(to); left.append(l); right.append(r)
            return lo.count - 1
        }
    }

    /// Logged steps per leaf of the target tree.
    static let targetLeafSize = 16
    /// The dual traversal runs when there is at least one logged step per this many change
    /// points; sparser logs walk the change points' tree step by step (`scalefit-bench
    /// lossdrop` on a 72k cosine with leaves of 16: the dual traversal 2.0× faster logged
    /// every 2 steps, 1.1× every 32, even at 64, 15% slower at 128).
    static let changesPerStepForDualTraversal = 64

    /// Whether a log of `steps` logged steps over `changes` change points is dense enough
    /// for the dual traversal (so `prepare` builds its `TargetTree`).
    static func usesDualTraversal(changes: Int, steps: Int) -> Bool {
        changes > 0 && steps > 0 && steps &* changesPerStepForDualTraversal >= changes
    }

    /// The centre and half-width of [lowest, highest].
    @inline(__always) static func span(_ lowest: Double, _ highest: Double) -> (center: Double, radius: Double) {
        let mid = 0.5 * (lowest + highest)
        return (mid, max(highest - mid, mid - lowest))
    }

    /// The tree of logged steps (leaves of `targetLeafSize`) with each node's centre and
    /// half-width in P = S1: fixed by the schedule, so built once in `prepare`.
    struct TargetTree: Sendable {
        let tree: Tree
        let center: [Double], radius: [Double]

        /// The tree over the logged steps at `area` (S1, nondecreasing with the step): a
        /// leaf's extent from its steps, a parent's from its children's (children first).
        init(area: [Double]) {
            tree = Tree(count: area.count, leafSize: MultiPowerLossDrop.targetLeafSize)
            var lowest = [Double](repeating: .infinity, count: tree.lo.count)
            var highest = [Double](repeating: -.infinity, count: tree.lo.count)
            var center = [Double](repeating: 0, count: tree.lo.count), radius = center
            for node in tree.lo.indices {
                if tree.left[node] < 0 {
                    for j in tree.lo[node]..<tree.hi[node] {
                        lowest[node] = min(lowest[node], area[j]); highest[node] = max(highest[node], area[j])
                    }
                } else {
                    lowest[node] = min(lowest[tree.left[node]], lowest[tree.right[node]])
                    highest[node] = max(highest[tree.left[node]], highest[tree.right[node]])
                }
                (center[node], radius[node]) = MultiPowerLossDrop.span(lowest[node], highest[node])
            }
            self.center = center
            self.radius = radius
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
            let inverseFactorial = UnsafeMutablePointer<Double>.allocate(capacity: p1)
            defer { inverseFactorial.deallocate() }
            for m in 0..<p1 { inverse[m] = 1 / Double(m + 1) }
            inverseFactorial[0] = 1
            for m in 1..<p1 { inverseFactorial[m] = inverseFactorial[m - 1] * inverse[m - 1] }
            // hPower[m] ← h^m/m!, the powers in two chains (even and odd) of h².
            func shiftPowers(_ h: Double) {
                let h2 = h * h
                var even = 1.0, odd = h
                var m = 0
                while m &+ 1 < p1 {
                    hPower[m] = even * inverseFactorial[m]
                    hPower[m &+ 1] = odd * inverseFactorial[m &+ 1]
                    even *= h2; odd *= h2
                    m &+= 2
                }
                if m < p1 { hPower[m] = even * inverseFactorial[m] }
            }
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
                    let mid: Double
                    (mid, radius[node]) = span(lowest, highest)
                    center[node] = mid
                    // Two change points at a time: two independent chains of δ^m/m!.
                    var k = tree.lo[node]
                    let end = tree.hi[node]
                    while k &+ 1 < end {
                        let delta0 = sigma[k] - mid, delta1 = sigma[k &+ 1] - mid
                        let w0 = w[k], w1 = w[k &+ 1]
                        var power0 = 1.0, power1 = 1.0
                        for m in 0..<p1 {
                            target[m] += w0 * power0 + w1 * power1
                            power0 *= delta0 * inverse[m]
                            power1 *= delta1 * inverse[m]
                        }
                        k &+= 2
                    }
                    if k < end {
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
                let mid: Double
                (mid, radius[node]) = span(lowest, highest)
                center[node] = mid
                for side in 0..<2 {
                    let child = side == 0 ? leftChild : rightChild
                    shiftPowers(center[child] - mid)
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

            // The targets: the tree of logged steps against the tree of change points (see
            // the type). Per-step accumulators of the lanes Φ0, Φℓ, Φ1, Φ1ℓ and of Ψ.
            let area = prepared.area, changesUpTo = prepared.changesUpTo
            let targets = prepared.targets
            let targetNodes = targets?.tree.lo.count ?? 0
            let phiAt = UnsafeMutablePointer<W>.allocate(capacity: max(n, 1))
            phiAt.initialize(repeating: .zero, count: n)
            let psiAt = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            psiAt.initialize(repeating: 0, count: n)
            // Local expansions λ_a (the a-th derivative in P at the node's centre), written
            // on a node's first translation (`hasLocal`).
            let local = UnsafeMutablePointer<W>.allocate(capacity: max(targetNodes * p1, 1))
            let localPsi = UnsafeMutablePointer<Double>.allocate(capacity: max(targetNodes * p1, 1))
            var hasLocal = [Bool](repeating: false, count: targetNodes)
            let scaled = UnsafeMutablePointer<W>.allocate(capacity: p1)
            defer {
                phiAt.deallocate(); psiAt.deallocate(); local.deallocate(); localPsi.deallocate(); scaled.deallocate()
            }
            var stack: [Int] = []
            stack.reserveCapacity(64)

            // One step j against the change points of node `start`: whole nodes by their
            // multipole expansion where r ≤ q·R, leaves' change points directly otherwise.
            func walk(_ j: Int, from start: Int) {
                let target = area[j]
                let upTo = changesUpTo[j]
                var phi = W.zero, psi = 0.0
                stack.append(start)
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
                            let base = momentBase + node &* p1
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
                phiAt[j] += phi
                if W.hasGradient { psiAt[j] += psi }
            }

            // Target node `node`'s local expansion (λ and Ψ's), zeroed on its first use.
            func claimLocal(_ node: Int) -> (UnsafeMutablePointer<W>, UnsafeMutablePointer<Double>) {
                let out = local + node &* p1, outPsi = localPsi + node &* p1
                if !hasLocal[node] {
                    for a in 0..<p1 { out[a] = .zero }
                    if W.hasGradient { for a in 0..<p1 { outPsi[a] = 0 } }
                    hasLocal[node] = true
                }
                return (out, outPsi)
            }

            // Node `source`'s field as a local expansion about target node `node`'s centre,
            // `distance` = c_T − c_S away: with s_b = μ_b·z^b, z = 1/D,
            // λ_a = (−z)^a·D^(−β)·Σ_(b ≤ p−a) (β)_(a+b)·s_b (β + 1 and D^(−β−1) in the w1 lanes),
            // and for Ψ = −∂Φ0/∂β at fixed weights (−z)^a·D^(−β)·(log D·Σ (β)_(a+b)·s_b − Σ (β)′_(a+b)·s_b).
            // Keeping a + b ≤ p leaves out exactly the orders the truncation bound covers.
            func translate(_ source: Int, to node: Int, distance: Double) {
                let z = 1 / distance
                let logD = log(distance)
                let scale = exp(-beta * logD)
                let base = momentBase + source &* p1
                var zb = 1.0
                for b in 0..<p1 { scaled[b] = base[b] * zb; zb *= z }
                let (out, outPsi) = claimLocal(node)
                let lanes = W.lanes(scale, scale * z)
                var za = 1.0
                for a in 0..<p1 {
                    var sum = W.zero, sumD = 0.0
                    for b in 0..<(p1 &- a) {
                        sum += coefficient[a &+ b] * scaled[b]
                        if W.hasGradient { sumD += cbd[a &+ b] * scaled[b][0] }
                    }
                    out[a] += lanes * sum * za
                    if W.hasGradient { outPsi[a] += za * scale * (logD * sum[0] - sumD) }
                    za *= -z
                }
            }

            // The dual traversal (a dense log, with its tree of steps): a pair whose change
            // points every step of T sees and whose spheres are apart (r_T + r_S ≤ q·D) is
            // translated; a target leaf walks the rest step by step; otherwise the larger node
            // is split. A sparse log walks the whole tree from each step.
            if let targets, nodeCount > 0 {
                var pairs: [(Int, Int)] = [(targets.tree.root, tree.root)]
                pairs.reserveCapacity(256)
                while let (tNode, sNode) = pairs.popLast() {
                    let ja = targets.tree.lo[tNode], jb = targets.tree.hi[tNode]
                    if tree.lo[sNode] >= changesUpTo[jb &- 1] { continue }
                    let rT = targets.radius[tNode], rS = radius[sNode]
                    if tree.hi[sNode] <= changesUpTo[ja] {
                        let distance = targets.center[tNode] - center[sNode]
                        if distance > 0, rT + rS <= q * distance {
                            translate(sNode, to: tNode, distance: distance)
                            continue
                        }
                    }
                    let tLeft = targets.tree.left[tNode]
                    if tLeft < 0 {
                        for j in ja..<jb { walk(j, from: sNode) }
                        continue
                    }
                    if tree.left[sNode] < 0 || rT >= rS {
                        pairs.append((targets.tree.right[tNode], sNode)); pairs.append((tLeft, sNode))
                    } else {
                        pairs.append((tNode, tree.right[sNode])); pairs.append((tNode, tree.left[sNode]))
                    }
                }

                // Local expansions from parents to children (post-order reversed: a parent before
                // its children): with h = c_child − c_parent, λ′_a = Σ_(i ≥ a) λ_i·h^(i−a)/(i−a)!,
                // exact for the degree-p polynomial; then each leaf's at its steps.
                for node in stride(from: targetNodes - 1, through: 0, by: -1) where hasLocal[node] {
                    let from = local + node &* p1, fromPsi = localPsi + node &* p1
                    let leftChild = targets.tree.left[node]
                    if leftChild >= 0 {
                        for child in [leftChild, targets.tree.right[node]] {
                            shiftPowers(targets.center[child] - targets.center[node])
                            let (out, outPsi) = claimLocal(child)
                            for a in 0..<p1 {
                                var sum = W.zero, sumPsi = 0.0
                                for i in a..<p1 {
                                    sum += from[i] * hPower[i &- a]
                                    if W.hasGradient { sumPsi += fromPsi[i] * hPower[i &- a] }
                                }
                                out[a] += sum
                                if W.hasGradient { outPsi[a] += sumPsi }
                            }
                        }
                        continue
                    }
                    for j in targets.tree.lo[node]..<targets.tree.hi[node] {
                        let delta = area[j] - targets.center[node]
                        var sum = from[order], sumPsi = W.hasGradient ? fromPsi[order] : 0
                        for a in stride(from: order - 1, through: 0, by: -1) {
                            let f = delta * inverse[a]
                            sum = from[a] + sum * f
                            if W.hasGradient { sumPsi = fromPsi[a] + sumPsi * f }
                        }
                        phiAt[j] += sum
                        if W.hasGradient { psiAt[j] += sumPsi }
                    }
                }
            } else if nodeCount > 0 {
                for j in 0..<n { walk(j, from: tree.root) }
            }

            var gapSum = 0.0, done = 0
            for j in 0..<n {
                let upTo = changesUpTo[j]
                while done < upTo { gapSum += gap[done]; done += 1 }
                let phi = phiAt[j], psi = psiAt[j]
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
