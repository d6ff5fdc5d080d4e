import Foundation
import XCTest
@testable import ScaleFit

/// The optimal learning-rate schedule (`OptimalSchedule`) on the published multi-power fits of
/// PROVENANCE (`../shared/data/lrcurves`, repository convention; the parameters only, no data
/// file is read), and checks against optima known by brute force.
final class OptimalScheduleTests: XCTestCase {
    static let published = FinalLossObjectiveTests.multipower
    static let published100M: [Double] = [2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199, 0.65523644]

    /// The paper's setting: 24,000 steps, peak 3e-4, warmup 2,160, η_min 3e-5 (its cosine's floor).
    func testPublishedFitsFreeOptimumBeatsCosineAndBestWSD() throws {
        let c = try ScheduleConstraints(steps: 24000, peak: 3e-4, warmup: 2160, minimumRate: 3e-5)
        for (model, theta) in [("25M", Self.published), ("100M", Self.published100M)] {
            let law = MultiPowerLaw()
            let r = try OptimalSchedule(law: law, parameters: theta, covariance: Matrix(rows: 7, columns: 7), constraints: c)
            print("\(model): free \(r.finalLoss.value), best WSD \(r.bestWSD.finalLoss.value) \(r.bestWSD.schedule.spec), cosine \(r.cosine.finalLoss.value); gains \(r.gainOverCosine), \(r.gainOverBestWSD); \(r.shape.description); \(r.search!)")
            XCTAssertGreaterThan(r.gainOverCosine, 0.04, model)
            XCTAssertGreaterThan(r.gainOverBestWSD, 1e-4, model)
            XCTAssertEqual(r.rates.count, 24000)
            try assertFeasible(r.rates, c, model)
            XCTAssertTrue(r.search!.converged, "\(model): \(r.search!)")
            // The written CSV read back as `predict --schedule-file` reads it gives the same loss.
            let schedule = LRSchedule.logged(try LoggedSchedule.parse(csv: r.csv, file: "optimal.csv", before: .hold))
            let back = law.predict(rates: schedule.rates(count: 24000), steps: [23999], parameters: theta)[0]
            XCTAssertEqual(back, r.finalLoss.value, accuracy: 1e-12, model)
            XCTAssertEqual(r.finalLoss.lower, r.finalLoss.value, "a zero covariance gives a zero-width interval")
        }
    }

    func assertFeasible(_ rates: [Double], _ c: ScheduleConstraints, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for j in 0..<c.warmup { XCTAssertEqual(rates[j], LRSchedule.warmupRate(j, c.warmup, c.peak), file: file, line: line) }
        for j in c.warmup..<c.steps {
            XCTAssertLessThanOrEqual(rates[j], j == c.warmup ? c.peak : rates[j - 1], "\(what) at \(j)", file: file, line: line)
            XCTAssertGreaterThanOrEqual(rates[j], c.minimumRate, "\(what) at \(j)", file: file, line: line)
            if rates[j] < c.minimumRate || rates[j] > (j == c.warmup ? c.peak : rates[j - 1]) { return }
        }
    }

    /// 3,000 steps of the 25M fit (warmup 216): the optimum is a staircase of two drops. An
    /// independent search (scipy Nelder–Mead over K = 1…4 drops' positions and levels, 20
    /// starts each) found 3.654665897776222 with drops at steps 2845 and 2972 (the one-drop best
    /// 3.6547323278653847, three and four drops no better); the free search must reach it.
    func testShortHorizonFindsTheTwoDropStaircase() throws {
        let c = try ScheduleConstraints(steps: 3000, peak: 3e-4, warmup: 216, minimumRate: 3e-5)
        let r = try OptimalSchedule(law: MultiPowerLaw(), parameters: Self.published, constraints: c)
        XCTAssertLessThanOrEqual(r.finalLoss.value, 3.654665897776222 + 1e-12, r.shape.description)
        XCTAssertEqual(r.shape.drops.map(\.first), [2845, 2972], r.shape.description)
        XCTAssertEqual(r.shape.description, "staircase of 2 sharp drops (at steps 2845, 2972)")
        XCTAssertTrue(r.search!.converged, "\(r.search!)")
        try assertFeasible(r.rates, c, "T = 3000")
    }

    /// The annealing law's final loss is convex in the decrements and its optimum one sharp
    /// drop (see `OptimalSchedule`): brute force over every drop step, with the loss in closed
    /// form and a golden-section search on the drop's size, finds the optimum, which the free search must match.
    func testAnnealingFreeOptimumIsTheBruteForceSingleDrop() throws {
        // S1 ≈ 0.3 at the end: α·A·S1^(−α−1) ≈ 0.9 < C, so a drop pays, ~n* = log(0.45)/log(0.99) ≈ 80 steps before the end.
        let c = try ScheduleConstraints(steps: 1000, peak: 3e-4, warmup: 50, minimumRate: 3e-5)
        let law = AnnealingLaw(momentum: .fixed(0.99))
        let theta = [2.8, 0.3, 0.5, 2.0]
        // One drop at step k to level l, in closed form (the warmup counted at the peak):
        // L = L0 + A·(k·η_max + (T − k)·l)^(−α) − C·(η_max − l)·(1 − λ^(T−k))/(1 − λ).
        let lambda = 0.99
        var brute = Double.infinity, at = 0
        for k in c.warmup..<c.steps {
            func f(_ level: Double) -> Double {
                let s1 = Double(k) * c.peak + Double(c.steps - k) * level
                return theta[0] + theta[1] * pow(s1, -theta[2]) - theta[3] * (c.peak - level) * (1 - pow(lambda, Double(c.steps - k))) / (1 - lambda)
            }
            var a = c.minimumRate, b = c.peak
            let phi = (5.0.squareRoot() - 1) / 2
            while b - a > 1e-15 { let x = b - phi * (b - a), y = a + phi * (b - a); if f(x) < f(y) { b = y } else { a = x } }
            let v = min(f(a), f(c.minimumRate))
            if v < brute { brute = v; at = k }
        }
        let r = try OptimalSchedule(law: law, parameters: theta, constraints: c)
        print("annealing: free \(r.finalLoss.value), brute-force single drop \(brute) at \(at); \(r.shape.description)")
        XCTAssertEqual(r.finalLoss.value, brute, accuracy: 1e-12)
        XCTAssertEqual(r.shape.sharpDrops, 1, r.shape.description)
        XCTAssertEqual(r.shape.drops.count, 1, r.shape.description)
        XCTAssertTrue(r.shape.drops.first.map { abs($0.first - at) <= 1 } ?? false, "\(r.shape.drops) vs \(at)")
        XCTAssertLessThan(at, c.steps - 10, "the optimum drops before the end")
        XCTAssertTrue(r.search!.converged, "\(r.search!)")
        try assertFeasible(r.rates, c, "annealing")
    }

