import XCTest
@testable import ScaleFit

/// The NIST StRD certification of issue 2: the 27 problems from both certified starts
/// (54 fits) with `LevenbergMarquardt()` default options, one start per fit.
///
/// - every parameter of every fit: LRE ≥ 4 (LRE = −log₁₀(|x − x*|/|x*|), capped at 11);
/// - the mean over the 54 fits of the worst parameter's LRE ≥ 9.4 (Ceres' published mean);
/// - with the stationary-point refinement, every fit's worst parameter ≥ 10 digits and the
///   mean ≥ 10.6 (measured: 10.33 at the least, Gauss2; mean 10.74; without it 7.04
///   (Roszman1) and 9.93);
/// - the certified residual sum of squares matched;
/// - the certified standard deviations matched to ≥ 3 digits (LRE ≥ 3).
///
/// The fits run once in `setUp`-style lazy state shared by the tests of this class.
final class NISTCertificationTests: XCTestCase {
    struct Fit {
        let dataset: NISTDataset
        let start: Int
        let result: SolverResult
        /// LRE of each parameter.
        let lre: [Double]
        var worst: Double { lre.min() ?? 0 }
        var label: String {
            let s = result.summary
            return "\(dataset.name) start \(start): termination \(s.termination.rawValue), \(s.iterations) iterations, "
                + "\(s.residualEvaluations) evaluations, final cost \(s.finalCost) (certified RSS/2 = "
                + "\(dataset.certifiedResidualSumOfSquares / 2)), parameter LREs \(lre.map { (($0 * 10).rounded()) / 10 })"
        }
    }

    nonisolated(unsafe) private static var cached: [Fit]?

    func fits() throws -> [Fit] {
        if let f = Self.cached { return f }
        let solver = LevenbergMarquardt()
        var out: [Fit] = []
        for url in try NISTTestData.files() {
            let dataset = try NISTDataset(contentsOf: url)
            let model = try NISTModels.model(for: dataset)
            for (s, start) in dataset.starts.enumerated() {
                let result = try model.fit(from: start, with: solver)
                let lre = zip(result.parameters, dataset.certifiedValues).map { logRelativeError($0, certified: $1) }
                out.append(Fit(dataset: dataset, start: s + 1, result: result, lre: lre))
            }
        }
        Self.cached = out
        return out
    }

    func testEveryParameterOfEveryFitHasAtLeastFourDigits() throws {
        let fits = try fits()
        XCTAssertEqual(fits.count, 54)
        for fit in fits {
            XCTAssertGreaterThanOrEqual(fit.worst, 4, fit.label)
            XCTAssertTrue(fit.result.summary.converged, fit.label)
        }
    }

    func testMeanWorstParameterLREIsAtLeastCeres() throws {
        let fits = try fits()
        let mean = fits.map(\.worst).reduce(0, +) / Double(fits.count)
        let weakest = fits.sorted { $0.worst < $1.worst }.prefix(8).map(\.label).joined(separator: "\n  ")
        XCTAssertGreaterThanOrEqual(mean, 9.4, "mean LRE \(mean) over \(fits.count) fits; the weakest:\n  \(weakest)")
    }

    /// Gauss–Newton refinement after convergence reaches the point where Jᵀr = 0 to rounding
    /// level instead of wherever cost differences drowned: ten digits or more on every fit.
    func testRefinedFitsReachTenDigitsEverywhere() throws {
        let fits = try fits()
        let mean = fits.map(\.worst).reduce(0, +) / Double(fits.count)
        for fit in fits { XCTAssertGreaterThanOrEqual(fit.worst, 10, fit.label) }
        XCTAssertGreaterThanOrEqual(mean, 10.6, "mean LRE \(mean) over \(fits.count) fits")
    }

    /// The far starts whose valleys are long and curved: plain LM crawls (Bennett5 745,
    /// MGH17 454, MGH09 405 iterations, like MINPACK's 762/604/530 evaluations); geodesic
    /// acceleration follows the valley (34, 118 and 175).
    func testCurvedValleysAreFollowedNotCrawled() throws {
        let fits = try fits()
        let limits = ["Bennett5": 100, "MGH17": 250, "MGH09": 300]
        for fit in fits where fit.start == 1 {
            guard let limit = limits[fit.dataset.name] else { continue }
            XCTAssertLessThan(fit.result.summary.iterations, limit, fit.label)
        }
    }

