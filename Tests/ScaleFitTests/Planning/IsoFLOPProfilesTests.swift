import Foundation
import XCTest
@testable import ScaleFit

/// Hoffmann's approach 2 on synthetic IsoFLOP sweeps of Chinchilla's law (a = β/(α+β)
/// known), the flags, the errors, the fit file, and a small coverage check of the
/// bootstrap interval of a (`scalefit-bench isoflop` runs the 200 trials).
final class IsoFLOPProfilesTests: XCTestCase {
    func testNoiseFreeSweepRecoversTheExponentsExactly() throws {
        let sweep = IsoFLOPSweep(noise: 0)
        let fit = try IsoFLOPProfiles(try sweep.runs(seed: 1), options: .init(bootstrapSamples: 0))
        XCTAssertEqual(fit.profiles.count, 7)
        XCTAssertEqual(fit.used, 7)
        XCTAssertEqual(fit.flagged, 0)
        // Every profile has one shape in ln N − ln N*(C), so the parabola's bias is one factor.
        XCTAssertEqual(fit.law.a, 0.28 / 0.62, accuracy: 1e-9)
        XCTAssertEqual(fit.law.b, 0.34 / 0.62, accuracy: 1e-9)
        XCTAssertNil(fit.bootstrap)
    }

    func testNoisySweepRecoversAAndBInsideTheirIntervals() throws {
        let sweep = IsoFLOPSweep(noise: 0.01)
        let fit = try IsoFLOPProfiles(try sweep.runs(seed: 7), options: .init(bootstrapSamples: 300, seed: 3))
        let (a, b) = (fit.bootstrap!.exponentIntervals[0], fit.bootstrap!.exponentIntervals[1])
        XCTAssertEqual(a.name, "a"); XCTAssertEqual(b.name, "b")
        XCTAssertTrue(a.lower < sweep.trueA && sweep.trueA < a.upper, "\(a)")
        XCTAssertTrue(b.lower < 1 - sweep.trueA && 1 - sweep.trueA < b.upper, "\(b)")
        XCTAssertEqual(fit.law.a, sweep.trueA, accuracy: 0.05)
        XCTAssertLessThan(a.upper - a.lower, 0.2)
        // Same seed, same intervals.
        let again = try IsoFLOPProfiles(try sweep.runs(seed: 7), options: .init(bootstrapSamples: 300, seed: 3))
        XCTAssertEqual(again.bootstrap, fit.bootstrap)
    }

    func testAGroupWithItsMinimumAtAnEdgeIsFlaggedAndLeftOut() throws {
        var sweep = IsoFLOPSweep(noise: 0)
        sweep.budgets = [1e18, 1e19, 1e20]
        var runs = try sweep.runs(seed: 0)
        // A fourth budget swept only above its optimum: the loss rises over the whole range.
        let star = ComputeOptimalAllocation(law: sweep.law, compute: 1e21).parameters
        for v in [0.3, 0.5, 0.7, 0.9] {
            let n = star * pow(10, v)
            runs.parameters.append(n); runs.compute.append(1e21); runs.lines.append(runs.lines.count + 1)
            runs.loss.append(sweep.law.loss(parameters: n, tokens: 1e21 / (6 * n)))
        }
        let fit = try IsoFLOPProfiles(runs, options: .init(bootstrapSamples: 0))
        XCTAssertEqual(fit.profiles.map(\.parabola.status), [.used, .used, .used, .minimumAtEdge])
        XCTAssertEqual(fit.flagged, 1)
        XCTAssertEqual(fit.law.points, 3)
        XCTAssertEqual(fit.law.a, sweep.trueA, accuracy: 1e-9)
        XCTAssertEqual(IsoFLOPProfiles.flagSummary(fit.profiles), "1 with the minimum at an edge of its N range flagged")
    }

