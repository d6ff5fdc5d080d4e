import CLapack

/// QR factorisation with column pivoting, A·P = Q·R, by LAPACK `dgeqp3`, with
/// `dormqr` to apply Qᵀ to a vector.
///
/// The workspace is allocated once per size and reused, so a solver that refactors
/// a Jacobian every iteration allocates nothing in its loop. Not thread-safe: each
/// solver run owns its own instance.
public final class PivotedQR {
    public let rows: Int
    public let columns: Int
    /// After `factor`: R in the upper triangle, the Householder vectors below it
    /// (column-major, m×n).
    public private(set) var factors: [Double]
    /// After `factor`: 0-based column permutation; column j of A·P is column `pivot[j]` of A.
    public private(set) var pivot: [Int]
    private var jpvt: [Int32]
    private var tau: [Double]
    private var work: [Double]

    /// Workspace for an m×n problem (m ≥ n ≥ 1).
    public init(rows: Int, columns: Int) {
        precondition(rows >= columns && columns >= 1, "PivotedQR needs rows ≥ columns ≥ 1")
        self.rows = rows
        self.columns = columns
        var a = [Double](repeating: 0, count: rows * columns)
        var p = [Int32](repeating: 0, count: columns)
        var t = [Double](repeating: 0, count: columns)
        var c = [Double](repeating: 0, count: rows)
        // Query the optimal workspace of both routines and keep the larger.
        var query = 0.0
        var lwork = 3 * columns + 1
        _ = LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, Int32(rows), Int32(columns), &a, Int32(rows),
                                &p, &t, &query, -1)
        lwork = max(lwork, Int(query))
        _ = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int8(UInt8(ascii: "T")),
                                Int32(rows), 1, Int32(columns), a, Int32(rows), t, &c, Int32(rows),
                                &query, -1)
        lwork = max(lwork, Int(query), columns)
        factors = a
        pivot = Array(0..<columns)
        jpvt = p
        tau = t
        work = Array(repeating: 0, count: lwork)
    }

    /// Factors the column-major m×n matrix `a` (copied in).
    public func factor(_ a: [Double]) throws {
        precondition(a.count == rows * columns, "matrix size does not match the workspace")
        for k in 0..<a.count { factors[k] = a[k] }
        for j in 0..<columns { jpvt[j] = 0 }
        let m = Int32(rows), n = Int32(columns), lwork = Int32(work.count)
        let info = factors.withUnsafeMutableBufferPointer { f in
            jpvt.withUnsafeMutableBufferPointer { p in
                tau.withUnsafeMutableBufferPointer { t in
                    work.withUnsafeMutableBufferPointer { w in
                        LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, m, n, f.baseAddress, m,
                                            p.baseAddress, t.baseAddress, w.baseAddress, lwork)
                    }
                }
            }
        }
        guard info == 0 else { throw ScaleFitError.lapack(routine: "dgeqp3", info: Int(info)) }
        for j in 0..<columns { pivot[j] = Int(jpvt[j]) - 1 }
    }

    /// R[i, j] for i ≤ j (upper triangle of the factorisation).
    @inlinable
    public func r(_ i: Int, _ j: Int) -> Double { factors[i + j * rows] }

    /// Overwrites `b` (length m) with Qᵀ·b.
    public func applyQTranspose(_ b: inout [Double]) throws {
        precondition(b.count == rows, "vector length must equal the number of rows")
        let m = Int32(rows), n = Int32(columns), lwork = Int32(work.count)
        let info = factors.withUnsafeBufferPointer { f in
            tau.withUnsafeBufferPointer { t in
                b.withUnsafeMutableBufferPointer { bb in
                    work.withUnsafeMutableBufferPointer { w in
                        LAPACKE_dormqr_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")),
                                            Int8(UInt8(ascii: "T")), m, 1, n, f.baseAddress, m,
                                            t.baseAddress, bb.baseAddress, m, w.baseAddress, lwork)
                    }
                }
            }
        }
        guard info == 0 else { throw ScaleFitError.lapack(routine: "dormqr", info: Int(info)) }
    }
}
