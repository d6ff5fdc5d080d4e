import Foundation

/// QR factorisation with column pivoting, A·P = Q·R, by Householder reflections (the
/// algorithm of LAPACK `dgeqp3` and MINPACK `qrfac`), and Qᵀ applied to a vector.
///
/// At step j the remaining column of largest norm (over rows j…m−1; ties to the lowest
/// index) is swapped into place, and the reflector H = I − τ·v·vᵀ (v₀ = 1, LAPACK `dlarfg`
/// convention: R[j, j] = −sign(a)·‖x‖) zeroes it below the diagonal. The remaining norms are
/// recomputed at every step rather than downdated, which costs the same O(m·n²) as the
/// factorisation and never loses digits to cancellation.
///
/// Written in Swift rather than calling LAPACK: the solver factors a tall, thin Jacobian
/// (a few hundred rows, 2–10 columns) every iteration, where LAPACK's per-call overhead
/// (argument checks, `dnrm2`'s scaled loop, blocked-code set-up) cost more than the
/// arithmetic. The workspace is allocated once; not thread-safe: each solver run owns its
/// own instance.
package final class PivotedQR {
    package let rows: Int
    package let columns: Int
    /// After `factor`: R in the upper triangle, the Householder vectors below it
    /// (column-major, m×n).
    package private(set) var factors: [Double]
    /// After `factor`: 0-based column permutation; column j of A·P is column `pivot[j]` of A.
    package private(set) var pivot: [Int]
    private var tau: [Double]
    private var norms: [Double]

    /// Workspace for an m×n problem (m ≥ n ≥ 1).
    package init(rows: Int, columns: Int) {
        precondition(rows >= columns && columns >= 1, "PivotedQR needs rows ≥ columns ≥ 1")
        self.rows = rows
        self.columns = columns
        factors = Array(repeating: 0, count: rows * columns)
        pivot = Array(0..<columns)
        tau = Array(repeating: 0, count: columns)
        norms = Array(repeating: 0, count: 2 * columns)
    }

    /// Σ x[a + i]·y[b + i] for i < count, with four accumulators: the loop is bound by the
    /// latency of the adds otherwise (a few hundred rows per call).
    @inline(__always)
    private static func dot(_ f: UnsafeMutableBufferPointer<Double>, _ a: Int, _ y: UnsafePointer<Double>, _ count: Int) -> Double {
        let x = f.baseAddress! + a
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += x[i] * y[i]; s1 += x[i + 1] * y[i + 1]; s2 += x[i + 2] * y[i + 2]; s3 += x[i + 3] * y[i + 3]
            i += 4
        }
        while i < count { s0 += x[i] * y[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// y[i] −= w·x[i] for i < count, unrolled by four (x and y never overlap here).
    @inline(__always)
    private static func subtractMultiple(_ w: Double, of x: UnsafePointer<Double>, from y: UnsafeMutablePointer<Double>, count: Int) {
        var i = 0
        while i + 4 <= count {
            let a0 = y[i] - w * x[i], a1 = y[i + 1] - w * x[i + 1]
            let a2 = y[i + 2] - w * x[i + 2], a3 = y[i + 3] - w * x[i + 3]
            y[i] = a0; y[i + 1] = a1; y[i + 2] = a2; y[i + 3] = a3
            i += 4
        }
        while i < count { y[i] -= w * x[i]; i += 1 }
    }

    /// ‖f[from..<to]‖, by a plain sum of squares unless that over- or underflows.
    @inline(__always)
    private static func norm(_ f: UnsafeMutableBufferPointer<Double>, _ from: Int, _ to: Int) -> Double {
        guard to > from else { return 0 }
        let s = dot(f, from, UnsafePointer(f.baseAddress! + from), to - from)
        if s.isNormal && s < 1e300 && s > 1e-300 { return s.squareRoot() }
        var scale = 0.0
        for i in from..<to { scale = Swift.max(scale, Swift.abs(f[i])) }
        if scale == 0 || !scale.isFinite { return scale }
        var t = 0.0
        for i in from..<to { let v = f[i] / scale; t += v * v }
        return scale * t.squareRoot()
    }

    /// Factors the column-major m×n matrix `a` (copied in). Throws `lapack(routine: "dgeqp3")`
    /// if `a` holds a NaN or ±∞ (the factorisation is then meaningless).
    package func factor(_ a: [Double]) throws {
        precondition(a.count == rows * columns, "matrix size does not match the workspace")
        let m = rows, n = columns
        var finite = true
        factors.withUnsafeMutableBufferPointer { f in
            a.withUnsafeBufferPointer { src in
                f.baseAddress!.update(from: src.baseAddress!, count: m * n)
                // x·0 is 0 for finite x and NaN otherwise; a sum the compiler can vectorise.
                var probe = 0.0
                for k in 0..<(m * n) { probe += src[k] * 0 }
                finite = probe == 0
            }
            guard finite else { return }
            pivot.withUnsafeMutableBufferPointer { piv in
                tau.withUnsafeMutableBufferPointer { t in
                    norms.withUnsafeMutableBufferPointer { nrm in
                        for j in 0..<n { piv[j] = j }
                        // Partial column norms over rows j..<m, downdated after each step and
                        // recomputed when cancellation would cost digits (LAPACK dlaqp2).
                        // nrm[k]: partial norm of column k; nrm[n + k]: its last recomputed value.
                        for k in 0..<n { nrm[k] = Self.norm(f, k * m, k * m + m); nrm[n + k] = nrm[k] }
                        for j in 0..<n {
                            var best = j
                            for k in (j + 1)..<n where nrm[k] > nrm[best] { best = k }
                            if best != j {
                                for i in 0..<m { f.swapAt(i + j * m, i + best * m) }
                                piv.swapAt(j, best)
                                nrm.swapAt(j, best)
                                nrm.swapAt(n + j, n + best)
                            }
                            // Reflector for column j, rows j..<m (dlarfg).
                            let cj = j * m
                            let alpha = f[cj + j]
                            let xnorm = Self.norm(f, cj + j + 1, cj + m)
                            if xnorm != 0 {
                                let h = hypot(alpha, xnorm)
                                let beta = alpha >= 0 ? -h : h
                                t[j] = (beta - alpha) / beta
                                let scale = 1 / (alpha - beta)
                                for i in (j + 1)..<m { f[cj + i] *= scale }
                                f[cj + j] = beta
                                // Apply H = I − τ·v·vᵀ to the remaining columns.
                                let tj = t[j]
                                let v = UnsafePointer(f.baseAddress! + cj + j + 1)
                                for k in (j + 1)..<n {
                                    let ck = k * m
                                    let w = tj * (f[ck + j] + Self.dot(f, ck + j + 1, v, m - j - 1))
                                    f[ck + j] -= w
                                    Self.subtractMultiple(w, of: v, from: f.baseAddress! + ck + j + 1, count: m - j - 1)
                                }
                            } else {
                                t[j] = 0
                            }
                            for k in (j + 1)..<n where nrm[k] != 0 {
                                let r = abs(f[k * m + j]) / nrm[k]
                                let temp = max(0, (1 + r) * (1 - r))
                                let ratio = nrm[k] / nrm[n + k]
                                if temp * ratio * ratio <= 1.4901161193847656e-08 {
                                    nrm[k] = Self.norm(f, k * m + j + 1, k * m + m)
                                    nrm[n + k] = nrm[k]
                                } else {
                                    nrm[k] *= temp.squareRoot()
                                }
                            }
                        }
                    }
                }
            }
        }
        guard finite else { throw ScaleFitError.lapack(routine: "dgeqp3", info: -4) }
    }

    /// R[i, j] for i ≤ j (upper triangle of the factorisation).
    @inlinable
    package func r(_ i: Int, _ j: Int) -> Double { factors[i + j * rows] }

    /// Overwrites `b` (length m) with Qᵀ·b = H_{n−1}⋯H₀·b.
    package func applyQTranspose(_ b: inout [Double]) throws {
        precondition(b.count == rows, "vector length must equal the number of rows")
        let m = rows, n = columns
        factors.withUnsafeBufferPointer { f in
            tau.withUnsafeBufferPointer { t in
                b.withUnsafeMutableBufferPointer { bb in
                    for j in 0..<n where t[j] != 0 {
                        let cj = j * m
                        let v = f.baseAddress! + cj + j + 1, y = bb.baseAddress! + j + 1
                        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                        let count = m - j - 1
                        var i = 0
                        while i + 4 <= count {
                            s0 += v[i] * y[i]; s1 += v[i + 1] * y[i + 1]; s2 += v[i + 2] * y[i + 2]; s3 += v[i + 3] * y[i + 3]
                            i += 4
                        }
                        while i < count { s0 += v[i] * y[i]; i += 1 }
                        let w = t[j] * (bb[j] + ((s0 + s1) + (s2 + s3)))
                        bb[j] -= w
                        Self.subtractMultiple(w, of: v, from: y, count: count)
                    }
                }
            }
        }
    }
}
