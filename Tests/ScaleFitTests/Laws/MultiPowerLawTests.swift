import Foundation
import XCTest
@testable import ScaleFit

final class MultiPowerLawTests: XCTestCase {
    /// The law written out directly from its definition, O(t²): for every logged t, the sum
    /// over k = 1..t of (η_(k−1) − η_k)·G(η_k^(−γ)·Σ_{τ=k..t} η_τ), each S_k(t) summed afresh.
    func naive(_ eta: [Double], _ steps: [Int], _ p: [Double], skip: Int = 0) -> [Double] {
        steps.map { t in
            var drop = 0.0
            for k in max(1, skip + 1)...max(t, 1) where k <= t {
                var s = 0.0
                for tau in k...t { s += eta[tau] }
                let x = pow(eta[k], -p[6]) * s
                drop += (eta[k - 1] - eta[k]) * (1 - pow(p[4] * x + 1, -p[5]))
            }
            let s1 = eta[0...t].reduce(0, +)
            return p[0] + p[1] * pow(s1, -p[2]) - p[3] * drop
        }
    }

    func randomParameters(_ rng: inout SeededGenerator) -> [Double] {
        [Double.random(in: 2...3.5, using: &rng), Double.random(in: 0.3...1, using: &rng),
         Double.random(in: 0.3...0.7, using: &rng), Double.random(in: 100...800, using: &rng),
         Double.random(in: 0.5...3, using: &rng), Double.random(in: 0.3...0.9, using: &rng),
         Double.random(in: 0.3...0.8, using: &rng)]
    }

    func testChangePointSumMatchesNaiveSum() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<5 {
            for eta in CurveLawTestSupport.randomSchedules(&rng) {
                let steps = CurveLawTestSupport.loggedSteps(count: eta.count, &rng)
                let p = randomParameters(&rng)
                let fast = MultiPowerLaw().predict(rates: eta, steps: steps, parameters: p)
                let slow = naive(eta, steps, p)
                for (f, s) in zip(fast, slow) { XCTAssertEqual(f, s, accuracy: 1e-12 * abs(s)) }
                // The gradient pass computes the same values.
                var values = [Double](repeating: 0, count: steps.count)
                var gradient = [Double](repeating: 0, count: steps.count * 7)
                MultiPowerLaw().predictWithGradient(MultiPowerLaw().prepare(rates: eta, steps: steps), parameters: p,
                                                    values: &values, gradient: &gradient)
                for (f, s) in zip(values, slow) { XCTAssertEqual(f, s, accuracy: 1e-12 * abs(s)) }
            }
        }
    }

    func testPaperConventionSkipsTheWarmupChanges() {
        let eta = LRSchedule.cosine(peak: 3e-4, warmup: 10, total: 80, final: 0.1).rates()
        let steps = [20, 40, 79]
        let p = [3.0, 0.5, 0.5, 300, 2, 0.6, 0.6]
        let paper = MultiPowerLaw(convention: .paper).predict(rates: eta, steps: steps, parameters: p)
        for (f, s) in zip(paper, naive(eta, steps, p, skip: 9)) { XCTAssertEqual(f, s, accuracy: 1e-12 * s) }
        // Every k ≥ 1 with η_(k−1) ≠ η_k (η_9 and η_10 may differ by rounding), minus the 9 warmup rises.
        let changes = (1...79).filter { eta[$0 - 1] != eta[$0] }.count
        XCTAssertEqual(MultiPowerLaw().prepare(rates: eta, steps: steps).changeCount, changes)
        XCTAssertEqual(MultiPowerLaw(convention: .paper).prepare(rates: eta, steps: steps).changeCount,
                       (10...79).filter { eta[$0 - 1] != eta[$0] }.count)
    }

    func testChangePointsOfWSDAreOnlyWarmupAndDecay() {
        let eta = LRSchedule.wsd(peak: 3e-4, warmup: 100, stable: 5000, decay: 400, shape: .linear, final: 0).rates()
        XCTAssertEqual(MultiPowerLaw().prepare(rates: eta, steps: [5499]).changeCount, 99 + 399)
    }

    func testJacobianMatchesCentralDifferences() throws {
        var rng = SeededGenerator(seed: 2)
        for _ in 0..<3 {
            let curves = try CurveLawTestSupport.randomSchedules(&rng).enumerated().map { i, eta -> LossCurve in
                let steps = CurveLawTestSupport.loggedSteps(count: eta.count, &rng)
                return try LossCurve(name: "c\(i)", rates: eta, steps: steps, losses: steps.map { _ in 3.3 })
            }
            for residual in [CurveFitProblem<MultiPowerLaw>.Residual.logRatio, .raw] {
                let problem = try CurveFitProblem(law: MultiPowerLaw(), curves: curves, residual: residual)
                CurveLawTestSupport.assertJacobianMatches(problem, at: randomParameters(&rng), tolerance: 1e-6)
            }
        }
    }
}
