import Foundation

/// Minimises a smooth f(z) over the capped simplex Z = {z : z_k ≥ 0, Σ_k z_k ≤ 1} by a
/// projected quasi-Newton method, for the 10⁴–10⁵ variables of a schedule's decrements.
///
/// Each iteration estimates the active face (the sum constraint when Σz = 1, with its
/// multiplier μ ≥ 0 the H-weighted mean that makes the step keep Σz; the zeros whose
/// gradient g_k + μ pushes them out), takes the L-BFGS direction (memory 12) on the free
/// variables, and searches the projected arc z(a) = P(z + a·p) with the Armijo test
/// f(z(a)) ≤ f(z) + 10⁻⁴·gᵀ(z(a) − z). When that fails (or p is not a descent direction),
/// a spectral projected-gradient step (Barzilai–Borwein length, Birgin–Martínez–Raydan) is
/// taken instead, so every iteration decreases f.
///
/// Optimality measure: the projected-gradient norm r = ‖P(z − g) − z‖_∞, which is 0
/// exactly at a KKT point of the problem (and bounds the KKT residual: with r = 0, g_k + μ = 0
/// on the support and ≥ 0 off it). It stops when r ≤ `gradientTolerance`, when f has fallen
/// by less than 10⁻¹⁵·|f| over 20 iterations, or at `maxIterations`.
///
/// P, the Euclidean projection onto Z, is max(y, 0) when its sum is ≤ 1, else the projection
/// onto the simplex {Σz = 1}: z = max(y − τ, 0) with τ from the sorted positive entries.
struct CappedSimplexMinimizer {
    var gradientTolerance = 1e-10
    var maxIterations = 3000
    var memory = 12

    /// Why the search stopped.
    enum Stop: String, Sendable {
        case converged = "projected-gradient norm below the tolerance"
        case stalled = "the loss stopped decreasing (relative change < 1e-15 over 20 iterations)"
        case iterations = "the iteration limit was reached"
    }

    struct Result {
        var z: [Double]
        var value: Double
        var iterations: Int
        var evaluations: Int
        var optimality: Double
        var stop: Stop
    }

    /// f and ∇f at z (the gradient written to its second argument).
    typealias Objective = (_ z: [Double], _ gradient: inout [Double]) -> Double

    func minimize(_ f: Objective, from start: [Double]) -> Result {
        let n = start.count
        var z = Self.project(start)
        var g = [Double](repeating: 0, count: n)
        var fz = f(z, &g)
        var evaluations = 1
        var sPairs: [[Double]] = [], yPairs: [[Double]] = [], rhos: [Double] = []
        var history: [Double] = [fz]
        var bbStep = 1.0
        var stop = Stop.iterations
        var iteration = 0
        var optimality = Self.projectedGradientNorm(z, g)
        // The first spectral step moves the largest coordinate by at most 0.1.
        bbStep = 0.1 / max(g.map(abs).max() ?? 1, 1e-300)
        while iteration < maxIterations {
            if optimality <= gradientTolerance { stop = .converged; break }
            iteration += 1
            var moved = false
            var zNew = z, gNew = g, fNew = fz
            if !sPairs.isEmpty, let p = direction(z, g, sPairs, yPairs, rhos) {
                var a = 1.0
                for _ in 0..<20 {
                    let trial = Self.project(zip(z, p).map { $0 + a * $1 })
                    var gt = [Double](repeating: 0, count: n)
                    let ft = f(trial, &gt)
                    evaluations += 1
                    var decrease = 0.0
                    for k in 0..<n { decrease += g[k] * (trial[k] - z[k]) }
                    if ft.isFinite, ft <= fz + 1e-4 * decrease, decrease < 0 {
                        zNew = trial; gNew = gt; fNew = ft; moved = true
                        break
                    }
                    a *= 0.25
                }
            }
            if !moved {
                // Spectral projected gradient, backtracking on the projected arc.
                var a = bbStep
                for _ in 0..<40 {
                    let trial = Self.project(zip(z, g).map { $0 - a * $1 })
                    var gt = [Double](repeating: 0, count: n)
                    let ft = f(trial, &gt)
                    evaluations += 1
                    var decrease = 0.0
                    for k in 0..<n { decrease += g[k] * (trial[k] - z[k]) }
                    if ft.isFinite, ft <= fz + 1e-4 * decrease {
                        zNew = trial; gNew = gt; fNew = ft; moved = true
                        break
                    }
                    a *= 0.25
                }
                if !moved { stop = .stalled; break }
            }
            var s = [Double](repeating: 0, count: n), y = s
            var sy = 0.0, ss = 0.0, yy = 0.0
            for k in 0..<n {
                s[k] = zNew[k] - z[k]; y[k] = gNew[k] - g[k]
                sy += s[k] * y[k]; ss += s[k] * s[k]; yy += y[k] * y[k]
            }
            if sy > 1e-12 * (ss * yy).squareRoot() {
                sPairs.append(s); yPairs.append(y); rhos.append(1 / sy)
                if sPairs.count > memory { sPairs.removeFirst(); yPairs.removeFirst(); rhos.removeFirst() }
                bbStep = min(max(ss / sy, 1e-12), 1e12)
            }
            z = zNew; g = gNew; fz = fNew
            optimality = Self.projectedGradientNorm(z, g)
            history.append(fz)
            if history.count > 20, history[history.count - 21] - fz <= 1e-15 * abs(fz) {
                stop = optimality <= gradientTolerance ? .converged : .stalled
                break
            }
        }
        if optimality <= gradientTolerance { stop = .converged }
        return Result(z: z, value: fz, iterations: iteration, evaluations: evaluations, optimality: optimality, stop: stop)
    }

