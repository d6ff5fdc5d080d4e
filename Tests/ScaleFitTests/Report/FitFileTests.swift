import Foundation
import XCTest
@testable import ScaleFit

final class FitFileTests: XCTestCase {
    func makeFit() throws -> (Fit<ChinchillaLaw>, FitFile) { try Self.makeFit() }

    static func makeFit() throws -> (Fit<ChinchillaLaw>, FitFile) {
        let truth = ChinchillaLaw.Parameters(E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28)
        var n: [Double] = [], d: [Double] = [], l: [Double] = []
        var g = SeededGenerator(seed: 5)
        for ni in [5e7, 1e8, 3e8, 1e9, 3e9] { for di in [1e9, 4e9, 1.6e10, 6.4e10] {
            n.append(ni); d.append(di)
            l.append(truth.loss(parameters: ni, tokens: di) * (1 + 0.003 * (g.nextUnit() - 0.5)))
        } }
        let fit = try Fit(ChinchillaLaw(grid: StartGrid.cartesian([[0, 0.5], [5, 10], [5, 10], [0.5], [0.5]])),
                          to: try ModelRuns(N: n, D: d, loss: l, file: "t.csv"))
        let file = fit.file
        return (fit, file)
    }

    func testRoundTripsThroughJSONExactly() throws {
        let (fit, file) = try makeFit()
        let back = try FitFile.decode(try file.encoded(), file: "x.fit.json")
        XCTAssertEqual(back, file)
        XCTAssertEqual(back.formatVersion, FitFile.currentVersion)
        XCTAssertEqual(back.parameters, fit.parameters)
        XCTAssertEqual(try file.encoded(), try back.encoded(), "same fit, same bytes")
    }

    func testPredictionMatchesTheLawAndItsIntervalBracketsIt() throws {
        let (fit, file) = try makeFit()
        for (n, d) in [(7e10, 1.4e12), (1e8, 2e9)] {
            let p = try file.predict(parameters: n, tokens: d)
            XCTAssertEqual(p.loss, fit.values.loss(parameters: n, tokens: d), accuracy: 1e-12)
            XCTAssertLessThan(p.lower, p.loss)
            XCTAssertGreaterThan(p.upper, p.loss)
        }
        // Extrapolating far beyond the data widens the interval.
        let near = try file.predict(parameters: 1e9, tokens: 1.6e10), far = try file.predict(parameters: 1e12, tokens: 2e13)
        XCTAssertGreaterThan(far.upper / far.lower, near.upper / near.lower)
    }

