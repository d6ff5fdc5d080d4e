@_implementationOnly import CLapack

/// The thin singular value decomposition A = U·diag(σ)·Vᵀ of an m×n matrix (m ≥ n),
/// by LAPACK `dgesvd`. Used for the covariance (JᵀJ)⁻¹ = V·diag(1/σ²)·Vᵀ, which
/// never forms JᵀJ and so keeps the digits a normal-equations inverse would lose,
/// and for the numerical rank.
package struct SingularValueDecomposition: Sendable {
    /// Singular values, largest first.
    package let singularValues: [Double]
    /// V (n×n), the right singular vectors as columns.
    package let rightVectors: Matrix

    /// Decomposes `a`. Throws `nonFinite` for a NaN or ∞ entry, `lapack` when
    /// `dgesvd` does not converge.
    package init(_ a: Matrix) throws {
        if let bad = a.firstNonFinite {
            throw ScaleFitError.nonFinite(what: "Jacobian entry", row: bad.row, column: bad.column)
        }
        let m = a.rows, n = a.columns
        guard m >= 1, n >= 1 else {
            throw ScaleFitError.dimensionMismatch(expected: "a non-empty matrix", found: "\(m)×\(n)")
        }
        var copy = a.storage
        var s = [Double](repeating: 0, count: min(m, n))
        var vt = [Double](repeating: 0, count: n * n)
        var u = [Double](repeating: 0, count: 1)
        var query = 0.0
        _ = LAPACKE_dgesvd_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "A")),
                                Int32(m), Int32(n), &copy, Int32(m), &s, &u, 1, &vt, Int32(n),
                                &query, -1)
        var work = [Double](repeating: 0, count: max(1, Int(query)))
        let info = LAPACKE_dgesvd_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")),
                                       Int8(UInt8(ascii: "A")), Int32(m), Int32(n), &copy,
                                       Int32(m), &s, &u, 1, &vt, Int32(n), &work,
                                       Int32(work.count))
        guard info == 0 else { throw ScaleFitError.lapack(routine: "dgesvd", info: Int(info)) }
        if s.count < n { s += Array(repeating: 0, count: n - s.count) }
        singularValues = s
        rightVectors = Matrix(rows: n, columns: n, columnMajor: vt).transposed
    }

    /// The number of singular values above `relativeTolerance`·σ_max.
    package func rank(relativeTolerance: Double) -> Int {
        guard let top = singularValues.first, top > 0 else { return 0 }
        return singularValues.filter { $0 > relativeTolerance * top }.count
    }

    /// The pseudo-inverse of AᵀA, V·diag(1/σ²)·Vᵀ, dropping σ ≤ tolerance·σ_max.
    package func inverseGram(relativeTolerance: Double) -> Matrix {
        let n = rightVectors.rows
        var out = Matrix(rows: n, columns: n)
        let top = singularValues.first ?? 0
        for k in 0..<n where singularValues[k] > relativeTolerance * top && singularValues[k] > 0 {
            let w = 1 / (singularValues[k] * singularValues[k])
            for j in 0..<n {
                let vj = rightVectors[j, k] * w
                for i in 0..<n { out[i, j] += rightVectors[i, k] * vj }
            }
        }
        return out
    }
}
