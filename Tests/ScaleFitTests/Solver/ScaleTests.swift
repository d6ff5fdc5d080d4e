import Foundation
import XCTest
@testable import ScaleFit

/// Memory and time that grow with the data, not with starts × data (issue 16).
final class ScaleTests: XCTestCase {
    /// Runs of Hoffmann's law with 0.5% seeded noise.
    static func runs(_ count: Int, seed: UInt64 = 3) -> (n: [Double], d: [Double], loss: [Double]) {
        var g = SeededGenerator(seed: seed)
        var n: [Double] = [], d: [Double] = [], l: [Double] = []
        let truth = ChinchillaLaw.Parameters(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)
        for _ in 0..<count {
            let ni = pow(10, 7.5 + 2 * g.nextUnit()), di = ni * pow(10, 0.5 + 2 * g.nextUnit())
            n.append(ni); d.append(di)
            l.append(truth.loss(parameters: ni, tokens: di) * (1 + 0.01 * (g.nextUnit() - 0.5)))
        }
        return (n, d, l)
    }

    func testScreeningSeesAtMost512EvenlySpacedRuns() {
        let (n, d, l) = Self.runs(2000)
        let p = ChinchillaLogProblem(parameters: n, tokens: d, loss: l)
        let s = p.screeningSubsample()
        XCTAssertEqual(s.residualCount, ChinchillaLogProblem.screeningRuns)
        XCTAssertEqual(s.logN[0], p.logN[0])
        XCTAssertEqual(s.logN[1], p.logN[3]) // ⌊1·2000/512⌋
        XCTAssertEqual(s.logLoss[511], p.logLoss[511 * 2000 / 512])
        let small = ChinchillaLogProblem(parameters: Array(n.prefix(30)), tokens: Array(d.prefix(30)), loss: Array(l.prefix(30)))
        XCTAssertEqual(small.screeningSubsample().logN, small.logN, "30 runs are screened whole")
    }

    /// 3,000 runs: the fit recovers the law (the polish sees every run), and the multi-start
    /// keeps one full result per worker, so its end points are all it holds per start.
    func testAFitOfThousandsOfRunsRecoversTheLaw() throws {
        let (n, d, l) = Self.runs(3000)
        // The search `Fit<ChinchillaLaw>` makes, run here directly to see what it keeps.
        let problem = ChinchillaLogProblem(parameters: n, tokens: d, loss: l)
        let search = try ScreenedMultiStart(options: SolverOptions(loss: .huber(scale: 1e-3)), screeningEvaluations: 12, polishCount: 8)
            .minimize(problem, screeningProblem: problem.screeningSubsample(), starts: ChinchillaLaw.hoffmannGrid)
        let law = ChinchillaLaw.Parameters(logParameters: search.best.parameters)
        XCTAssertEqual(law.E, 1.69, accuracy: 0.02)
        XCTAssertEqual(law.alpha, 0.34, accuracy: 0.01)
        XCTAssertEqual(law.beta, 0.28, accuracy: 0.01)
        XCTAssertEqual(search.best.residuals.count, 3000)
        XCTAssertEqual(search.screening.finalParameters.count, ChinchillaLaw.hoffmannGrid.count)
        XCTAssertEqual(search.screening.best.residuals.count, ChinchillaLogProblem.screeningRuns)
    }

    /// The winner is the same whatever the thread count: converged first, then the lowest
    /// cost, then the earliest start.
    func testMultiStartWinnerDoesNotDependOnThreads() throws {
        let (n, d, l) = Self.runs(200, seed: 9)
        let p = ChinchillaLogProblem(parameters: n, tokens: d, loss: l)
        let starts = Array(ChinchillaLaw.hoffmannGrid.prefix(300))
        var options = SolverOptions(loss: .huber(scale: 1e-3))
        options.maxEvaluations = 12
        let one = try MultiStart(solver: LevenbergMarquardt(options: options), threads: 1).minimize(p, starts: starts)
        let four = try MultiStart(solver: LevenbergMarquardt(options: options), threads: 4).minimize(p, starts: starts)
        XCTAssertEqual(one.bestStart, four.bestStart)
        XCTAssertEqual(one.best.parameters, four.best.parameters)
        XCTAssertEqual(one.finalCosts, four.finalCosts)
    }
}
