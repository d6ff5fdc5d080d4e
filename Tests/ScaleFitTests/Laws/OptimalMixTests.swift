import XCTest
import ScaleFit

final class OptimalMixTests: XCTestCase {
    private func law(_ gammas: [Double], E: [Double]? = nil) -> MultilingualLaw {
        MultilingualLaw(families: gammas.indices.map { i in
            MultilingualLaw.Family(name: "f\(i)", E: E?[i] ?? 1.5 + 0.2 * Double(i), A: 400, B: 420, alpha: 0.33, beta: 0.28,
                                   gamma: gammas[i])
        })
    }

    /// Σ cᵢ·pᵢ^(−γᵢ) for the objective the mix minimises.
    private func objective(_ law: MultilingualLaw, _ p: [Double], weights: [Double]) -> Double {
        law.families.indices.reduce(0) { $0 + weights[$1] * law.families[$1].loss(parameters: 1e9, tokens: 2e10, ratio: p[$1]) }
    }

    /// Brute force: a grid over the simplex {Σp = 1, p ≥ m} refined around its best point
    /// (step 0.05 over the whole simplex, then halving the step on a ±2-old-steps window
    /// around the winner, down to 1e-7; the objective is convex, so this finds its minimum).
    private func bruteForce(_ law: MultilingualLaw, weights: [Double], minRatio m: Double) -> [Double] {
        let n = law.families.count
        var best = Array(repeating: 1.0 / Double(n), count: n)
        var bestValue = objective(law, best, weights: weights)
        var step = 0.05, radius = 0.5
        while step > 1e-7 {
            let k = Int((radius / step).rounded())
            let center = best
            func visit(_ prefix: [Double]) {
                if prefix.count == n - 1 {
                    let last = 1 - prefix.reduce(0, +)
                    guard last >= m else { return }
                    let p = prefix + [last]
                    let v = objective(law, p, weights: weights)
                    if v < bestValue { bestValue = v; best = p }
                    return
                }
                let c = center[prefix.count]
                for s in -k...k {
                    let v = c + Double(s) * step
                    if v >= m && v <= 1 { visit(prefix + [v]) }
                }
            }
            visit([])
            radius = 2 * step
            step /= 2
        }
        return best
    }

    func testMatchesBruteForceForThreeAndFiveFamilies() throws {
        for (gammas, weights) in [([0.1, 0.16, 0.2], [1.0, 2.0, 1.0]),
                                  ([0.1, 0.16, 0.12, 0.08, 0.2], [1.0, 1.0, 0.5, 1.0, 2.0])] {
            let l = law(gammas)
            let names = l.families.map(\.name)
            let w = Dictionary(uniqueKeysWithValues: zip(names, weights))
            let mix = try OptimalMix(law: l, parameters: 1e9, tokens: 2e10, weights: w, minRatio: 0.01)
            let brute = bruteForce(l, weights: weights, minRatio: 0.01)
            XCTAssertEqual(mix.shares.map(\.ratio).reduce(0, +), 1, accuracy: 1e-14)
            for (s, b) in zip(mix.shares, brute) { XCTAssertEqual(s.ratio, b, accuracy: 1e-4, s.family) }
            XCTAssertLessThanOrEqual(mix.objective, objective(l, brute, weights: weights) + 1e-12)
            XCTAssertEqual(mix.objective, objective(l, mix.shares.map(\.ratio), weights: weights), accuracy: 1e-12)
        }
    }

    /// KKT: every interior family has cᵢγᵢ·pᵢ^(−γᵢ−1) = μ; a family at the minimum has ≤ μ.
    func testSatisfiesTheKKTConditionsAndHonoursTheMinimum() throws {
        let l = law([0.02, 0.3, 0.25, 0.01], E: [1.5, 3, 3, 1.5])
        let mix = try OptimalMix(law: l, parameters: 1e9, tokens: 2e10, minRatio: 0.1)
        XCTAssertEqual(mix.shares.map(\.ratio).reduce(0, +), 1, accuracy: 1e-14)
        var clipped = 0
        for s in mix.shares {
            XCTAssertGreaterThanOrEqual(s.ratio, 0.1)
            let marginal = s.baseLoss * s.gamma * pow(s.ratio, -s.gamma - 1)
            if s.atMinimum {
                clipped += 1
                XCTAssertEqual(s.ratio, 0.1, accuracy: 1e-15)
                XCTAssertLessThanOrEqual(marginal, mix.multiplier * (1 + 1e-12))
            } else {
                XCTAssertEqual(marginal, mix.multiplier, accuracy: 1e-10 * mix.multiplier, s.family)
            }
        }
        XCTAssertEqual(clipped, 2, "the two flat families sit at the minimum")
    }

    func testNormalisedMixDoesNotDependOnScaleAndFamiliesWithoutGainGetTheMinimum() throws {
        let l = law([0.1, -0.02, 0.2, 0])
        let small = try OptimalMix(law: l, parameters: 8.5e7, tokens: 2e9, normalized: true, minRatio: 0.05)
        let large = try OptimalMix(law: l, parameters: 1.2e9, tokens: 5e10, normalized: true, minRatio: 0.05)
        for (a, b) in zip(small.shares, large.shares) { XCTAssertEqual(a.ratio, b.ratio, accuracy: 1e-14) }
        XCTAssertEqual(small.nonDecreasing, ["f1", "f3"])
        XCTAssertEqual(small.shares[1].ratio, 0.05)
        XCTAssertEqual(small.shares[3].ratio, 0.05)
        XCTAssertTrue(small.shares[1].atMinimum)
        // Two falling families share the rest: p ∝ (γᵢ)^(1/(γᵢ+1)) at μ, summing to 0.9.
        XCTAssertEqual(small.shares[0].ratio + small.shares[2].ratio, 0.9, accuracy: 1e-14)
        XCTAssertGreaterThan(small.shares[2].ratio, small.shares[0].ratio)
    }

    func testRejectsAnInfeasibleMinimumUnknownWeightsAndNoFallingFamily() {
        let l = law([0.1, 0.2, 0.3])
        XCTAssertThrowsError(try OptimalMix(law: l, parameters: 1e9, tokens: 1e10, minRatio: 0.4)) { e in
            guard case let ScaleFitError.badArgument(flag, _, expected, found) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(flag, "minRatio"); XCTAssertEqual(found, "0.4")
            XCTAssertTrue(expected.contains("1/3"), expected)
        }
        XCTAssertThrowsError(try OptimalMix(law: l, parameters: 1e9, tokens: 1e10, weights: ["de": 1])) { e in
            guard case let ScaleFitError.badArgument(flag, _, _, found) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(flag, "weights", "the library names the argument, not the flag"); XCTAssertEqual(found, "de")
        }
        XCTAssertThrowsError(try OptimalMix(law: law([0, -0.1]), parameters: 1e9, tokens: 1e10, source: "m.fit.json")) { e in
            guard case let ScaleFitError.invalidData(file, reason) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(file, "m.fit.json"); XCTAssertTrue(reason.contains("no family's loss falls"), reason)
        }
        // n·m = 1 exactly: every family at the minimum.
        XCTAssertEqual(try OptimalMix(law: law([0.1, 0.2, 0.3, 0.4]), parameters: 1e9, tokens: 1e10, minRatio: 0.25)
            .shares.map(\.ratio), [0.25, 0.25, 0.25, 0.25])
        XCTAssertThrowsError(try OptimalMix(law: l, parameters: 1e9, tokens: 1e10, minRatio: 1.0 / 3 + 1e-9))
    }
}
