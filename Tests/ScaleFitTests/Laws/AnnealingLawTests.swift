import Foundation
import XCTest
@testable import ScaleFit

final class AnnealingLawTests: XCTestCase {
    /// S1, S2 straight from the definition, warmup counted at its peak.
    func naive(_ rates: [Double], _ steps: [Int], _ p: [Double], lambda: Double) -> [Double] {
        var eta = rates
        var top = 0
        while top + 1 < eta.count, eta[top + 1] > eta[top] { top += 1 }
        for i in 0..<top { eta[i] = eta[top] }
        var m = [0.0]
        for i in 1..<eta.count { m.append(lambda * m[i - 1] + (eta[i - 1] - eta[i])) }
        return steps.map { s in
            let s1 = eta[0...s].reduce(0, +), s2 = m[0...s].reduce(0, +)
            return p[0] + p[1] * pow(s1, -p[2]) - p[3] * s2
        }
    }

    func testMatchesDefinition() {
        var rng = SeededGenerator(seed: 3)
        for eta in CurveLawTestSupport.randomSchedules(&rng) {
            let steps = CurveLawTestSupport.loggedSteps(count: eta.count, &rng)
            let p = [3.0, 0.5, 0.5, 0.7]
            let fixed = AnnealingLaw(momentum: .fixed(0.99)).predict(rates: eta, steps: steps, parameters: p)
            let fitted = AnnealingLaw(momentum: .fitted).predict(rates: eta, steps: steps, parameters: p + [0.99])
            let reference = naive(eta, steps, p, lambda: 0.99)
            for j in steps.indices {
                XCTAssertEqual(fixed[j], reference[j], accuracy: 1e-13 * reference[j])
                XCTAssertEqual(fitted[j], reference[j], accuracy: 1e-13 * reference[j])
            }
        }
    }

    func testWarmupConventions() {
        let eta = LRSchedule.constant(peak: 1e-3, warmup: 11, total: 50).rates()
        let p = [3.0, 0.5, 0.5, 1.0]
        // Counted at peak: no annealing at all, S1 = 1e-3·(s + 1).
        let peak = AnnealingLaw().predict(rates: eta, steps: [20], parameters: p)[0]
        XCTAssertEqual(peak, 3 + 0.5 * pow(21e-3, -0.5), accuracy: 1e-12)
        // As scheduled: the rising warmup makes S2 negative, so the loss is higher.
        let scheduled = AnnealingLaw(warmup: .asScheduled).predict(rates: eta, steps: [20], parameters: p)[0]
        XCTAssertGreaterThan(scheduled, peak)
    }

    func testJacobianMatchesCentralDifferences() throws {
        var rng = SeededGenerator(seed: 4)
        for _ in 0..<3 {
            let curves = try CurveLawTestSupport.randomSchedules(&rng).enumerated().map { i, eta -> LossCurve in
                let steps = CurveLawTestSupport.loggedSteps(count: eta.count, &rng)
                return try LossCurve(name: "c\(i)", rates: eta, steps: steps, losses: steps.map { _ in 3.3 })
            }
            let x = [Double.random(in: 2...3, using: &rng), Double.random(in: 0.2...1, using: &rng),
                     Double.random(in: 0.2...0.8, using: &rng), Double.random(in: 0.1...2, using: &rng)]
            let fixed = try CurveFitProblem(law: AnnealingLaw(momentum: .fixed(0.995)), curves: curves)
            CurveLawTestSupport.assertJacobianMatches(fixed, at: x, tolerance: 1e-6)
            let fitted = try CurveFitProblem(law: AnnealingLaw(momentum: .fitted), curves: curves, residual: .raw)
            CurveLawTestSupport.assertJacobianMatches(fitted, at: x + [Double.random(in: 0.9...0.999, using: &rng)], tolerance: 1e-6)
        }
    }
}
