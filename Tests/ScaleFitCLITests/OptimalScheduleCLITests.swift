import Foundation
import XCTest
import ScaleFit

/// `scalefit optimal CURVES.fit.json --schedule …` in-process: the written schedule read back
/// by `predict --schedule-file` gives the printed final loss, the bytes are deterministic, and
/// bad arguments are refused with exit 64 before any work.
final class OptimalScheduleCLITests: XCTestCase {
    typealias T = LawFlagTableTests

    /// The published 25M multi-power fit (PROVENANCE of ../shared/data/lrcurves) as a fit file,
    /// with its cosine_24000 schedule recorded (or none) and a small diagonal covariance.
    static func fitFile(schedules: Bool = true) throws -> String {
        let theta = [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257]
        var covariance = Matrix(rows: 7, columns: 7)
        for i in 0..<7 { covariance[i, i] = pow(1e-3 * theta[i], 2) }
        var settings = ["convention": "repository"]
        if schedules { settings["schedule:cosine_24000"] = "cosine:peak=0.0003,warmup=2160,total=24000,final=0.1" }
        let file = FitFile(law: "multipower", formula: MultiPowerLaw().formula,
                           parameterNames: MultiPowerLaw().parameterNames, parameters: theta, covariance: covariance,
                           objective: 0, loss: "huber:0.001", starts: 1,
                           data: .init(file: "published", rows: 0, droppedRows: 0), settings: settings)
        let path = T.path(schedules ? "published-25M.fit.json" : "published-25M-bare.fit.json")
        try file.write(to: path)
        return path
    }

    /// The value of `column` in the row named `row` of a CSV table.
    func cell(_ csv: String, row: String, column: String) -> Double? {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let j = header.firstIndex(of: column),
              let line = lines.first(where: { $0.first == row }), j < line.count else { return nil }
        return Double(line[j])
    }