    /// The L-BFGS direction on the estimated free variables, keeping Σz when the sum
    /// constraint is active; nil when it is not a descent direction.
    private func direction(_ z: [Double], _ g: [Double], _ s: [[Double]], _ y: [[Double]], _ rho: [Double]) -> [Double]? {
        let n = z.count
        let total = z.reduce(0, +)
        let sumActive = total >= 1 - 1e-12
        // μ from the support: g_k + μ = 0 there at a KKT point.
        var mu = 0.0
        if sumActive {
            var weight = 0.0
            for k in 0..<n where z[k] > 0 { mu -= z[k] * g[k]; weight += z[k] }
            mu = weight > 0 ? max(mu / weight, 0) : 0
        }
        var free = [Bool](repeating: true, count: n)
        for k in 0..<n where z[k] <= 0 && g[k] + mu >= 0 { free[k] = false }
        func apply(_ v: [Double]) -> [Double] { twoLoop(v, free, s, y, rho) }
        var p = apply(g.enumerated().map { free[$0.offset] ? -$0.element : 0 })
        if sumActive && mu > 0 {
            // p = −H(g + ν·1) on the free set with ν such that Σp = 0.
            let ones = apply(free.map { $0 ? 1.0 : 0.0 })
            let sumOnes = ones.reduce(0, +), sumP = p.reduce(0, +)
            if sumOnes > 0 {
                let nu = sumP / sumOnes
                for k in 0..<n { p[k] -= nu * ones[k] }
            }
        }
        var slope = 0.0
        for k in 0..<n { slope += g[k] * p[k] }
        return slope < 0 && slope.isFinite ? p : nil
    }

    /// H·v by the two-loop recursion, on the free coordinates only (v is zero off them, and
    /// q is masked after each update, so every loop is a plain vectorisable sweep).
    private func twoLoop(_ v: [Double], _ free: [Bool], _ s: [[Double]], _ y: [[Double]], _ rho: [Double]) -> [Double] {
        let n = v.count, m = s.count
        let mask = free.map { $0 ? 1.0 : 0.0 }
        var q = [Double](repeating: 0, count: n)
        var alphas = [Double](repeating: 0, count: m)
        func dot(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeMutableBufferPointer<Double>) -> Double {
            var sum = 0.0
            for k in 0..<n { sum += a[k] * b[k] }
            return sum
        }
        mask.withUnsafeBufferPointer { mask in
        q.withUnsafeMutableBufferPointer { q in
            for k in 0..<n { q[k] = v[k] * mask[k] }
            for i in stride(from: m - 1, through: 0, by: -1) {
                s[i].withUnsafeBufferPointer { si in y[i].withUnsafeBufferPointer { yi in
                    let a = rho[i] * dot(si, q)
                    alphas[i] = a
                    for k in 0..<n { q[k] = (q[k] - a * yi[k]) * mask[k] }
                } }
            }
            var sy = 0.0, yy = 0.0, full = 0.0
            s[m - 1].withUnsafeBufferPointer { sl in y[m - 1].withUnsafeBufferPointer { yl in
                for k in 0..<n { let ym = yl[k] * mask[k]; sy += sl[k] * ym; yy += ym * ym; full += yl[k] * yl[k] }
            } }
            let scale = yy > 0 && sy > 0 ? sy / yy : 1 / rho[m - 1] / max(full, 1e-300)
            for k in 0..<n { q[k] *= scale }
            for i in 0..<m {
                s[i].withUnsafeBufferPointer { si in y[i].withUnsafeBufferPointer { yi in
                    let b = alphas[i] - rho[i] * dot(yi, q)
                    for k in 0..<n { q[k] += b * si[k] * mask[k] }
                } }
            }
        } }
        return q
    }

    /// ‖P(z − g) − z‖_∞.
    static func projectedGradientNorm(_ z: [Double], _ g: [Double]) -> Double {
        let p = project(zip(z, g).map { $0 - $1 })
        var r = 0.0
        for k in 0..<z.count { r = max(r, abs(p[k] - z[k])) }
        return r
    }

    /// The Euclidean projection onto {z ≥ 0, Σz ≤ 1}.
    static func project(_ y: [Double]) -> [Double] {
        var clipped = y.map { max($0, 0) }
        let sum = clipped.reduce(0, +)
        if sum <= 1 { return clipped }
        // τ with Σ max(y − τ, 0) = 1, from the positive entries in decreasing order.
        let positive = clipped.filter { $0 > 0 }.sorted(by: >)
        var running = 0.0, tau = 0.0
        for (i, v) in positive.enumerated() {
            running += v
            let candidate = (running - 1) / Double(i + 1)
            if i + 1 == positive.count || positive[i + 1] <= candidate { tau = candidate; break }
        }
        for k in 0..<clipped.count { clipped[k] = max(clipped[k] - tau, 0) }
        return clipped
    }
}