    func testUnknownVersionAndMalformedFilesAreRefused() throws {
        XCTAssertThrowsError(try FitFile.decode(Data(#"{"formatVersion": 3}"#.utf8), file: "f.json")) { e in
            XCTAssertEqual(e as? ScaleFitError, .unsupportedVersion(file: "f.json", found: 3, supported: 2))
            XCTAssertEqual((e as? ScaleFitError)?.exitCode, 65)
        }
        XCTAssertThrowsError(try FitFile.decode(Data("{}".utf8), file: "f.json")) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "f.json", reason: "not a scalefit fit file (no formatVersion)"))
        }
        XCTAssertThrowsError(try FitFile.decode(Data("[1,2]".utf8), file: "f.json"))
        XCTAssertThrowsError(try FitFile.decode(Data(#"{"formatVersion": 2, "law": "chinchilla"}"#.utf8), file: "f.json")) { e in
            guard case .invalidData(let f, let reason)? = e as? ScaleFitError else { return XCTFail("\(e)") }
            XCTAssertEqual(f, "f.json")
            XCTAssertTrue(reason.hasPrefix("malformed fit file"), reason)
        }
    }

    func testVersionOneChinchillaFilesAreStillReadAndOtherLawsAreNotPredictedAsChinchilla() throws {
        let (_, file) = try makeFit()
        var v1 = file
        v1.formatVersion = 1
        let back = try FitFile.decode(try v1.encoded(), file: "old.fit.json")
        XCTAssertEqual(back.parameters, file.parameters)
        XCTAssertEqual(try back.predict(parameters: 7e10, tokens: 1.4e12).loss, try file.predict(parameters: 7e10, tokens: 1.4e12).loss)

        let other = FitFile(law: "power", formula: "L = E + A*x^-alpha", parameterNames: ["E", "A", "alpha"],
                            parameters: [1, 2, 0.3], covariance: Matrix(rows: 3, columns: 3), objective: 0,
                            loss: "l2", starts: 1, data: .init(file: "p.csv", rows: 5, droppedRows: 0))
        XCTAssertThrowsError(try other.predict(parameters: 1e9, tokens: 1e10, file: "p.fit.json")) { e in
            guard case .invalidData(let f, let reason)? = e as? ScaleFitError else { return XCTFail("\(e)") }
            XCTAssertEqual(f, "p.fit.json")
            XCTAssertTrue(reason.contains("holds the power law"), reason)
        }
        XCTAssertEqual(try FitFile.decode(try other.encoded(), file: "p.fit.json"), other)
        // A version-1 file of another law is malformed; mismatched names and covariance too.
        var oldOther = other
        oldOther.formatVersion = 1
        XCTAssertThrowsError(try FitFile.decode(try oldOther.encoded(), file: "o.json"))
        var broken = other
        broken.parameterNames = ["E"]
        XCTAssertThrowsError(try FitFile.decode(try broken.encoded(), file: "b.json")) { e in
            guard case .invalidData(_, let reason)? = e as? ScaleFitError else { return XCTFail("\(e)") }
            XCTAssertTrue(reason.contains("do not match"), reason)
        }
    }

    func testComputeOptimalAllocationIsOnTheBudgetAndMinimal() {
        let law = ChinchillaLaw.Parameters(E: 1.82, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658)
        let o = ComputeOptimalAllocation(law: law, compute: 5.76e23)
        XCTAssertEqual(6 * o.parameters * o.tokens, 5.76e23, accuracy: 5.76e23 * 1e-12)
        for f in [0.9, 0.99, 1.01, 1.1] {
            let n = o.parameters * f
            XCTAssertGreaterThan(law.loss(parameters: n, tokens: 5.76e23 / (6 * n)), o.loss)
        }
        XCTAssertEqual(o.tokensPerParameter, o.tokens / o.parameters)
    }
}

final class ChinchillaBootstrapTests: XCTestCase {
    func testBootstrapIsSeededAndItsIntervalsBracketTheFit() throws {
        let (fit, _) = try FitFileTests.makeFit()
        let truth = ChinchillaLaw.Parameters(E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28)
        var n: [Double] = [], d: [Double] = [], l: [Double] = []
        var g = SeededGenerator(seed: 5)
        for ni in [5e7, 1e8, 3e8, 1e9, 3e9] { for di in [1e9, 4e9, 1.6e10, 6.4e10] {
            n.append(ni); d.append(di)
            l.append(truth.loss(parameters: ni, tokens: di) * (1 + 0.003 * (g.nextUnit() - 0.5)))
        } }
        let runs = try ModelRuns(N: n, D: d, loss: l)
        let a = ChinchillaBootstrap(fit: fit, runs: runs, samples: 60, seed: 11, compute: 1e21)
        let b = ChinchillaBootstrap(fit: fit, runs: runs, samples: 60, seed: 11, compute: 1e21)
        let c = ChinchillaBootstrap(fit: fit, runs: runs, samples: 60, seed: 12, compute: 1e21)
        XCTAssertEqual(a, b, "same seed, same intervals")
        XCTAssertNotEqual(a, c)
        XCTAssertLessThan(a.failed, 6)
        let alpha = a.intervals.first { $0.name == "alpha" }!
        XCTAssertLessThanOrEqual(alpha.lower, fit.values.alpha)
        XCTAssertGreaterThanOrEqual(alpha.upper, fit.values.alpha)
        XCTAssertLessThan(alpha.lower, alpha.upper)
        XCTAssertEqual(ChinchillaBootstrap.percentile([1, 2, 3, 4], 0.5), 2.5)
    }
}