    func testWrittenScheduleGivesBackTheFinalLossThroughPredict() throws {
        let fit = try Self.fitFile()
        let csv = T.path("optimal.csv"), svg = T.path("optimal.svg")
        let r = try CLITests.scalefit(["optimal", fit, "--schedule", "--steps", "3000", "--warmup", "216",
                                       "-o", csv, "--plot", svg, "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("schedule,final_loss,lower95,upper95,excess_loss,spec\noptimal (free),"), r.stdout)
        XCTAssertTrue(r.stderr.contains("wrote \(csv)") && r.stderr.contains("wrote \(svg)"), r.stderr)
        let loss = try XCTUnwrap(cell(r.stdout, row: "optimal (free)", column: "final_loss"))
        let cosine = try XCTUnwrap(cell(r.stdout, row: "cosine", column: "final_loss"))
        let wsd = try XCTUnwrap(cell(r.stdout, row: "best wsd", column: "final_loss"))
        XCTAssertLessThan(loss, wsd)
        XCTAssertLessThan(wsd, cosine)
        let written = try String(contentsOfFile: csv, encoding: .utf8)
        XCTAssertTrue(written.hasPrefix("step,lr\n0,0.0\n1,"), String(written.prefix(40)))
        XCTAssertEqual(written.split(separator: "\n").count, 3001)
        let p = try CLITests.scalefit(["predict", fit, "--schedule-file", csv, "--steps", "2999", "--format", "csv"])
        XCTAssertEqual(p.status, 0, p.stderr)
        XCTAssertEqual(try XCTUnwrap(cell(p.stdout, row: "2999", column: "loss")), loss, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(cell(p.stdout, row: "2999", column: "lower95")),
                       try XCTUnwrap(cell(r.stdout, row: "optimal (free)", column: "lower95")), accuracy: 1e-12)
        let figure = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(figure.hasPrefix("<svg") || figure.hasPrefix("<?xml"), String(figure.prefix(60)))
        XCTAssertTrue(figure.contains("learning rate") && figure.contains("predicted loss"))
    }

    func testFamiliesAndFormatsAreDeterministic() throws {
        let fit = try Self.fitFile()
        for family in ["free", "wsd", "cosine"] {
            let args = ["optimal", fit, "--schedule", "--steps", "1500", "--warmup", "100", "--peak", "3e-4", "--min-lr", "1e-5",
                        "--family", family, "--format", "json"]
            let a = try CLITests.scalefit(args), b = try CLITests.scalefit(args)
            XCTAssertEqual(a.status, 0, a.stderr)
            XCTAssertEqual(a.stdout, b.stdout, family)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(json["family"] as? String, family)
            XCTAssertEqual(json["finalStep"] as? Int, 1499)
            XCTAssertEqual(json["search"] == nil, family != "free", family)
        }
        let table = try CLITests.scalefit(["optimal", fit, "--schedule", "--steps", "1500", "--warmup", "100", "--family", "wsd"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("final loss = the law at step 1499"), table.stdout)
        XCTAssertTrue(table.stdout.contains("gain over the cosine to 3.0e-05") || table.stdout.contains("gain over the cosine to 3e-05"), table.stdout)
        let markdown = try CLITests.scalefit(["optimal", fit, "--schedule", "--steps", "1500", "--warmup", "100", "--family", "cosine", "--format", "markdown"])
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        XCTAssertTrue(markdown.stdout.hasPrefix("## Optimal learning-rate schedule\n"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("| schedule | final_loss |"), markdown.stdout)
    }

    func testBadArgumentsAreRefusedBeforeTheWork() throws {
        let fit = try Self.fitFile()
        let cases: [([String], String)] = [
            (["--schedule"], "scalefit: optimal --schedule needs --steps T\n"),
            (["--schedule", "--steps", "10000001"], "scalefit: --steps: expected an integer from 2 to 10000000, found 10000001\n"),
            (["--schedule", "--steps", "x"], "scalefit: option '--steps' expects an integer, found \"x\"\n"),
            (["--schedule", "--steps", "100", "--family", "step"], "scalefit: --family: expected free, wsd or cosine, found \"step\"\n"),
            (["--schedule", "--steps", "100", "--warmup", "100"], "scalefit: --warmup: expected fewer than --steps 100 steps, found 100\n"),
            (["--schedule", "--steps", "100", "--peak", "-1"], "scalefit: --peak: expected a positive learning rate, found -1\n"),
            (["--schedule", "--steps", "100", "--warmup", "10", "--min-lr", "4e-4"], "scalefit: --min-lr: expected a rate below the peak 0.0003, found 0.0004\n"),
            (["--steps", "100"], "scalefit: --steps goes with --schedule\n"),
            (["--schedule", "--steps", "100", "--warmup", "10", "-o", "/nonexistent/dir/s.csv"], "no such directory"),
        ]
        for (args, message) in cases {
            let r = try CLITests.scalefit(["optimal", fit] + args)
            XCTAssertEqual(r.status, args.contains("-o") ? 74 : 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasSuffix(message) || (message == "no such directory" && r.stderr.contains(message)), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
        let bare = try Self.fitFile(schedules: false)
        let r = try CLITests.scalefit(["optimal", bare, "--schedule", "--steps", "100"])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("scalefit: --peak: the fit file records no schedule to take the peak from; give --peak\n"), r.stderr)
        let w = try CLITests.scalefit(["optimal", bare, "--schedule", "--steps", "100", "--peak", "3e-4"])
        XCTAssertTrue(w.stderr.hasSuffix("scalefit: --warmup: the fit file's schedules do not record one warmup; give --warmup\n"), w.stderr)
        let m = try CLITests.scalefit(["optimal", bare, "--schedule", "--steps", "100", "--peak", "3e-4", "--warmup", "10"])
        XCTAssertTrue(m.stderr.hasSuffix("scalefit: --min-lr: the fit file's schedules do not decay below the peak; give --min-lr\n"), m.stderr)
    }
}
