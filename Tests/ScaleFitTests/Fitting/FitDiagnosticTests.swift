import XCTest
@testable import ScaleFit

/// The identification rule: relative standard error above 1 (on the log scale for a
/// parameter fitted as a logarithm), with the partner named when the two are correlated
/// above 0.99.
final class FitDiagnosticTests: XCTestCase {
    private let converged = FitSummary(termination: .gradientTolerance, iterations: 1, residualEvaluations: 1,
                                       jacobianEvaluations: 1, initialCost: 1, finalCost: 1, detail: "")

    private func diagnose(_ theta: [Double], _ se: [Double], correlation rho: Double = 0, logScale: [Bool] = []) -> [FitDiagnostic] {
        var cov = Matrix(rows: theta.count, columns: theta.count)
        for i in theta.indices { for j in theta.indices { cov[i, j] = (i == j ? 1 : rho) * se[i] * se[j] } }
        return FitDiagnostic.diagnose(names: ["B", "beta"], parameters: theta, standardErrors: se,
                                      fixed: [false, false], bounds: nil, summary: converged, rank: 2,
                                      freeParameters: 2, goodness: nil, covariance: cov, logScale: logScale)
    }

    func testASmallParameterWithALargeRelativeErrorIsNotIdentified() {
        // C = 1e-8 ± 1e-7 passed the old absolute rule (se ≤ 10·max(|θ|, 1)).
        let d = diagnose([1e-8, 0.3], [1e-7, 0.01])
        XCTAssertEqual(d.count, 1)
        guard case let .notIdentified(name, relative, partner, _) = d[0] else { return XCTFail("\(d)") }
        XCTAssertEqual(name, "B")
        XCTAssertEqual(relative, 10, accuracy: 1e-9)
        XCTAssertNil(partner, "uncorrelated: no combination to name")
    }

    func testTheTradeOffPartnerIsNamed() {
        let d = diagnose([400, 0.01], [10, 0.05], correlation: -0.998)
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d[0].description,
                       "beta is not identified by these data (relative standard error 5.00 > 1.00); it trades off with B (correlation -0.9980): only a combination of beta and B is determined")
    }

    func testALogParameterIsJudgedByItsExponentialsRelativeError() {
        // e = log E ≈ 0.01 with se 0.05: E is known to 5%, which is identified.
        XCTAssertTrue(diagnose([0.01, 0.3], [0.05, 0.01], logScale: [true, false]).isEmpty)
        XCTAssertEqual(diagnose([0.01, 0.3], [0.05, 0.01]).count, 1, "on its own scale 0.01 ± 0.05 is not identified")
        XCTAssertEqual(diagnose([0.01, 0.3], [.infinity, 0.01], logScale: [true, false]).first?.description,
                       "B is not identified by these data (relative standard error infinite)")
    }

    func testWellDeterminedParametersRaiseNothing() {
        XCTAssertTrue(diagnose([3.0, 0.5], [0.01, 0.02], correlation: 0.995).isEmpty,
                      "a high correlation alone is not a diagnostic when each is determined")
    }

    /// The power law on one column of a table where D varies too: A and α trade off (real case, `Data/runs.csv`).
    func testThePowerLawOnRunsFlagsTheAmplitudeAndNamesAlpha() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Data/runs.csv").path
        let fit = try Fit(SaturatingPowerLaw(), to: try PowerLawRuns(table: try RunTableReader.read(path: path)))
        XCTAssertFalse(fit.isSound)
        XCTAssertTrue(fit.diagnostics.contains {
            if case let .notIdentified("a", _, partner, _) = $0 { return partner == "alpha" }
            return false
        }, "\(fit.diagnostics)")
    }
}
