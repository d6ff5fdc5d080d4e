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

    /// The change-point sum written out directly, O(K·n), with the gradient formulas of the
    /// definition: Σ d·G, Σ d·y^(−β)·log y, Σ d·x·y^(−β−1), Σ d·x·y^(−β−1)·log η per step.
    func direct(_ eta: [Double], _ steps: [Int], _ p: [Double]) -> (values: [Double], gradient: [Double]) {
        let n = steps.count
        var values = [Double](repeating: 0, count: n), gradient = [Double](repeating: 0, count: 7 * n)
        var area = [Double](repeating: 0, count: eta.count + 1)  // area[k] = Σ_{τ<k} η_τ
        for k in eta.indices { area[k + 1] = area[k] + eta[k] }
        let (l0, a, alpha, b, c, beta, gamma) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6])
        for (j, t) in steps.enumerated() {
            var sumG = 0.0, sumLog = 0.0, sumX = 0.0, sumXLog = 0.0
            for k in stride(from: 1, through: t, by: 1) where eta[k - 1] != eta[k] {
                let d = eta[k - 1] - eta[k]
                let x = pow(eta[k], -gamma) * (area[t + 1] - area[k])
                let y = 1 + c * x
                sumG += d * (1 - pow(y, -beta))
                sumLog += d * pow(y, -beta) * log(y)
                sumX += d * x * pow(y, -beta - 1)
                sumXLog += d * x * pow(y, -beta - 1) * log(eta[k])
            }
            let s1 = area[t + 1], power = pow(s1, -alpha)
            values[j] = l0 + a * power - b * sumG
            for (q, g) in [1, power, -a * power * log(s1), -sumG, -b * beta * sumX, -b * sumLog,
                           b * beta * c * sumXLog].enumerated() { gradient[j + q * n] = g }
        }
        return (values, gradient)
    }

    /// The law's values (with and without the gradient pass) within 1e-9 relative of the
    /// direct sum, and each gradient column within 1e-9 of its largest entry.
    func assertMatchesDirectSum(_ eta: [Double], _ steps: [Int], _ p: [Double], _ name: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        let law = MultiPowerLaw()
        let prepared = law.prepare(rates: eta, steps: steps)
        var values = [Double](repeating: 0, count: steps.count)
        var gradient = [Double](repeating: 0, count: steps.count * 7)
        law.predictWithGradient(prepared, parameters: p, values: &values, gradient: &gradient)
        var plain = [Double](repeating: 0, count: steps.count)
        law.predict(prepared, parameters: p, into: &plain)
        let exact = direct(eta, steps, p)
        var worst = 0.0
        for j in steps.indices {
            worst = max(worst, abs(values[j] - exact.values[j]) / abs(exact.values[j]), abs(plain[j] - exact.values[j]) / abs(exact.values[j]))
        }
        XCTAssertLessThanOrEqual(worst, 1e-9, "\(name) \(p): values", file: file, line: line)
        for q in 0..<7 {
            let column = exact.gradient[(q * steps.count)..<((q + 1) * steps.count)]
            let scale = column.map(abs).max() ?? 0
            var worstColumn = 0.0
            for j in steps.indices { worstColumn = max(worstColumn, abs(gradient[j + q * steps.count] - exact.gradient[j + q * steps.count])) }
            XCTAssertLessThanOrEqual(worstColumn, 1e-9 * scale, "\(name) \(p): column \(q)", file: file, line: line)
        }
    }

    /// A loss at every step (the dense logs of trainer states): the steps' tree takes the
    /// change points' far field as local expansions (translated from parents to children),
    /// and the result is the direct sum's to 1e-9, also with repeated logged steps and a
    /// stretch of constant η (equal S1 increments, no change points); a sparse log takes the
    /// step-by-step walk instead, to the same accuracy.
    func testDenseStepsMatchDirectSum() throws {
        var rng = SeededGenerator(seed: 23)
        let t = 2000, w = 100, peak = 3e-4
        let schedules: [(String, [Double])] = [
            ("cosine", LRSchedule.cosine(peak: peak, warmup: w, total: t, final: 0.1).rates()),
            ("wsd", LRSchedule.wsd(peak: peak, warmup: w, stable: 1200, decay: 700, shape: .linear, final: 0.1).rates()),
        ]
        let every = Array(0..<t)
        var repeated = Array(stride(from: 3, to: t, by: 3))
        repeated += Array(1500..<1530)
        repeated.sort()
        let sparse = Array(stride(from: 150, to: t, by: 100))  // walked step by step
        XCTAssertLessThan(sparse.count * MultiPowerLossDrop.changesPerStepForDualTraversal, t - 1)
        let cosine = schedules[0].1
        XCTAssertNotNil(MultiPowerLaw().prepare(rates: cosine, steps: every).targets, "a loss at every step takes the dual traversal")
        XCTAssertNil(MultiPowerLaw().prepare(rates: cosine, steps: sparse).targets, "every 100 steps walks step by step")
        for (name, eta) in schedules {
            for trial in 0..<2 {
                var p = randomParameters(&rng)
                if trial == 1 { p[4] = 1e-6; p[5] = 2.5; p[6] = 2.5 }
                assertMatchesDirectSum(eta, every, p, "\(name), every step")
                assertMatchesDirectSum(eta, repeated, p, "\(name), repeated steps")
                assertMatchesDirectSum(eta, sparse, p, "\(name), every 100 steps")
            }
        }
    }

    /// The tree expansion of the loss drop agrees with the direct sum to 1e-9 relative (values)
    /// and 1e-9 of each gradient column's largest entry, on long schedules where the
    /// expansion is used: cosine, WSD, η logged every 50 steps (piecewise linear), a linear
    /// warmup then constant, and random parameters within the bounds' typical range.
    func testTreeExpansionMatchesDirectSumOnLongSchedules() throws {
        var rng = SeededGenerator(seed: 11)
        let t = 4000, w = 200, peak = 3e-4
        let logged = try LoggedSchedule(steps: Array(stride(from: w, to: t, by: 50)),
                                        rates: stride(from: w, to: t, by: 50).map { peak * (0.55 + 0.45 * cos(Double($0) / 700)) },
                                        before: .linearFromZero, total: t)
        let schedules: [(String, [Double])] = [
            ("cosine", LRSchedule.cosine(peak: peak, warmup: w, total: t, final: 0.1).rates()),
            ("wsd", LRSchedule.wsd(peak: peak, warmup: w, stable: 2800, decay: 1000, shape: .oneMinusSqrt, final: 0.1).rates()),
            ("logged", LRSchedule.logged(logged).rates()),
            ("warmup", LRSchedule.constant(peak: peak, warmup: 1500, total: t).rates()),
        ]
        let steps = Array(stride(from: 5, to: t, by: 37)) + [t - 1]
        for (name, eta) in schedules {
            for trial in 0..<3 {
                var p = randomParameters(&rng)
                if trial == 2 { p[4] = 1e-6; p[5] = 2.5; p[6] = 2.5 }  // far corner, like the 25M fit
                assertMatchesDirectSum(eta, steps, p, name)
            }
        }
        // The naive O(t²) sum and the direct sum agree on a short cosine (the direct sum is the reference above).
        let eta = LRSchedule.cosine(peak: peak, warmup: 20, total: 300, final: 0.1).rates()
        let p = randomParameters(&rng)
        for (d, s) in zip(direct(eta, [50, 150, 299], p).values, naive(eta, [50, 150, 299], p)) {
            XCTAssertEqual(d, s, accuracy: 1e-12 * s)
        }
    }

    /// The screening law (tolerance 1e-8) stays within its bound of the direct sum:
    /// |LD − LD_exact| ≤ 1e-8·B·Σ_{k≤t}|Δη|, values and gradient.
    func testScreeningLawStaysWithinItsLooserBound() {
        var rng = SeededGenerator(seed: 5)
        let peak = 3e-4
        let law = MultiPowerLaw().screeningLaw
        XCTAssertEqual(law.lossDropTolerance, 1e-8)
        XCTAssertEqual(MultiPowerLaw().lossDropTolerance, 1e-12)
        for eta in [LRSchedule.cosine(peak: peak, warmup: 200, total: 4000, final: 0.1).rates(),
                    LRSchedule.wsd(peak: peak, warmup: 200, stable: 2800, decay: 1000, shape: .linear, final: 0.1).rates()] {
            let steps = Array(stride(from: 5, to: 4000, by: 37))
            for _ in 0..<3 {
                let p = randomParameters(&rng)
                let exact = direct(eta, steps, p)
                let fast = law.predict(rates: eta, steps: steps, parameters: p)
                for (j, t) in steps.enumerated() {
                    var total = 0.0
                    for k in stride(from: 1, through: t, by: 1) { total += abs(eta[k - 1] - eta[k]) }
                    XCTAssertEqual(fast[j], exact.values[j], accuracy: 1e-8 * p[3] * total + 1e-14 * abs(exact.values[j]), "step \(t)")
                }
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