    /// |RSS − RSS*| ≤ 1e-6·RSS* + 4·ε·max|y|·√(m·RSS*): the second term is the first-order
    /// rounding of m residuals of size ‖r‖/√m computed from data of size max|y|, which
    /// decides only for Lanczos1, whose certified RSS (1.4e-25) is rounding noise itself.
    func testCertifiedResidualSumOfSquaresIsMatched() throws {
        for fit in try fits() {
            let rss = fit.result.residuals.reduce(0) { $0 + $1 * $1 }
            let certified = fit.dataset.certifiedResidualSumOfSquares
            let maxY = fit.dataset.response.map { abs($0) }.max() ?? 0
            let m = Double(fit.dataset.observationCount)
            let tolerance = 1e-6 * certified + 4 * Double.ulpOfOne * maxY * (m * certified).squareRoot()
            XCTAssertEqual(rss, certified, accuracy: tolerance, fit.label)
        }
    }

    /// sd = √(diag((JᵀJ)⁻¹)·RSS/(m − n)) at the fitted parameters. (JᵀJ)⁻¹ comes from the SVD
    /// of J with unit-norm columns, J = Ĵ·S, (JᵀJ)⁻¹ = S⁻¹(ĴᵀĴ)⁻¹S⁻¹, so that the spread of
    /// column sizes (Hahn1: x³ ≈ 7e8 beside 1) does not cost digits.
    ///
    /// sd is proportional to √RSS, so where the certified RSS is rounding noise (Lanczos1) the
    /// digits required are those the RSS test allows: relative error ½·(rounding term)/RSS*
    /// (about 1.4% for Lanczos1), three digits everywhere else.
    func testCertifiedStandardDeviationsAreMatchedToThreeDigits() throws {
        for fit in try fits() {
            let sd = try standardDeviations(jacobian: fit.result.jacobian, residuals: fit.result.residuals)
            let cov = try ParameterCovariance(result: fit.result)
            XCTAssertFalse(cov.isRankDeficient, fit.label)
            let certified = fit.dataset.certifiedResidualSumOfSquares
            let maxY = fit.dataset.response.map { abs($0) }.max() ?? 0
            let rounding = 4 * Double.ulpOfOne * maxY * (Double(fit.dataset.observationCount) * certified).squareRoot()
            let digits = min(3, -log10(max(1e-3, 0.5 * rounding / certified)))
            for j in 0..<sd.count {
                let lre = logRelativeError(cov.standardErrors[j], certified: fit.dataset.certifiedStandardDeviations[j])
                XCTAssertGreaterThanOrEqual(lre, digits, "ParameterCovariance sd of b\(j + 1) = \(cov.standardErrors[j]); \(fit.label)")
            }
            for j in 0..<sd.count {
                let lre = logRelativeError(sd[j], certified: fit.dataset.certifiedStandardDeviations[j])
                XCTAssertGreaterThanOrEqual(lre, digits, "sd of b\(j + 1) = \(sd[j]) vs certified "
                    + "\(fit.dataset.certifiedStandardDeviations[j]); \(fit.label)")
            }
        }
    }

    func standardDeviations(jacobian: Matrix, residuals: [Double]) throws -> [Double] {
        let m = jacobian.rows, n = jacobian.columns
        var scaled = jacobian
        var norms = [Double](repeating: 1, count: n)
        for j in 0..<n {
            let c = euclideanNorm(jacobian.column(j))
            norms[j] = c > 0 ? c : 1
            for i in 0..<m { scaled[i, j] /= norms[j] }
        }
        let svd = try SingularValueDecomposition(scaled)
        let inverse = svd.inverseGram(relativeTolerance: 0)
        let variance = residuals.reduce(0) { $0 + $1 * $1 } / Double(m - n)
        return (0..<n).map { (inverse[$0, $0] * variance).squareRoot() / norms[$0] }
    }
}
