import Foundation
import XCTest
@testable import ScaleFit

/// The one backtest of a law fitted to runs (`LawBacktest`): Kaplan's law and the power law
/// fitted on the runs a holdout keeps, every run predicted with its intervals.
final class LawBacktestTests: XCTestCase {
    /// Runs of Kaplan's published law at 5 sizes × 4 token counts with 1% noise.
    func kaplanRuns(noise: Double = 0.01, seed: UInt64 = 4) throws -> ModelRuns {
        var g = SeededGenerator(seed: seed)
        var n: [Double] = [], d: [Double] = [], l: [Double] = []
        for ni in [2e7, 6e7, 2e8, 6e8, 2e9] {
            for di in [1e9, 4e9, 1.6e10, 6.4e10] {
                n.append(ni); d.append(di)
                l.append(KaplanLaw.Parameters.published.loss(parameters: ni, tokens: di) * exp(noise * (2 * g.nextUnit() - 1)))
            }
        }
        return try ModelRuns(N: n, D: d, loss: l, file: "kaplan.csv")
    }

    func testKaplanBacktestScoresTheLargestSizeWithItsIntervals() throws {
        let runs = try kaplanRuns()
        let b = try LawBacktest(KaplanLaw(), to: runs, holdout: .largest(count: 1))
        XCTAssertEqual(b.heldOut, runs.N.map { $0 == 2e9 })
        XCTAssertEqual(b.fit.data.rows, 16)
        XCTAssertEqual(b.predictions.count, 20)
        // The fit is the law's own on the kept runs, and so are its predictions.
        let alone = try Fit(KaplanLaw(), to: runs.subset(runs.N.indices.filter { runs.N[$0] < 2e9 }))
        XCTAssertEqual(b.fit.parameters, alone.parameters)
        let law = KaplanLaw.Parameters(fittedParameters: b.fit.parameters)
        for i in runs.N.indices {
            XCTAssertEqual(b.predictions[i].value, law.loss(parameters: runs.N[i], tokens: runs.D[i]), accuracy: 1e-12)
        }
        // The noise comes from the kept runs' own folds (4 sizes), and widens the band.
        let noise = try XCTUnwrap(b.fit.noise)
        XCTAssertEqual(noise.folds, 4)
        let held = runs.N.indices.filter { runs.N[$0] == 2e9 }
        for i in held {
            XCTAssertLessThan(b.predictions[i].predictionLower, b.predictions[i].lower)
            XCTAssertGreaterThan(b.predictions[i].predictionUpper, b.predictions[i].upper)
        }
        // Errors and coverage over exactly the held-out runs.
        let e = held.map { b.predictions[$0].value - runs.loss[$0] }
        XCTAssertEqual(b.heldOutErrors.runs, 4)
        XCTAssertEqual(b.heldOutErrors.meanAbsoluteError, e.map(abs).reduce(0, +) / 4, accuracy: 1e-15)
        let coverage = try XCTUnwrap(b.coverage)
        XCTAssertEqual(coverage.points, 4)
        let inside = held.filter { b.predictions[$0].predictionLower <= runs.loss[$0] && runs.loss[$0] <= b.predictions[$0].predictionUpper }
        XCTAssertEqual(coverage.predictionInterval, Double(inside.count) / 4)
        // 1% noise: one size up is predicted to a few percent.
        XCTAssertLessThan(b.heldOutErrors.meanAbsoluteRelativeError, 0.03)
    }

    func testPowerLawHoldsOutItsLargestValuesAndRefusesCompute() throws {
        let x = [1e7, 3e7, 1e8, 3e8, 1e9, 3e9, 1e10]
        let truth = SaturatingPowerLaw.Parameters(E: 1.7, A: 400, alpha: 0.34)
        let runs = try PowerLawRuns(x: x, loss: x.map(truth.loss(at:)), variable: "params", file: "p.csv")
        let b = try LawBacktest(SaturatingPowerLaw(variable: "params"), to: runs, holdout: .largest(count: 2))
        XCTAssertEqual(b.heldOut, [false, false, false, false, false, true, true])
        XCTAssertEqual(b.heldOutErrors.maxAbsoluteRelativeError, 0, accuracy: 1e-6)
        XCTAssertThrowsError(try LawBacktest(SaturatingPowerLaw(variable: "params"), to: runs, holdout: .computeAbove(1e20))) {
            guard case let .badArgument(flag, _, _, found) = $0 as? ScaleFitError else { return XCTFail("\($0)") }
            XCTAssertEqual(flag, "holdout")
            XCTAssertEqual(found, "compute>1e+20")
        }
        // Too few runs left for the law's three parameters.
        XCTAssertThrowsError(try LawBacktest(SaturatingPowerLaw(variable: "params"), to: runs, holdout: .largest(count: 5))) {
            guard case let .invalidData(file, reason) = $0 as? ScaleFitError else { return XCTFail("\($0)") }
            XCTAssertEqual(file, "p.csv")
            XCTAssertTrue(reason.contains("leaves 2 runs to fit; the power law's 3 parameters need at least 4"), reason)
        }
    }
}