    func testTooFewUsableBudgetsIsBadDataNamingTheCounts() throws {
        var sweep = IsoFLOPSweep(noise: 0)
        sweep.budgets = [1e19]
        var runs = try sweep.runs(seed: 0)
        runs.parameters += [1e8, 2e8]; runs.compute += [1e21, 1e21]; runs.loss += [2.5, 2.4]; runs.lines += [10, 11]
        XCTAssertThrowsError(try IsoFLOPProfiles(runs)) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "<data>", reason: "IsoFLOP profiles: 1 of 2 compute budgets usable (1 with fewer than 3 distinct model sizes flagged); the exponents need at least 2 budgets with an interior minimum (binning: runs sorted by compute; a new budget starts where log10 C rises more than 0.03 decades above the previous run's; each budget is its runs' geometric-mean C)"))
        }
    }

    func testANonConvexProfileIsFlagged() {
        let p = IsoFLOPParabola(parameters: [1e8, 2e8, 4e8, 8e8], loss: [3.0, 3.2, 3.2, 3.0])
        XCTAssertEqual(p.status, .notConvex)
        XCTAssertNil(p.optimalParameters)
        let q = IsoFLOPParabola(parameters: [1e8, 1e8, 4e8], loss: [3.0, 3.1, 3.2])
        XCTAssertEqual(q.status, .tooFewSizes)
        XCTAssertEqual(q.distinctSizes, 2)
    }

    func testTheParabolaMinimumOfAnExactParabola() {
        // L = 2 + 0.1·(ln N − ln 3e8)²: minimum at 3e8, 2.
        let n = [1e8, 2e8, 3e8, 5e8, 9e8]
        let p = IsoFLOPParabola(parameters: n, loss: n.map { 2 + 0.1 * pow(log($0 / 3e8), 2) })
        XCTAssertEqual(p.status, .used)
        XCTAssertEqual(p.optimalParameters!, 3e8, accuracy: 3e8 * 1e-10)
        XCTAssertEqual(p.minimumLoss!, 2, accuracy: 1e-12)
    }

    func testBinningJoinsRunsWithinTheToleranceAndSplitsAtAGap() throws {
        let b = try ComputeBinning(tolerance: 0.03)
        XCTAssertEqual(b.groups([1e19, 1.05e19, 3e19, 1.1e19, 2.9e19, 1e21]), [[0, 1, 3], [4, 2], [5]])
        XCTAssertThrowsError(try ComputeBinning(tolerance: -1)) { e in
            XCTAssertEqual(e as? ScaleFitError, .badArgument(flag: "tolerance", position: 0, expected: "a finite number of decades ≥ 0", found: "-1.0"))
        }
    }

    func testTheFitFileRoundTripsAndIsValidated() throws {
        let fit = try IsoFLOPProfiles(try IsoFLOPSweep().runs(seed: 2), options: .init(bootstrapSamples: 50, seed: 1))
        let file = FitFile(isoflop: fit, droppedRows: 0)
        let back = try FitFile.decode(try file.encoded(), file: "f.json")
        XCTAssertEqual(back, file)
        XCTAssertEqual(try back.allocationLaw(file: "f.json").a, fit.law.a)
        XCTAssertEqual(back.allocationBootstrap?.draws, fit.bootstrap?.draws)
        var bad = file
        bad.parameterNames = ["k", "a"]
        XCTAssertThrowsError(try FitFile.decode(try bad.encoded(), file: "f.json")) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "f.json", reason: "parameterNames: an isoflop fit file names its parameters log_k, a; found k, a"))
        }
        bad = file
        bad.settings?["flagged"] = "-1"
        XCTAssertThrowsError(try FitFile.decode(try bad.encoded(), file: "f.json")) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "f.json", reason: "settings.flagged: expected a count ≥ 0, found \"-1\""))
        }
    }

    /// 30 seeded trials, 200 resamples each: the 95% interval of a covers the truth in 25 to
    /// 30 (the binomial 95%-coverage count has a 1st percentile of 25 in 30), for both
    /// resamplings. `scalefit-bench isoflop` runs 200 trials of 1000: 96.0% (residuals), 98.0% (runs).
    func testBootstrapCoverageOfAOverSeededTrials() throws {
        for kind in IsoFLOPProfiles.Resampling.allCases {
            let c = try IsoFLOPSweep().coverage(trials: 30, samples: 200, resampling: kind)
            XCTAssertGreaterThanOrEqual(c.covered, 25, "\(kind): covered \(c.covered) of 30, mean width \(c.meanWidth)")
            XCTAssertLessThan(c.meanWidth, 0.15, "\(kind)")
        }
    }

    func testBudgetsOfThreeRunsAreNamedAsFixedUnderResidualResampling() throws {
        var sweep = IsoFLOPSweep(noise: 0.01)
        sweep.offsets = [-0.4, 0, 0.4]
        let fit = try IsoFLOPProfiles(try sweep.runs(seed: 3), options: .init(bootstrapSamples: 20))
        XCTAssertEqual(fit.budgetsWithoutResiduals, fit.used)
        XCTAssertEqual(fit.bootstrapCaveat, "\(fit.used) of the \(fit.used) used budgets have 3 runs, which their parabola fits exactly: residual resampling cannot vary them and the interval understates the uncertainty (resampling whole runs, `Resampling.runs`, varies them)")
        let runs = try IsoFLOPProfiles(try sweep.runs(seed: 3), options: .init(bootstrapSamples: 20, resampling: .runs))
        XCTAssertNil(runs.bootstrapCaveat)
    }

    func testResidualResamplingKeepsEachRunsSize() throws {
        // With every run exactly on the law, the residuals are the parabola's misfit only: the
        // intervals are narrow and hold the truth (one profile shape at every budget).
        let fit = try IsoFLOPProfiles(try IsoFLOPSweep(noise: 0).runs(seed: 0), options: .init(bootstrapSamples: 100))
        let a = fit.bootstrap!.exponentIntervals[0]
        XCTAssertLessThan(a.upper - a.lower, 0.01, "\(a)")
        XCTAssertEqual(fit.bootstrap!.failed, 0)
    }

    /// The shared Chinchilla points (Epoch AI's digitisation of Hoffmann's Figure 4), C given.
    func testTheSharedChinchillaPointsGiveHoffmannsExponents() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../shared/data/chinchilla/svg_extracted_data.csv").standardized.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is absent (../shared/data is not beside this clone)")
        }
        let table = try RunTableReader.read(path: path)
        let runs = try IsoFLOPRuns(parameters: try table.values(of: "Model Size"), compute: try table.values(of: "Training FLOP"),
                                   loss: try table.values(of: "loss"), file: path)
        let fit = try IsoFLOPProfiles(runs, options: .init(bootstrapSamples: 200))
        XCTAssertEqual(fit.used, 13)
        XCTAssertEqual(fit.law.a, 0.494, accuracy: 0.0005)
        let a = fit.bootstrap!.exponentIntervals[0]
        XCTAssertTrue(a.lower < 0.49 && 0.49 < a.upper, "\(a)")
    }
}
