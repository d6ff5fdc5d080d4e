import XCTest
@testable import ScaleFit

final class PivotedQRTests: XCTestCase {
    /// Qᵀ applied to each column of A·P gives R: upper triangular, equal to the stored factor,
    /// with |R[j, j]| non-increasing (the pivoting), and Qᵀ keeps norms.
    func testQTransposeOfPermutedColumnsIsTheTriangularFactor() throws {
        var g = SeededGenerator(seed: 11)
        for (m, n) in [(7, 3), (40, 5), (240, 5), (9, 9)] {
            var a = (0..<(m * n)).map { _ in g.nextUnit() - 0.5 }
            for i in 0..<m { a[i + 2 * m] *= 1e-6 }  // a small column must pivot last
            let qr = PivotedQR(rows: m, columns: n)
            try qr.factor(a)
            XCTAssertEqual(Set(qr.pivot), Set(0..<n))
            for j in 0..<n {
                var col = Array(a[(qr.pivot[j] * m)..<(qr.pivot[j] * m + m)])
                let before = euclideanNorm(col)
                try qr.applyQTranspose(&col)
                XCTAssertEqual(euclideanNorm(col), before, accuracy: 1e-13 * before)
                for i in 0..<m {
                    let expected = i <= j ? qr.r(i, j) : 0
                    XCTAssertEqual(col[i], expected, accuracy: 1e-13 * before, "m=\(m) n=\(n) R[\(i), \(j)]")
                }
                if j > 0 { XCTAssertLessThanOrEqual(abs(qr.r(j, j)), abs(qr.r(j - 1, j - 1)) * (1 + 1e-12)) }
            }
            XCTAssertEqual(qr.pivot.last, 2, "m=\(m) n=\(n)")
        }
    }

    func testNonFiniteEntryIsAnError() {
        let qr = PivotedQR(rows: 3, columns: 2)
        XCTAssertThrowsError(try qr.factor([1, 2, 3, 4, .nan, 6]))
    }
}
