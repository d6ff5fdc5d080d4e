import Foundation
import XCTest

/// `scalefit fit --law multilingual`, `optimal --mix`, `predict --at FAMILY=p` and
/// `check-independence` through the built binary, on the generated Data/multilingual.csv.
final class MultilingualCLITests: XCTestCase {
    private func run(_ args: [String]) throws -> CLITests.Outcome { try CLITests.scalefit(args) }
    private func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    private static let directory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-multilingual-cli-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// The example fitted once (`fit -o … --format json`, law chosen by auto), shared by the
    /// tests that read the fit file.
    nonisolated(unsafe) private static var fit: (file: String, outcome: CLITests.Outcome)?
    private func fitted() throws -> String { try fitOnce().file }
    private func fitOnce() throws -> (file: String, outcome: CLITests.Outcome) {
        if let f = Self.fit { return f }
        let out = Self.directory.appendingPathComponent("multilingual.fit.json").path
        let r = try run(["fit", "Data/multilingual.csv", "-o", out, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        Self.fit = (out, r)
        return (out, r)
    }

    func testFitsTheExampleFamilyByFamilyAndWritesTheFitFile() throws {
        let (out, r) = try fitOnce()
        let saved = try XCTUnwrap(json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self)) as? [String: Any])
        XCTAssertEqual(saved["law"] as? String, "multilingual")
        XCTAssertEqual((saved["parameterNames"] as? [String])?.count, 30)
        XCTAssertEqual((saved["parameterNames"] as? [String])?.last, "hi.gamma")

        XCTAssertTrue(r.stderr.contains("wrote \(out)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("law: multilingual (chosen from the columns"), r.stderr)
        XCTAssertTrue(r.stderr.contains("family=\"family\", ratio=\"ratio\""), r.stderr)
        let report = try XCTUnwrap(json(r.stdout) as? [String: Any])
        let families = try XCTUnwrap(report["families"] as? [[String: Any]])
        XCTAssertEqual(families.compactMap { $0["name"] as? String }, ["en", "zh", "ru", "fr", "hi"])
        // The generator's gammas (Scripts/make-multilingual.swift), recovered within 4 SE.
        for (family, gamma) in zip(families, [0.10, 0.16, 0.12, 0.08, 0.20]) {
            let g = try XCTUnwrap((family["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "gamma" })
            let estimate = try XCTUnwrap(g["estimate"] as? Double), se = try XCTUnwrap(g["standardError"] as? Double)
            XCTAssertLessThan(abs(estimate - gamma), 4 * se, "\(family["name"]!)")
            XCTAssertEqual(family["converged"] as? Bool, true)
            XCTAssertEqual(try XCTUnwrap(family["logResidualRMS"] as? Double), 0.01, accuracy: 0.002)
        }
        XCTAssertEqual((report["rows"] as? [Any])?.count, 990)
    }

    func testOptimalMixPrintsRatiosSummingToOneAndTheCurrentMix() throws {
        let fit = try fitted()
        let r = try run(["optimal", fit, "--mix", "--params", "1.2B", "--tokens", "50B", "--weights", "en=1,zh=2",
                         "--min-ratio", "0.05", "--current", "en=0.5,zh=0.2,ru=0.1,fr=0.1,hi=0.1", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = try XCTUnwrap(json(r.stdout) as? [String: Any])
        let shares = try XCTUnwrap((out["optimal"] as? [String: Any])?["shares"] as? [[String: Any]])
        let ratios = shares.compactMap { $0["ratio"] as? Double }
        XCTAssertEqual(ratios.count, 5)
        XCTAssertEqual(ratios.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertTrue(ratios.allSatisfy { $0 >= 0.05 })
        let optimum = try XCTUnwrap((out["optimal"] as? [String: Any])?["objective"] as? Double)
        let current = try XCTUnwrap((out["current"] as? [String: Any])?["objective"] as? Double)
        XCTAssertLessThan(optimum, current)

        let table = try run(["optimal", fit, "--mix", "--params", "1.2B", "--tokens", "50B", "--normalize"])
        XCTAssertEqual(table.status, 0, table.stderr)
        for needle in ["family", "ratio", "loss", "en", "hi", "objective (sum of w_i * L_i / L_i(N, D, 1))"] {
            XCTAssertTrue(table.stdout.contains(needle), "\(needle) missing from\n\(table.stdout)")
        }
    }

    func testBadWeightsAndMinRatioAreUsageErrors() throws {
        let fit = try fitted()
        let unknown = try run(["optimal", fit, "--mix", "--params", "1B", "--tokens", "20B", "--weights", "en=1,de=2"])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("--weights: expected a family of the fit (en, zh, ru, fr, hi)"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("at 6, found \"de\""), unknown.stderr)
        let infeasible = try run(["optimal", fit, "--mix", "--params", "1B", "--tokens", "20B", "--min-ratio", "0.3"])
        XCTAssertEqual(infeasible.status, 64, infeasible.stderr)
        XCTAssertTrue(infeasible.stderr.contains("--min-ratio"), infeasible.stderr)
        let current = try run(["optimal", fit, "--mix", "--params", "1B", "--tokens", "20B", "--current", "en=0.5,zh=0.4"])
        XCTAssertEqual(current.status, 64, current.stderr)
        XCTAssertTrue(current.stderr.contains("--current: the ratios sum to 0.9"), current.stderr)
    }

    func testPredictPerFamilyAtGivenRatios() throws {
        let fit = try fitted()
        let r = try run(["predict", fit, "--params", "1.2B", "--tokens", "50B", "--at", "en=0.2,0.5", "--at", "hi=0.1", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try XCTUnwrap(json(r.stdout) as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["family"] as? String }, ["en", "en", "hi"])
        let en = rows.prefix(2).compactMap { $0["loss"] as? Double }
        XCTAssertGreaterThan(en[0], en[1], "more English data, lower English loss")
        for row in rows {
            let loss = try XCTUnwrap(row["loss"] as? Double)
            // The prediction interval (with the families' pooled noise) holds the band.
            let lower = try XCTUnwrap(row["lower95"] as? Double), upper = try XCTUnwrap(row["upper95"] as? Double)
            let meanLower = try XCTUnwrap(row["meanLower95"] as? Double), meanUpper = try XCTUnwrap(row["meanUpper95"] as? Double)
            XCTAssertLessThan(lower, meanLower)
            XCTAssertLessThan(meanLower, loss)
            XCTAssertGreaterThan(meanUpper, loss)
            XCTAssertGreaterThan(upper, meanUpper)
        }
        XCTAssertTrue(r.stderr.contains("lower95/upper95: 95% prediction interval for an observed value"), r.stderr)
        XCTAssertTrue(r.stderr.contains("en: 3 of 3 model sizes"), r.stderr)
        let bad = try run(["predict", fit, "--params", "1B", "--tokens", "20B", "--at", "xx=0.5"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
    }

    /// `backtest` on a multilingual table (the law chosen from its columns): every family
    /// fitted on the kept rows, each held-out row with its prediction interval, the coverage
    /// said; holding out a size the families need is bad data naming what is missing.
    func testBacktestHoldsOutRowsAndScoresThem() throws {
        let r = try run(["backtest", "Data/multilingual.csv", "--holdout", "random:0.2", "--seed", "3", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("law: multilingual (chosen from the columns"), r.stderr)
        let object = try XCTUnwrap(json(r.stdout) as? [String: Any])
        XCTAssertEqual(object["law"] as? String, "multilingual")
        let rows = try XCTUnwrap(object["runs"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 990)
        let held = rows.filter { $0["heldOut"] as? Bool == true }
        XCTAssertEqual(held.count, 198)
        XCTAssertTrue((held[0]["run"] as? String)?.contains("/") ?? false, "\(held[0])")
        let coverage = try XCTUnwrap(object["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["points"] as? Int, 198)
        // 1% noise: the held-out rows are predicted to about the noise, most inside the interval.
        let errors = try XCTUnwrap(object["heldOutErrors"] as? [String: Any])
        XCTAssertLessThan(try XCTUnwrap(errors["meanAbsoluteRelativeError"] as? Double), 0.015)
        XCTAssertGreaterThan(try XCTUnwrap(coverage["predictionInterval"] as? Double), 0.85)
        XCTAssertTrue(r.stderr.contains("coverage of the 198 held-out runs"), r.stderr)
        let largest = try run(["backtest", "Data/multilingual.csv", "--holdout", "largest"])
        XCTAssertEqual(largest.status, 65, largest.stderr)
        XCTAssertTrue(largest.stderr.contains("family en: N takes 2 values, alpha cannot be identified"), largest.stderr)
    }

    /// `plot FIT DATA` draws a multilingual fit file as `fit --plot` draws the fit.
    func testPlotOfTheFitFileIsTheFitsFigure() throws {
        let fit = try fitted()
        let fromFile = Self.directory.appendingPathComponent("from-file.svg").path
        let fromFit = Self.directory.appendingPathComponent("from-fit.svg").path
        let p = try run(["plot", fit, "Data/multilingual.csv", "-o", fromFile])
        XCTAssertEqual(p.status, 0, p.stderr)
        let f = try run(["fit", "Data/multilingual.csv", "--plot", fromFit])
        XCTAssertEqual(f.status, 0, f.stderr)
        XCTAssertEqual(try String(contentsOfFile: fromFile, encoding: .utf8), try String(contentsOfFile: fromFit, encoding: .utf8))
        let refused = try run(["plot", fit, "Data/multilingual.csv", "-o", fromFile, "--until", "10"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--until does not apply to the multilingual law"), refused.stderr)
    }

    func testCheckIndependenceReportsEachFamilyAndAVerdict() throws {
        let r = try run(["check-independence", "Data/multilingual.csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for family in ["en", "zh", "ru", "fr", "hi"] { XCTAssertTrue(r.stdout.contains("\n\(family) "), r.stdout) }
        XCTAssertTrue(r.stdout.contains("verdict: consistent with the hypothesis"), r.stdout)
        XCTAssertTrue(r.stdout.contains("replicates"), r.stdout)
    }

    /// `--bootstrap 10 --seed 2` on two families of 27 rows: intervals per FAMILY.NAME in the
    /// JSON report and the fit file (whose draws `predict` accepts), the same bytes for the
    /// same seed (the table's lines are checked in `LawFlagTableTests`).
    func testBootstrapGivesIntervalsPerFamilyDeterministically() throws {
        var text = "run,params,tokens,family,ratio,loss\n"
        var k = 0
        for n in [5e7, 2e8, 8e8] { for d in [1e9, 4e9, 1.6e10] { for p in [0.3, 0.5, 0.7] {
            let base = { (e: Double) in e + 400 * pow(n, -0.33) + 410 * pow(d, -0.28) }
            let wiggle = k % 2 == 0 ? 1.002 : 0.998
            text += "m\(k),\(n),\(d),en,\(p),\(base(1.6) * pow(p, -0.1) * wiggle)\n"
            text += "m\(k),\(n),\(d),zh,\(1 - p),\(base(1.9) * pow(1 - p, -0.15) / wiggle)\n"
            k += 1
        } } }
        let file = Self.directory.appendingPathComponent("two-families.csv"), out = Self.directory.appendingPathComponent("two.fit.json").path
        try text.write(to: file, atomically: true, encoding: .utf8)
        let args = ["fit", file.path, "--bootstrap", "10", "--seed", "2"]
        let r = try run(args + ["--format", "json", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("bootstrap: 10 resamples of the rows within each family, seed 2"), r.stderr)
        XCTAssertEqual(try run(args + ["--format", "json"]).stdout, r.stdout, "same seed, same intervals")
        let names = ["en", "zh"].flatMap { f in ["E", "A", "B", "alpha", "beta", "gamma"].map { "\(f).\($0)" } }
        let bootstrap = try XCTUnwrap((json(r.stdout) as? [String: Any])?["bootstrap"] as? [String: Any])
        XCTAssertEqual(bootstrap["samples"] as? Int, 10)
        XCTAssertEqual(bootstrap["seed"] as? Int, 2)
        let intervals = try XCTUnwrap(bootstrap["intervals"] as? [[String: Any]])
        XCTAssertEqual(intervals.compactMap { $0["name"] as? String }, names)
        for i in intervals {
            let lower = try XCTUnwrap(i["lower"] as? Double), median = try XCTUnwrap(i["median"] as? Double), upper = try XCTUnwrap(i["upper"] as? Double)
            XCTAssertTrue(lower <= median && median <= upper, "\(i)")
        }
        let saved = try XCTUnwrap(json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self)) as? [String: Any])
        let kept = try XCTUnwrap(saved["bootstrap"] as? [String: Any])
        XCTAssertEqual((kept["intervals"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, names)
        let draws = try XCTUnwrap(kept["draws"] as? [[Double]])
        XCTAssertEqual(draws.count, 10 - (kept["failed"] as? Int ?? 0))
        XCTAssertTrue(draws.allSatisfy { $0.count == 12 })
        let predicted = try run(["predict", out, "--params", "1e8", "--tokens", "2e9", "--at", "en=0.5"])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
    }

    func testBadRatiosAndUnderIdentifiedFamiliesNameWhere() throws {
        let dir = Self.directory
        let outside = dir.appendingPathComponent("outside.csv")
        try "run,params,tokens,family,ratio,loss\nr1,1e8,1e9,en,0.5,3\nr1,1e8,1e9,zh,1.5,3.2\n".write(to: outside, atomically: true, encoding: .utf8)
        let r = try run(["fit", outside.path, "--law", "multilingual"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("line 3 (family zh): the sampling ratio must lie in (0, 1], found 1.5"), r.stderr)

        // zh always at 0.2: its gamma is not identified; --share gamma makes it so.
        var text = "run,params,tokens,family,ratio,loss\n"
        for (k, n) in [5e7, 2e8, 8e8].enumerated() { for (j, d) in [1e9, 4e9, 1.6e10].enumerated() {
            for (m, pen) in [0.3, 0.5, 0.7].enumerated() {
                let base = { (e: Double) in e + 400 * pow(n, -0.33) + 410 * pow(d, -0.28) }
                text += "r\(k)\(j)\(m),\(n),\(d),en,\(pen),\(base(1.6) * pow(pen, -0.15))\n"
                text += "r\(k)\(j)\(m),\(n),\(d),zh,0.2,\(base(1.9) * pow(0.2, -0.15))\n"
                text += "r\(k)\(j)\(m),\(n),\(d),hi,\(1 - pen - 0.2),\(base(2.0) * pow(1 - pen - 0.2, -0.15))\n"
            }
        } }
        let single = dir.appendingPathComponent("single.csv")
        try text.write(to: single, atomically: true, encoding: .utf8)
        let under = try run(["fit", single.path, "--law", "multilingual"])
        XCTAssertEqual(under.status, 65, under.stderr)
        XCTAssertTrue(under.stderr.contains("family zh: p takes one value (0.2), gamma cannot be identified"), under.stderr)
        XCTAssertTrue(under.stderr.contains("--share NAME"), under.stderr)
        let shared = try run(["fit", single.path, "--law", "multilingual", "--share", "gamma", "--format", "json"])
        XCTAssertEqual(shared.status, 0, shared.stderr)
        let families = try XCTUnwrap((json(shared.stdout) as? [String: Any])?["families"] as? [[String: Any]])
        for f in families {
            let g = try XCTUnwrap((f["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "gamma" })
            XCTAssertEqual(try XCTUnwrap(g["estimate"] as? Double), 0.15, accuracy: 1e-6)
        }
        let typo = try run(["fit", single.path, "--law", "multilingual", "--share", "gama"])
        XCTAssertEqual(typo.status, 64, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("did you mean 'gamma'"), typo.stderr)
    }
}
