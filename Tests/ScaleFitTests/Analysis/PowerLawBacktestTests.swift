import XCTest
@testable import ScaleFit

/// Power-law backtests on generated data: which runs each holdout takes, and the errors
/// against a direct evaluation of the fitted law.
final class PowerLawBacktestTests: XCTestCase {
    /// 4 model sizes × 4 token ratios of a known law with ±1% deterministic noise.
    func data() -> (n: [Double], d: [Double], l: [Double], lines: [Int], labels: [String]) {
        let truth = ChinchillaLaw.Parameters(E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28)
        var n: [Double] = [], d: [Double] = [], l: [Double] = []
        var g = SeededGenerator(seed: 7)
        for size in [1e8, 3e8, 1e9, 3e9] {
            for ratio in [5.0, 10, 20, 40] {
                n.append(size); d.append(size * ratio)
                l.append(truth.loss(parameters: size, tokens: size * ratio) * (1 + 0.01 * (g.nextUnit() - 0.5)))
            }
        }
        return (n, d, l, Array(2..<(n.count + 2)), n.indices.map { "r\($0)" })
    }

    let starts = StartGrid.cartesian([[0, 0.5], [5, 6], [5, 6], [0.3], [0.3]])

    func testHoldoutSelections() throws {
        let x = data()
        XCTAssertEqual(PowerLawHoldout.largest(count: 1).heldOut(parameters: x.n, tokens: x.d), x.n.map { $0 == 3e9 })
        XCTAssertEqual(PowerLawHoldout.largest(count: 2).heldOut(parameters: x.n, tokens: x.d), x.n.map { $0 >= 1e9 })
        XCTAssertEqual(PowerLawHoldout.computeAbove(1e20).heldOut(parameters: x.n, tokens: x.d), zip(x.n, x.d).map { 6 * $0 * $1 > 1e20 })
        let r = PowerLawHoldout.random(fraction: 0.25, seed: 4).heldOut(parameters: x.n, tokens: x.d)
        XCTAssertEqual(r.filter { $0 }.count, 4)
        XCTAssertEqual(r, PowerLawHoldout.random(fraction: 0.25, seed: 4).heldOut(parameters: x.n, tokens: x.d))
        XCTAssertNotEqual(r, PowerLawHoldout.random(fraction: 0.25, seed: 5).heldOut(parameters: x.n, tokens: x.d))
        XCTAssertEqual(try PowerLawHoldout(spec: "largest"), .largest(count: 1))
        XCTAssertEqual(try PowerLawHoldout(spec: "largest:3"), .largest(count: 3))
        XCTAssertEqual(try PowerLawHoldout(spec: "compute>1e21"), .computeAbove(1e21))
        XCTAssertEqual(try PowerLawHoldout(spec: "random:0.2", seed: 9), .random(fraction: 0.2, seed: 9))
        XCTAssertThrowsError(try PowerLawHoldout(spec: "random:1.5")) {
            guard case .badArgument(flag: "holdout", _, _, found: "random:1.5") = $0 as? ScaleFitError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try PowerLawHoldout(spec: "biggest"))
    }

    func testErrorsAgainstTheLawEvaluatedDirectly() throws {
        let x = data()
        let b = try PowerLawBacktest(parameters: x.n, tokens: x.d, loss: x.l, lines: x.lines, labels: x.labels,
                                     holdout: .largest(count: 1), starts: starts)
        let held = b.runs.filter(\.heldOut)
        XCTAssertEqual(held.map(\.label), ["r12", "r13", "r14", "r15"])
        XCTAssertEqual(b.runs.count, 16)
        // The law is the fit on the 12 kept runs alone.
        let direct = try Fit(ChinchillaLaw(grid: starts), to: try ModelRuns(N: Array(x.n[..<12]), D: Array(x.d[..<12]), loss: Array(x.l[..<12]))).values
        XCTAssertEqual(b.law, direct)
        XCTAssertEqual(b.fit.data.rows, 12)
        var abs = 0.0, sq = 0.0, rel = 0.0, maxRel = 0.0
        for (k, run) in held.enumerated() {
            let i = 12 + k
            let p = direct.loss(parameters: x.n[i], tokens: x.d[i])
            XCTAssertEqual(run.predicted, p)
            XCTAssertEqual(run.error, p - x.l[i])
            XCTAssertEqual(run.relativeError, (p - x.l[i]) / x.l[i])
            XCTAssertEqual(run.compute, 6 * x.n[i] * x.d[i])
            abs += Swift.abs(p - x.l[i]); sq += (p - x.l[i]) * (p - x.l[i])
            rel += Swift.abs(p - x.l[i]) / x.l[i]; maxRel = max(maxRel, Swift.abs(p - x.l[i]) / x.l[i])
        }
        XCTAssertEqual(b.heldOutErrors.runs, 4)
        XCTAssertEqual(b.heldOutErrors.meanAbsoluteError, abs / 4, accuracy: 1e-15)
        XCTAssertEqual(b.heldOutErrors.rootMeanSquaredError, (sq / 4).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(b.heldOutErrors.meanAbsoluteRelativeError, rel / 4, accuracy: 1e-15)
        XCTAssertEqual(b.heldOutErrors.maxAbsoluteRelativeError, maxRel)
        // 1% noise: the extrapolation one size up is good to a few percent.
        XCTAssertLessThan(b.heldOutErrors.meanAbsoluteRelativeError, 0.03)
    }

    func testNothingHeldOutOrTooFewLeftIsAnError() {
        let x = data()
        XCTAssertThrowsError(try PowerLawBacktest(parameters: x.n, tokens: x.d, loss: x.l, lines: x.lines, labels: x.labels,
                                                  holdout: .computeAbove(1e30), starts: starts, file: "runs.csv")) {
            guard case .invalidData(file: "runs.csv", let reason) = $0 as? ScaleFitError else { return XCTFail("\($0)") }
            XCTAssertTrue(reason.contains("holds out no run"), reason)
        }
        XCTAssertThrowsError(try PowerLawBacktest(parameters: x.n, tokens: x.d, loss: x.l, lines: x.lines, labels: x.labels,
                                                  holdout: .largest(count: 3), starts: starts)) {
            guard case .invalidData(_, let reason) = $0 as? ScaleFitError else { return XCTFail("\($0)") }
            XCTAssertTrue(reason.contains("leaves 4 runs"), reason)
        }
    }

    func testSweepStartsWhereSixRunsAreAndEndsWithTheTargetsInTheFit() throws {
        let x = data()
        let s = try PowerLawSweep(parameters: x.n, tokens: x.d, loss: x.l, lines: x.lines, labels: x.labels, starts: starts)
        XCTAssertEqual(s.steps.map(\.sizes), [2, 3, 4])
        XCTAssertEqual(s.steps.map(\.runs), [8, 12, 16])
        XCTAssertEqual(s.steps.map(\.targetsInFit), [false, false, true])
        XCTAssertEqual(s.targets.map(\.label), ["r12", "r13", "r14", "r15"])
        let three = try Fit(ChinchillaLaw(grid: starts), to: try ModelRuns(N: Array(x.n[..<12]), D: Array(x.d[..<12]), loss: Array(x.l[..<12]))).values
        XCTAssertEqual(s.steps[1].predicted, (12..<16).map { three.loss(parameters: x.n[$0], tokens: x.d[$0]) })
        XCTAssertEqual(s.steps[1].largestSizeUsed, 1e9)
    }
}
