import XCTest
@testable import ScaleFit

/// A problem in relative coordinates uⱼ = bⱼ/sⱼ (sⱼ = |bⱼ| at the test point, 1 if 0), so
/// that the finite-difference step is relative to each parameter's size: NIST's parameters
/// span 1e-9 (Nelson b₂) to 1e5 (MGH10 b₂), and a step of ε^(1/3)·max(|b|, 1) would be
/// hundreds of times a small parameter.
private struct RelativeCoordinates<P: LeastSquaresProblem>: LeastSquaresProblem {
    let base: P
    let scale: [Double]
    var parameterCount: Int { base.parameterCount }
    var residualCount: Int { base.residualCount }

    func residuals(at u: [Double], into r: inout [Double]) {
        base.residuals(at: zip(u, scale).map { $0 * $1 }, into: &r)
    }

    func jacobian(at u: [Double], into jac: inout Matrix) {
        base.jacobian(at: zip(u, scale).map { $0 * $1 }, into: &jac)
        for j in 0..<scale.count { for i in 0..<jac.rows { jac[i, j] *= scale[j] } }
    }
}

final class NISTModelJacobianTests: XCTestCase {
    /// The worst column of the analytic Jacobian against central differences, in relative
    /// coordinates: the column's error ‖Jₐ·eⱼ − J_fd·eⱼ‖ over what the test allows,
    ///
    /// ```
    /// 1e-6·‖Jₐ·eⱼ‖ + 8·ε^(2/3)·(‖r‖ + ‖y‖)
    /// ```
    ///
    /// The second term is the rounding error of a central difference with step ε^(1/3) on
    /// residuals of size ‖r‖ + ‖y‖; it matters only for columns far smaller than the
    /// residuals (MGH17 at start 1, where e^(−2x) leaves ∂r/∂b₅ ≈ 1e-6 beside r ≈ 50).
    func worstColumn<P: LeastSquaresProblem>(_ model: P, at b: [Double], response: [Double])
        -> (ratio: Double, error: Double, column: Int) {
        let scale = b.map { $0 == 0 ? 1 : abs($0) }
        let problem = RelativeCoordinates(base: model, scale: scale)
        let u = zip(b, scale).map { $0 / $1 }
        var analytic = Matrix(rows: problem.residualCount, columns: problem.parameterCount)
        problem.jacobian(at: u, into: &analytic)
        let numeric = finiteDifferenceJacobian(of: problem, at: u, scheme: .central)
        var r = [Double](repeating: 0, count: problem.residualCount)
        problem.residuals(at: u, into: &r)
        let rounding = 8 * pow(Double.ulpOfOne, 2.0 / 3) * (euclideanNorm(r) + euclideanNorm(response))
        var worst = (ratio: 0.0, error: 0.0, column: 0)
        for j in 0..<analytic.columns {
            let a = analytic.column(j), d = numeric.column(j)
            let norm = euclideanNorm(a)
            let err = euclideanNorm(zip(a, d).map { $0 - $1 })
            let ratio = err / (1e-6 * norm + rounding)
            if !(ratio <= worst.ratio) { worst = (ratio, err / norm, j) }
        }
        return worst
    }

    func testAnalyticJacobiansMatchCentralDifferences() throws {
        for url in try NISTTestData.files() {
            let dataset = try NISTDataset(contentsOf: url)
            let model = try NISTModels.model(for: dataset)
            let points = [("start 1", dataset.starts[0]), ("start 2", dataset.starts[1]),
                          ("certified", dataset.certifiedValues)]
            for (label, b) in points {
                let (ratio, error, column) = worstColumn(model, at: b, response: dataset.response)
                XCTAssertLessThanOrEqual(ratio, 1, "\(dataset.name) at \(label): ∂r/∂b\(column + 1) off by \(error) relative")
            }
        }
    }

    /// Residuals are f − y with the model of the file: at the certified values their sum of
    /// squares is the certified one. The certified values are rounded to 11 digits, δⱼ ≤
    /// ½·10^(⌊log₁₀|bⱼ|⌋ − 10), and at a minimum RSS(b + δ) − RSS(b) = ‖J·δ‖² (the linear term vanishes),
    /// so the test allows (Σⱼ ‖J·eⱼ‖·δⱼ)² besides 1e-9 relative: that term is what lets
    /// Lanczos1 (certified RSS 1.4e-25, residuals at the rounded values ≈ 1e-11) pass.
    func testResidualsReproduceTheCertifiedSumOfSquares() throws {
        for url in try NISTTestData.files() {
            let dataset = try NISTDataset(contentsOf: url)
            let model = try NISTModels.model(for: dataset)
            let b = dataset.certifiedValues
            var r = [Double](repeating: .nan, count: model.residualCount)
            model.residuals(at: b, into: &r)
            var jac = Matrix(rows: model.residualCount, columns: model.parameterCount)
            model.jacobian(at: b, into: &jac)
            let rss = r.reduce(0) { $0 + $1 * $1 }
            var shift = 0.0
            for j in 0..<b.count where b[j] != 0 {
                // Half a unit in the 11th significant digit.
                let delta = 0.5 * pow(10, (log10(abs(b[j]))).rounded(.down) - 10)
                shift += euclideanNorm(jac.column(j)) * delta
            }
            let certified = dataset.certifiedResidualSumOfSquares
            XCTAssertEqual(rss, certified, accuracy: 1e-9 * certified + shift * shift, dataset.name)
        }
    }

    func testRoszman1UsesTheAngleInZeroToPi() throws {
        // With x < b₄ the angle atan2(b₃, x − b₄) lies in (π/2, π); the principal arctan
        // would give f lower by exactly 1.
        let d = try NISTDataset(contentsOf: try NISTTestData.file("Roszman1"))
        let model = try NISTModels.Roszman1(dataset: d)
        let b = d.certifiedValues
        var r = [Double](repeating: 0, count: model.residualCount)
        model.residuals(at: b, into: &r)
        let x = d.predictors[0][0]
        let principal = b[0] - b[1] * x - atan(b[2] / (x - b[3])) / .pi - d.response[0]
        XCTAssertEqual(r[0] - principal, -1, accuracy: 1e-12)
    }
}
