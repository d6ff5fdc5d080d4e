/// A dense real matrix stored column-major, the layout LAPACK expects.
///
/// ```
/// A[i, j] = storage[i + j·rows]
/// ```
///
/// A value type: copies are cheap until written (copy-on-write through `Array`).
public struct Matrix: Equatable, Sendable, Codable {
    /// Number of rows (m).
    public let rows: Int
    /// Number of columns (n).
    public let columns: Int
    /// The entries, column after column.
    public var storage: [Double]

    /// An m×n matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from its column-major entries.
    public init(rows: Int, columns: Int, columnMajor: [Double]) {
        precondition(columnMajor.count == rows * columns, "storage count must be rows·columns")
        self.rows = rows
        self.columns = columns
        self.storage = columnMajor
    }

    /// A matrix from an array of rows (convenient in tests).
    public init(_ rowArrays: [[Double]]) {
        let m = rowArrays.count
        let n = rowArrays.first?.count ?? 0
        self.init(rows: m, columns: n)
        for i in 0..<m {
            precondition(rowArrays[i].count == n, "all rows must have the same length")
            for j in 0..<n { self[i, j] = rowArrays[i][j] }
        }
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// The entry in `row` and `column`, stored column-major at `row + column·rows` (unchecked beyond the storage's own bounds).
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * rows] }
        set { storage[row + column * rows] = newValue }
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t[j, i] = self[i, j] }
        }
        return t
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    /// The matrix–vector product A·x.
    public func times(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "vector length must equal the number of columns")
        var y = [Double](repeating: 0, count: rows)
        for j in 0..<columns {
            let xj = x[j]
            if xj == 0 { continue }
            let base = j * rows
            for i in 0..<rows { y[i] += storage[base + i] * xj }
        }
        return y
    }

    /// The product Aᵀ·x.
    public func transposeTimes(_ x: [Double]) -> [Double] {
        precondition(x.count == rows, "vector length must equal the number of rows")
        var y = [Double](repeating: 0, count: columns)
        for j in 0..<columns {
            let base = j * rows
            var s = 0.0
            for i in 0..<rows { s += storage[base + i] * x[i] }
            y[j] = s
        }
        return y
    }

    /// True when every entry is finite.
    public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

    /// The first non-finite entry, as (row, column), if any.
    public var firstNonFinite: (row: Int, column: Int)? {
        let k: Int? = storage.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where !buffer[i].isFinite { return i }
            return nil
        }
        guard let k else { return nil }
        return (k % max(rows, 1), k / max(rows, 1))
    }
}

/// The Euclidean norm of a vector, computed with scaling so that it neither overflows
/// nor underflows (the two-pass idea of MINPACK's `enorm`, LAPACK's `dnrm2`).
@inlinable
public func euclideanNorm(_ x: [Double]) -> Double {
    var scale = 0.0
    for v in x { scale = Swift.max(scale, Swift.abs(v)) }
    if scale == 0 || !scale.isFinite { return scale }
    // Plain sum of squares is exact enough and fast when no overflow/underflow threatens.
    if scale > 1e-150 && scale < 1e150 {
        var s = 0.0
        for v in x { s += v * v }
        return s.squareRoot()
    }
    var s = 0.0
    for v in x { let t = v / scale; s += t * t }
    return scale * s.squareRoot()
}