    /// A tiny horizon (T = 8, W = 2: six free rates, peak 0.03 so that over 8 steps a decay
    /// pays): no non-increasing schedule on a grid of 13 levels (18,564 of them) beats the
    /// free optimum, which is not the constant.
    func testMultipowerTinyHorizonBeatsEveryGridSchedule() throws {
        let c = try ScheduleConstraints(steps: 8, peak: 0.03, warmup: 2, minimumRate: 0.003)
        let law = MultiPowerLaw()
        let objective = FinalLossObjective(law: law, parameters: Self.published)!
        let levels = (0...12).map { c.minimumRate + (c.peak - c.minimumRate) * Double($0) / 12 }
        var best = Double.infinity, count = 0
        func visit(_ prefix: [Double], _ ceiling: Int) {
            if prefix.count == 6 {
                count += 1
                best = min(best, objective.value(c.warmupRates + prefix))
                return
            }
            for i in 0...ceiling { visit(prefix + [levels[i]], i) }
        }
        visit([], 12)
        let r = try OptimalSchedule(law: law, parameters: Self.published, constraints: c)
        print("tiny horizon: free \(r.finalLoss.value), best of \(count) grid schedules \(best); \(r.rates)")
        XCTAssertEqual(count, 18564)
        XCTAssertLessThanOrEqual(r.finalLoss.value, best + 1e-13)
        XCTAssertLessThan(r.rates[7], c.peak, "a decay pays here")
        XCTAssertTrue(r.search!.converged, "\(r.search!)")
    }

    /// The WSD and cosine searches against every decay length and a fine grid of final ratios.
    func testFamiliesMatchExhaustiveSearch() throws {
        let c = try ScheduleConstraints(steps: 1200, peak: 3e-4, warmup: 100, minimumRate: 3e-5)
        let law = MultiPowerLaw()
        let search = ScheduleFamilySearch(objective: FinalLossObjective(law: law, parameters: Self.published)!, constraints: c)
        let wsd = search.bestWSD()
        var exhaustive = Double.infinity
        for shape in [LRSchedule.DecayShape.linear, .cosine, .oneMinusSqrt, .geometric] {
            for decay in 1...c.freeSteps { exhaustive = min(exhaustive, search.loss(c.wsd(decay: decay, shape: shape))) }
        }
        XCTAssertEqual(wsd.loss, exhaustive, "best WSD \(wsd.schedule.spec)")
        let cosine = search.bestCosine()
        let grid = (0...2000).map { search.loss(c.cosine(finalRatio: 0.1 + 0.9 * Double($0) / 2000)) }.min()!
        XCTAssertLessThanOrEqual(cosine.loss, grid + 1e-15)
        let r = try OptimalSchedule(law: law, parameters: Self.published, constraints: c, family: .wsd)
        XCTAssertEqual(r.schedule, wsd.schedule)
        XCTAssertEqual(r.gainOverBestWSD, 0)
        XCTAssertNil(r.search)
    }

    func testArgumentsAreNamedWhenOutOfRange() {
        func error(_ make: () throws -> Any) -> ScaleFitError? {
            do { _ = try make(); return nil } catch { return error as? ScaleFitError }
        }
        XCTAssertEqual(error { try ScheduleConstraints(steps: 10_000_001, peak: 3e-4, warmup: 0, minimumRate: 3e-5) },
                       .badArgument(flag: "steps", position: 0, expected: "an integer from 2 to 10000000", found: "10000001"))
        XCTAssertEqual(error { try ScheduleConstraints(steps: 100, peak: .nan, warmup: 0, minimumRate: 3e-5) },
                       .badArgument(flag: "peak", position: 0, expected: "a finite positive learning rate", found: "nan"))
        XCTAssertEqual(error { try ScheduleConstraints(steps: 100, peak: 3e-4, warmup: 100, minimumRate: 3e-5) },
                       .badArgument(flag: "warmup", position: 0, expected: "an integer from 0 to steps − 1 = 99", found: "100"))
        XCTAssertEqual(error { try ScheduleConstraints(steps: 100, peak: 3e-4, warmup: 10, minimumRate: 3e-4) },
                       .badArgument(flag: "minimumRate", position: 0, expected: "a learning rate above 0 and below the peak 0.0003", found: "0.0003"))
        let c = try! ScheduleConstraints(steps: 100, peak: 3e-4, warmup: 10, minimumRate: 3e-5)
        XCTAssertEqual(error { try OptimalSchedule(law: AnnealingLaw(), parameters: [1, 2], constraints: c) },
                       .badArgument(flag: "parameters", position: 0, expected: "4 finite values (L0, A, alpha, C)", found: "[1.0, 2.0]"))
    }
}
