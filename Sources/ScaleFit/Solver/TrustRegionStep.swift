/// The Levenberg–Marquardt step for a trust region, after MINPACK's `lmpar` and `qrsolv`
/// (Moré 1978, "The Levenberg–Marquardt algorithm: implementation and theory").
///
/// Given the pivoted QR factorisation J·P = Q·R, a diagonal scaling D and Qᵀr, find λ ≥ 0
/// and p solving
///
/// ```
/// min ‖J·p + r‖² + λ‖D·p‖²   with   ‖D·p‖ ≈ Δ   (within 10%), or λ = 0 if ‖D·p_GN‖ ≤ 1.1Δ.
/// ```
///
/// Each trial λ costs O(n²): the augmented system [R; √λ·Pᵀ·D·P] is reduced to triangular
/// form by Givens rotations (`solveDamped`), never by forming JᵀJ. λ is found by the safeguarded
/// Newton iteration of Moré §5, at most 10 trials.
struct TrustRegionStep {
    let n: Int
    /// n×n column-major copy of R in the upper triangle; the strict lower triangle is workspace.
    var r: [Double]
    var pivot: [Int]
    var sdiag: [Double]
    private var wa1: [Double]
    private var wa2: [Double]
    private var wa: [Double]

    init(n: Int) {
        self.n = n
        r = Array(repeating: 0, count: n * n)
        pivot = Array(0..<n)
        sdiag = Array(repeating: 0, count: n)
        wa1 = Array(repeating: 0, count: n)
        wa2 = Array(repeating: 0, count: n)
        wa = Array(repeating: 0, count: n)
    }

    @inline(__always) private func at(_ i: Int, _ j: Int) -> Int { i + j * n }

    /// Solves for the step `x` (the Gauss–Newton/LM step p such that J·p ≈ −r is *minus* this
    /// sign convention: `x` solves J·x ≈ Qᵀb, callers negate). Updates `par` (λ).
    mutating func solve(diag: [Double], qtb: [Double], delta: Double, par: inout Double,
                        x: inout [Double]) {
        let dwarf = Double.leastNormalMagnitude
        let nsing = gaussNewton(qtb: qtb, x: &x)

        // Accept the Gauss–Newton step if it lies (nearly) inside the trust region.
        for j in 0..<n { wa2[j] = diag[j] * x[j] }
        var dxnorm = euclideanNorm(wa2)
        var fp = dxnorm - delta
        if fp <= 0.1 * delta { par = 0; return }

        // Lower bound parl of the Newton iteration (zero if J is rank-deficient).
        var parl = 0.0
        if nsing >= n {
            for j in 0..<n { let l = pivot[j]; wa1[j] = diag[l] * (wa2[l] / dxnorm) }
            for j in 0..<n {
                var sum = 0.0
                for i in 0..<j { sum += r[at(i, j)] * wa1[i] }
                wa1[j] = (wa1[j] - sum) / r[at(j, j)]
            }
            let temp = euclideanNorm(wa1)
            parl = ((fp / delta) / temp) / temp
        }
        // Upper bound paru.
        for j in 0..<n {
            var sum = 0.0
            for i in 0...j { sum += r[at(i, j)] * qtb[i] }
            wa1[j] = sum / diag[pivot[j]]
        }
        let gnorm = euclideanNorm(wa1)
        var paru = gnorm / delta
        if paru == 0 { paru = dwarf / min(delta, 0.1) }

        par = max(par, parl)
        par = min(par, paru)
        if par == 0 { par = gnorm / dxnorm }

        var iter = 0
        while true {
            iter += 1
            if par == 0 { par = max(dwarf, 0.001 * paru) }
            solveWithDamping(diag: diag, par: par, qtb: qtb, x: &x)
            for j in 0..<n { wa2[j] = diag[j] * x[j] }
            dxnorm = euclideanNorm(wa2)
            let previous = fp
            fp = dxnorm - delta
            if abs(fp) <= 0.1 * delta || (parl == 0 && fp <= previous && previous < 0) || iter == 10 {
                return
            }
            // Newton correction.
            for j in 0..<n { let l = pivot[j]; wa1[j] = diag[l] * (wa2[l] / dxnorm) }
            for j in 0..<n {
                wa1[j] /= sdiag[j]
                let temp = wa1[j]
                if j + 1 < n { for i in (j + 1)..<n { wa1[i] -= r[at(i, j)] * temp } }
            }
            let temp = euclideanNorm(wa1)
            let parc = ((fp / delta) / temp) / temp
            if fp > 0 { parl = max(parl, par) }
            if fp < 0 { paru = min(paru, par) }
            par = max(parl, par + parc)
        }
    }

