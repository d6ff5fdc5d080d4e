import XCTest
import ScaleFit

final class ChinchillaLawTests: XCTestCase {
    func testJacobianMatchesCentralDifferences() {
        let n: [Double] = [4e7, 1e8, 4e8, 1e9, 1e10]
        let d: [Double] = [1e9, 5e9, 2e10, 8e10, 2e11]
        let l = zip(n, d).map { ChinchillaLaw.Parameters(E: 1.8, A: 480, B: 2000, alpha: 0.35, beta: 0.37).loss(parameters: $0, tokens: $1) }
        let p = ChinchillaLogProblem(parameters: n, tokens: d, loss: l)
        for x in [[0.5, 6.0, 7.5, 0.3, 0.4], [-1.0, 0.0, 25.0, 2.0, 0.0], [0.6, 6.2, 7.6, 0.35, 0.37]] {
            var j = Matrix(rows: 5, columns: 5)
            p.jacobian(at: x, into: &j)
            let fd = finiteDifferenceJacobian(of: p, at: x)
            for k in 0..<25 { XCTAssertEqual(j.storage[k], fd.storage[k], accuracy: 1e-8 * max(1, abs(fd.storage[k]))) }
        }
    }

    func testGridIsHoffmannsFourThousandFiveHundredStarts() {
        let g = ChinchillaLaw.hoffmannGrid
        XCTAssertEqual(g.count, 4500)
        XCTAssertEqual(g.first, [-1, 0, 0, 0, 0])
        XCTAssertEqual(g.last, [1, 25, 25, 2, 2])
    }

    func testRecoversKnownParametersFromNoiselessData() throws {
        let truth = ChinchillaLaw.Parameters(E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28)
        var n: [Double] = [], d: [Double] = [], l: [Double] = []
        for ni in [5e7, 1e8, 3e8, 1e9, 3e9] { for di in [1e9, 4e9, 1.6e10, 6.4e10] {
            n.append(ni); d.append(di); l.append(truth.loss(parameters: ni, tokens: di))
        } }
        let starts = StartGrid.cartesian([[0, 0.5], [5, 10], [5, 10], [0.5], [0.5]])
        let fit = try Fit(ChinchillaLaw(grid: starts), to: try ModelRuns(N: n, D: d, loss: l))
        XCTAssertEqual(fit.values.E, 1.7, accuracy: 1e-6)
        XCTAssertEqual(fit.values.alpha, 0.34, accuracy: 1e-6)
        XCTAssertEqual(fit.values.beta, 0.28, accuracy: 1e-6)
        XCTAssertEqual(fit.values.A, 400, accuracy: 1e-3)
        XCTAssertLessThan(fit.objective, 1e-20)
    }

    /// Epoch AI's replication data: the fit must reach an objective no higher than at Epoch's
    /// published estimates, with parameters close to theirs. The full 4500-start grid takes
    /// seconds (see `Scripts/bench-chinchilla.sh`) and found 0.00101827401780060 with 1138
    /// starts at the best; here a 32-start sub-grid plus polish must land on the same value.
    func testChinchillaDataReachesAtLeastEpochsObjective() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let file = root.deletingLastPathComponent().appendingPathComponent("shared/data/chinchilla/svg_extracted_data.csv")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw XCTSkip("../shared/data/chinchilla/svg_extracted_data.csv not found at \(file.path)")
        }
        var rows: [(n: Double, c: Double, l: Double)] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            rows.append((Double(f[3])!, Double(f[4])!, Double(f[6].trimmingCharacters(in: .whitespacesAndNewlines))!))
        }
        XCTAssertEqual(rows.count, 245)
        rows.sort { $0.l < $1.l }
        rows.removeLast(5)  // Epoch drop the five highest-loss rows
        let n = rows.map(\.n), d = rows.map { $0.c / (6 * $0.n) }, l = rows.map(\.l)
        let starts = StartGrid.cartesian([[0, 0.5], [5, 10], [5, 10], [0, 0.5], [0.5, 1]])
        let fit = try Fit(ChinchillaLaw(grid: starts), to: try ModelRuns(N: n, D: d, loss: l))
        let law = fit.values
        XCTAssertEqual(fit.objective, 0.00101827401780060, accuracy: 1e-15)
        let epoch = ChinchillaLaw.Parameters(E: 1.82, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658)
        let problem = ChinchillaLogProblem(parameters: n, tokens: d, loss: l)
        let epochObjective = problem.huberObjective(at: epoch.logParameters)
        XCTAssertLessThanOrEqual(fit.objective, epochObjective)
        XCTAssertEqual(law.alpha, 0.3478, accuracy: 0.01)
        XCTAssertEqual(law.beta, 0.3658, accuracy: 0.01)
        XCTAssertEqual(law.E, 1.82, accuracy: 0.05)
        // Independent check that this is the minimum: a polish from the best point with
        // tighter settings does not go lower.
        var o = SolverOptions(loss: .huber(scale: 1e-3))
        o.maxEvaluations = 100_000
        let polish = try LevenbergMarquardt(options: o).minimize(problem, from: fit.parameters)
        XCTAssertGreaterThanOrEqual(problem.huberObjective(at: polish.parameters), fit.objective * (1 - 1e-12))
        print("chinchilla: objective \(fit.objective) (Epoch's estimates: \(epochObjective)); E=\(law.E) A=\(law.A) B=\(law.B) alpha=\(law.alpha) beta=\(law.beta); polished at best \(fit.search.startsAtBest)/\(fit.search.startsPolished)")
    }
}
