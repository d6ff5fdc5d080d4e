import Foundation
import XCTest

/// Tables a law in N and D cannot be fitted to are refused (65) with the reason; losses
/// that rise with size are fitted but flagged, and the allocation says it comes from an
/// unsound fit.
final class RunSanityCLITests: XCTestCase {
    private func table(_ name: String, _ rows: [(Double, Double, Double)]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-sanity-\(getpid())-\(name).csv").path
        try ("params,tokens,loss\n" + rows.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private var grid: [(Double, Double)] {
        [1e8, 2e8, 4e8].flatMap { n in [1e9, 4e9, 16e9].map { (n, $0) } }
    }

    func testOneModelSizeIsRefusedForEveryLawInNAndD() throws {
        let path = try table("one-size", [1e9, 2e9, 4e9, 8e9, 16e9, 32e9, 64e9].enumerated().map { (1e8, $1, 3.5 - 0.1 * Double($0)) })
        for law in ["chinchilla", "kaplan"] {
            let r = try CLITests.scalefit(["fit", path, "--law", law])
            XCTAssertEqual(r.status, 65, "\(law): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("every run has the same model size N = 1.000e+08: the \(law) law's N term cannot be told from its constant"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        let power = try CLITests.scalefit(["fit", path, "--law", "power", "--x", "params"])
        XCTAssertEqual(power.status, 65, power.stderr)
        XCTAssertTrue(power.stderr.contains("every run has the same params"), power.stderr)
        // The same runs fit as a power law in D.
        XCTAssertEqual(try CLITests.scalefit(["fit", path, "--law", "power", "--x", "tokens"]).status, 0)
    }

    func testAllEqualLossesAreRefused() throws {
        let path = try table("equal", grid.map { ($0.0, $0.1, 3.0) })
        let r = try CLITests.scalefit(["fit", path])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("every run has the same loss 3.0: there is no trend for the chinchilla law to fit"), r.stderr)
    }

    func testLossesRisingWithSizeAreFlaggedAndTheAllocationSaysSo() throws {
        let path = try table("rising", grid.enumerated().map { ($1.0, $1.1, 3.0 + 0.05 * Double($0)) })
        let r = try CLITests.scalefit(["fit", path])
        XCTAssertTrue(r.stdout.contains("NOT SOUND: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("the losses do not fall with model size N (slope of log L on log N = +"), r.stdout)
        XCTAssertTrue(r.stdout.contains("compute-optimal allocation (C = 6 N D), from a fit that is NOT SOUND (above): not to be relied on:"), r.stdout)
        XCTAssertTrue(r.stderr.contains("warning: the fit is not sound"), r.stderr)
    }

    func testFallingLossesRaiseNoTrendWarning() {
        let n = grid.map(\.0), d = grid.map(\.1)
        let loss = zip(n, d).map { 1.7 + 400 / pow($0, 0.34) + 410 / pow($1, 0.28) }
        XCTAssertEqual(RunVariationProbe.warnings(n, d, loss), [])
    }
}

import ScaleFit
enum RunVariationProbe {
    static func warnings(_ n: [Double], _ d: [Double], _ l: [Double]) -> [String] { RunVariation.trendWarnings(N: n, D: d, loss: l) }
}

/// Zero learning rates are bad data (65), not a failed fit.
final class ZeroLearningRateCLITests: XCTestCase {
    func testAllZeroRatesAreRefusedAsData() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-zero-lr-\(getpid()).csv").path
        try ("step,lr,loss\n" + (1...8).map { "\($0 * 100),0,\(3.0 + 0.1 * Double(9 - $0))" }.joined(separator: "\n") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        for law in ["annealing", "multipower"] {
            let r = try CLITests.scalefit(["fit", path, "--law", law])
            XCTAssertEqual(r.status, 65, "\(law): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("the learning rate is 0 at every step up to 800"), r.stderr)
        }
    }
}
