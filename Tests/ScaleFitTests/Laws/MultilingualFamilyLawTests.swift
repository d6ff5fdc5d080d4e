import XCTest
import ScaleFit

/// One family of the multilingual law on the `Law` protocol: its gradient against central
/// differences, and `Fit<MultilingualFamilyLaw>` as the screened search run by hand.
final class MultilingualFamilyLawTests: XCTestCase {
    /// ∂log L/∂θ of `evaluate` against central differences of log L, at two points of θ.
    func testPredictionGradientMatchesCentralDifferences() throws {
        let law = MultilingualFamilyLaw(family: "en")
        let points = [MultilingualPoint(parameters: 4e7, tokens: 1e9, ratio: 0.1), MultilingualPoint(parameters: 1e9, tokens: 8e10, ratio: 0.7),
                      MultilingualPoint(parameters: 1e10, tokens: 3e9, ratio: 1)]
        for theta in [[0.3, 6.0, 7.5, 0.4, 0.35, 0.1], [-0.5, 2.0, 18.0, 0.9, 0.3, 0.2]] {
            let values = try law.evaluate(points, parameters: theta)
            for (i, v) in values.enumerated() {
                XCTAssertEqual(v.scale, .log)
                for k in 0..<6 {
                    let h = 1e-6 * max(1, abs(theta[k]))
                    var up = theta, down = theta
                    up[k] += h; down[k] -= h
                    let fd = (log(try law.evaluate([points[i]], parameters: up)[0].value)
                              - log(try law.evaluate([points[i]], parameters: down)[0].value)) / (2 * h)
                    XCTAssertEqual(v.gradient[k], fd, accuracy: 1e-7 * max(1, abs(fd)), "point \(i), parameter \(k)")
                }
            }
        }
        XCTAssertThrowsError(try law.evaluate([MultilingualPoint(parameters: 1e9, tokens: 1e10, ratio: 0)], parameters: [0, 1, 1, 0.3, 0.3, 0.1]))
    }

    /// The fit is the screening of every start (at most 2000 evaluations, tolerances of at
    /// least 1e-8 and 1e-10) and the polish of the best end, kept unless it ends above the
    /// screening's best run; `screenedAtBest` counts the screening runs that ended at the
    /// winner's cost. A held parameter stays at its value.
    func testFitIsTheScreenedSearchOfTheFamilysRows() throws {
        let data = try MultilingualTestData.make(noise: 0.01)
        let rows = MultilingualFamilyRows(data, family: 1)
        XCTAssertEqual(rows.family, "zh")
        XCTAssertEqual(rows.loss.count, 36)
        let law = MultilingualFamilyLaw(family: "zh", starts: MultilingualTestData.starts)
        let fit = try Fit(law, to: rows)
        let problem = MultilingualLogProblem(parameters: rows.parameters, tokens: rows.tokens, ratios: rows.ratios, loss: rows.loss)
        var explore = SolverOptions(loss: .huber(scale: 1e-3))
        explore.parameterTolerance = max(explore.parameterTolerance, 1e-8)
        explore.gradientTolerance = max(explore.gradientTolerance, 1e-10)
        explore.maxEvaluations = min(explore.maxEvaluations, 2000)
        let screening = try MultiStart(solver: LevenbergMarquardt(options: explore)).minimize(problem, starts: MultilingualTestData.starts)
        let polished = try LevenbergMarquardt(options: SolverOptions(loss: .huber(scale: 1e-3))).minimize(problem, from: screening.best.parameters)
        // The polish replaces the screening's best run unless it ends above it (here, by a few bits).
        let best = polished.cost <= screening.best.cost ? polished : screening.best
        XCTAssertEqual(fit.parameters, best.parameters)
        XCTAssertEqual(fit.objective, best.cost)
        XCTAssertEqual(fit.summary, best.summary)
        XCTAssertEqual(fit.search.startsTried, MultilingualTestData.starts.count)
        XCTAssertEqual(fit.search.screenedAtBest, screening.startsAt(cost: best.cost))
        XCTAssertGreaterThanOrEqual(fit.search.screenedAtBest, 1)
        XCTAssertEqual(fit.covariance, try ParameterCovariance(result: best).scaled)
        XCTAssertEqual(fit.estimates.map(\.name), MultilingualLaw.naturalParameterNames)
        XCTAssertEqual(fit.estimates[5].estimate, 0.16, accuracy: 0.01)

        let held = try Fit(MultilingualFamilyLaw(family: "zh", held: [5: 0.15], starts: MultilingualTestData.starts), to: rows)
        XCTAssertEqual(held.parameters[5], 0.15)
        XCTAssertEqual(held.standardErrors[5], 0)
        XCTAssertEqual(held.settings, ["family": "zh", "held.gamma": "0.15"])
        let back = try Fit<MultilingualFamilyLaw>(file: held.file, source: "zh.fit.json")
        XCTAssertEqual(back.law.held, [5: 0.15])
        XCTAssertEqual(back.law.family, "zh")
    }
}