    /// `x` minimising ‖R·Pᵀ·x − qtb‖² + λ‖D·x‖² for λ = `par`: each trial λ of `solve`, and
    /// geodesic acceleration, whose system is the velocity's (the λ `solve` chose) with
    /// another right-hand side.
    mutating func solveWithDamping(diag: [Double], par: Double, qtb: [Double], x: inout [Double]) {
        let s = par.squareRoot()
        for j in 0..<n { wa1[j] = s * diag[j] }
        solveDamped(diag: wa1, qtb: qtb, x: &x)
    }

    /// The Gauss–Newton direction `x` solving R·Pᵀ·x = qtb (same sign convention as
    /// `solve`), a least-squares solution if R is singular: the components from the first
    /// zero on R's diagonal on are set to zero. Returns that index (n when R is nonsingular).
    @discardableResult
    mutating func gaussNewton(qtb: [Double], x: inout [Double]) -> Int {
        var nsing = n
        for j in 0..<n {
            wa1[j] = qtb[j]
            if r[at(j, j)] == 0 && nsing == n { nsing = j }
            if nsing < n { wa1[j] = 0 }
        }
        var j = nsing - 1
        while j >= 0 {
            wa1[j] /= r[at(j, j)]
            let temp = wa1[j]
            for i in 0..<j { wa1[i] -= r[at(i, j)] * temp }
            j -= 1
        }
        for j in 0..<n { x[pivot[j]] = wa1[j] }
        return nsing
    }

    /// MINPACK `qrsolv`: solves min ‖R·z − qtb‖² + ‖diag·P·z‖² by Givens rotations, writing
    /// the triangular factor S of the augmented system to `sdiag` (diagonal) and the strict
    /// lower triangle of `r` (transposed); R's upper triangle is kept.
    private mutating func solveDamped(diag: [Double], qtb: [Double], x: inout [Double]) {
        for j in 0..<n {
            for i in j..<n { r[at(i, j)] = r[at(j, i)] }
            x[j] = r[at(j, j)]
            wa[j] = qtb[j]
        }
        for j in 0..<n {
            let l = pivot[j]
            if diag[l] != 0 {
                for k in j..<n { sdiag[k] = 0 }
                sdiag[j] = diag[l]
                var qtbpj = 0.0
                for k in j..<n where sdiag[k] != 0 {
                    let rkk = r[at(k, k)]
                    let c: Double, s: Double
                    if abs(rkk) < abs(sdiag[k]) {
                        let cotan = rkk / sdiag[k]
                        s = 0.5 / (0.25 + 0.25 * cotan * cotan).squareRoot()
                        c = s * cotan
                    } else {
                        let tan = sdiag[k] / rkk
                        c = 0.5 / (0.25 + 0.25 * tan * tan).squareRoot()
                        s = c * tan
                    }
                    r[at(k, k)] = c * rkk + s * sdiag[k]
                    let temp = c * wa[k] + s * qtbpj
                    qtbpj = -s * wa[k] + c * qtbpj
                    wa[k] = temp
                    if k + 1 < n {
                        for i in (k + 1)..<n {
                            let t = c * r[at(i, k)] + s * sdiag[i]
                            sdiag[i] = -s * r[at(i, k)] + c * sdiag[i]
                            r[at(i, k)] = t
                        }
                    }
                }
            }
            sdiag[j] = r[at(j, j)]
            r[at(j, j)] = x[j]
        }
        var nsing = n
        for j in 0..<n {
            if sdiag[j] == 0 && nsing == n { nsing = j }
            if nsing < n { wa[j] = 0 }
        }
        var j = nsing - 1
        while j >= 0 {
            var sum = 0.0
            if j + 1 < nsing { for i in (j + 1)..<nsing { sum += r[at(i, j)] * wa[i] } }
            wa[j] = (wa[j] - sum) / sdiag[j]
            j -= 1
        }
        for j in 0..<n { x[pivot[j]] = wa[j] }
    }
}
