import Foundation
import XCTest
import ScaleFit

/// `fit --law isoflop|envelope`, `optimal --compute` on their fit files and
/// `compare-approaches`: output, deterministic bytes, refusals before the work (64), bad data (65).
final class IsoFLOPCLITests: XCTestCase {
    typealias T = LawFlagTableTests

    func testIsoFLOPFitRecoversTheExponentAndIsDeterministic() throws {
        let out = T.path("iso-cli.fit.json")
        let args = ["fit", T.isoflopRuns, "--law", "isoflop", "--bootstrap", "50", "-o", out, "--format", "csv"]
        let r = try CLITests.scalefit(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "parameter,estimate,std_error,lower95,upper95")
        let a = Double(lines[1].split(separator: ",")[1])!
        XCTAssertEqual(a, 0.28 / 0.62, accuracy: 0.01, r.stdout)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        let again = try CLITests.scalefit(args)
        XCTAssertEqual(again.stdout, r.stdout)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), bytes)
        // optimal --compute reads it: N*, D*, D/N and their intervals.
        let o = try CLITests.scalefit(["optimal", out, "--compute", "5.76e23", "--format", "csv"])
        XCTAssertEqual(o.status, 0, o.stderr)
        XCTAssertTrue(o.stdout.hasPrefix("compute,params,tokens,tokens_per_param,params_95,tokens_95,tokens_per_param_95\n5.760e+23,"), o.stdout)
        let p = try CLITests.scalefit(["predict", out, "--format", "csv"])
        XCTAssertEqual(p.status, 65)
        XCTAssertTrue(p.stderr.contains("use 'scalefit optimal \(out) --compute C'"), p.stderr)
    }

    func testTheTableShowsEveryBudgetAndFlagsTheEdgeOne() throws {
        // A fourth budget swept only above its optimum: flagged, counted, left out.
        var text = try String(contentsOfFile: T.isoflopRuns, encoding: .utf8)
        for (k, n) in [3e9, 6e9, 1.2e10].enumerated() { text += "e\(k),\(n),1e21,\(2.3 + 0.05 * Double(k))\n" }
        let path = T.write("isoflop-edge.csv", text)
        let r = try CLITests.scalefit(["fit", path, "--law", "isoflop", "--bootstrap", "20"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("budgets: 4, 3 used, 1 flagged (1 with the minimum at an edge of its N range flagged)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("flagged: minimum at an edge of its N range"), r.stdout)
    }

    func testTooFewUsableBudgetsIsExit65WithTheReason() throws {
        let path = T.write("isoflop-one.csv", "params,compute,loss\n1e8,1e19,2.9\n2e8,1e19,2.8\n4e8,1e19,2.85\n1e8,1e20,2.7\n")
        let r = try CLITests.scalefit(["fit", path, "--law", "isoflop"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.hasSuffix("scalefit: \(path): IsoFLOP profiles: 1 of 2 compute budgets usable (1 with fewer than 3 distinct model sizes flagged); the exponents need at least 2 budgets with an interior minimum (binning: runs sorted by compute; a new budget starts where log10 C rises more than 0.03 decades above the previous run's; each budget is its runs' geometric-mean C)\n"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testBadArgumentsAreRefusedBeforeTheWork() throws {
        let cases: [([String], String)] = [
            (["fit", T.isoflopRuns, "--law", "isoflop", "--compute-tolerance", "-1"], "scalefit: --compute-tolerance: expected decades in [0, 1], found -1\n"),
            (["fit", T.isoflopRuns, "--law", "isoflop", "--compute-tolerance", "x"], "scalefit: option '--compute-tolerance' expects a number, found \"x\"\n"),
            (["fit", T.runs, "--law", "chinchilla", "--compute-tolerance", "0.1"], "scalefit: --compute-tolerance does not apply to the chinchilla law (it applies to: isoflop)\n"),
            (["fit", T.isoflopRuns, "--law", "isoflop", "--resample", "cases"], "scalefit: --resample: expected residuals or runs, found \"cases\"\n"),
            (["fit", T.envelopeCurves, "--law", "envelope", "--tokens-per-step", "2048", "--resample", "runs"], "scalefit: --resample does not apply to the envelope law (it applies to: isoflop)\n"),
            (["fit", T.isoflopRuns, "--law", "isoflop", "--bin-width", "0.1"], "scalefit: --bin-width does not apply to the isoflop law (it applies to: envelope)\n"),
            (["fit", T.isoflopRuns, "--law", "isoflop", "--loss", "l2"], "scalefit: --loss does not apply to the isoflop law (it applies to: chinchilla, power, kaplan, annealing, multipower, multilingual, formula, nist)\n"),
            (["fit", T.envelopeCurves, "--law", "envelope", "--tokens-per-step", "0"], "scalefit: --tokens-per-step: expected a positive number of tokens, found 0\n"),
            (["compare-approaches", T.isoflopRuns, "--compute", "-5"], "scalefit: --compute: expected a positive number of FLOPs, found -5\n"),
            (["compare-approaches", T.isoflopRuns, "--bootstrap", "5"], "scalefit: --bootstrap: expected at least 10 resamples, found 5\n"),
            (["compare-approaches"], ""),
        ]
        for (args, message) in cases {
            let r = try CLITests.scalefit(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
            if !message.isEmpty { XCTAssertTrue(r.stderr.hasSuffix(message), "\(args): \(r.stderr)") }
        }
    }

    func testEnvelopeFitOnCurvesOfFiveSizes() throws {
        let r = try CLITests.scalefit(["fit", T.envelopeCurves, "--law", "envelope", "--tokens-per-step", "2048", "--bootstrap", "20", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["approach"] as? Int, 1)
        let a = ((json["exponents"] as! [[String: Any]])[0]["estimate"] as! Double)
        // Five sizes a factor 2.5 apart: the staircase of winners follows N* ∝ C^0.45 loosely.
        XCTAssertEqual(a, 0.28 / 0.62, accuracy: 0.1, r.stdout)
        XCTAssertGreaterThanOrEqual(json["used"] as! Int, 2)
        let missing = try CLITests.scalefit(["fit", T.envelopeCurves, "--law", "envelope"])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.stderr.contains("a tokens column, or a step column with --tokens-per-step K"), missing.stderr)
    }

    func testCompareApproachesSaysWhyApproachOneIsMissingAndGivesTwoAndThree() throws {
        let r = try CLITests.scalefit(["compare-approaches", T.isoflopRuns, "--bootstrap", "20", "--format", "csv", "--compute", "1e22"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 4, r.stdout)
        XCTAssertTrue(rows[0].hasPrefix("approach,method,a,a_95,b,b_95,params"), rows[0])
        XCTAssertTrue(rows[1].hasPrefix("1,envelope,,,,,") && rows[1].contains("not available: the loss envelope needs training curves"), rows[1])
        XCTAssertTrue(rows[2].hasPrefix("2,isoflop,0.45"), rows[2])
        XCTAssertTrue(rows[3].hasPrefix("3,chinchilla,0."), rows[3])
        let again = try CLITests.scalefit(["compare-approaches", T.isoflopRuns, "--bootstrap", "20", "--format", "csv", "--compute", "1e22"])
        XCTAssertEqual(again.stdout, r.stdout)
        let curves = try CLITests.scalefit(["compare-approaches", T.envelopeCurves, "--tokens-per-step", "2048", "--bootstrap", "10", "--format", "csv"])
        XCTAssertEqual(curves.status, 0, curves.stderr)
        XCTAssertTrue(curves.stdout.split(separator: "\n")[1].hasPrefix("1,envelope,0."), curves.stdout)
        XCTAssertTrue(curves.stderr.contains("approaches 2 and 3: the last point of each of the 5 curves"), curves.stderr)
    }

    /// Approach 2 on Epoch AI's digitised Chinchilla points, compute as given.
    func testTheSharedChinchillaPoints() throws {
        let file = CLITests.root.appendingPathComponent("../shared/data/chinchilla/svg_extracted_data.csv").standardized.path
        guard FileManager.default.fileExists(atPath: file) else {
            throw XCTSkip("\(file) is absent (../shared/data is not beside this clone)")
        }
        let r = try CLITests.scalefit(["fit", file, "--law", "isoflop", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "parameter,estimate,std_error,lower95,upper95\na,0.4935,0.0211,0.4701,0.5327\nb,0.5065,0.0211,0.4673,0.5299\n")
        let runs = try CLITests.scalefit(["fit", file, "--law", "isoflop", "--resample", "runs", "--format", "csv"])
        XCTAssertEqual(runs.stdout, "parameter,estimate,std_error,lower95,upper95\na,0.4935,0.0211,0.4771,0.5381\nb,0.5065,0.0211,0.4619,0.5229\n")
        XCTAssertTrue(r.stderr.contains("compute=\"Training FLOP\" (the budgets as given)"), r.stderr)
    }

    /// The IsoFLOP figure of Epoch's points: a parabola per used budget (13), the runs of the
    /// 24 flagged budgets in grey, and the report's residuals.csv saying which runs those are.
    func testTheSharedChinchillaPointsFigure() throws {
        let file = CLITests.root.appendingPathComponent("../shared/data/chinchilla/svg_extracted_data.csv").standardized.path
        guard FileManager.default.fileExists(atPath: file) else {
            throw XCTSkip("\(file) is absent (../shared/data is not beside this clone)")
        }
        let dir = T.path("epoch-isoflop-report")
        let r = try CLITests.scalefit(["fit", file, "--law", "isoflop", "--bootstrap", "50", "--report", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("budgets: 37, 13 used, 24 flagged"), r.stdout)
        let svg = T.file(dir + "/fit.svg")
        // 13 parabolas, the fitted line and N*'s interval.
        XCTAssertEqual(T.count("<polyline", in: svg), 13 + 2)
        let grey = svg.components(separatedBy: "<g fill=\"#666666\"")
        XCTAssertEqual(grey.count, 3, "the grey runs and their legend sample")
        let greyRuns = T.count("<circle", in: grey[1].components(separatedBy: "</g>")[0])
        let rows = T.file(dir + "/residuals.csv").split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 245)
        XCTAssertEqual(greyRuns, rows.filter { $0.contains(",flagged: ") }.count)
        XCTAssertEqual(greyRuns + rows.filter { $0.hasSuffix(",fitted") }.count, 245)
        for c in ["5.5e18", "3e21"] { XCTAssertTrue(svg.contains(">C = \(c)</text>"), c) }
    }
}
