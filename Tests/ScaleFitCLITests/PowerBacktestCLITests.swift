import Foundation
import XCTest

/// `scalefit backtest` on a table of runs (Chinchilla's law) through the binary.
final class PowerBacktestCLITests: XCTestCase {
    func testHoldoutLargestPrintsTheHeldOutRunsAndTotals() throws {
        let r = try CLITests.scalefit(["backtest", "Data/runs.csv", "--holdout", "largest"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("law: chinchilla (chosen from the columns"), r.stderr)
        XCTAssertTrue(r.stdout.contains("fitted on 25 runs, holding out 5: the runs of the largest model size"), r.stdout)
        for run in ["n1600M-r5", "n1600M-r10", "n1600M-r20", "n1600M-r40", "n1600M-r80"] {
            XCTAssertTrue(r.stdout.contains(run), "\(run) missing:\n\(r.stdout)")
        }
        XCTAssertFalse(r.stdout.contains("n800M-r5"), "a fitted run is listed without --residuals")
        let held = r.stdout.split(separator: "\n").first { $0.hasPrefix("held_out ") }
        let fields = held?.split(separator: " ").map(String.init) ?? []
        XCTAssertEqual(fields.count, 7, r.stdout)
        XCTAssertEqual(fields[1], "5")
        // mean abs rel error of the 1.6B runs, predicted from the sizes up to 800M: under 2%.
        XCTAssertLessThan(Double(fields[4]) ?? 1, 0.02, r.stdout)

        let json = try CLITests.scalefit(["backtest", "Data/runs.csv", "--law", "chinchilla", "--holdout", "largest", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let runs = object?["runs"] as? [[String: Any]] ?? []
        XCTAssertEqual(runs.filter { $0["heldOut"] as? Bool == true }.count, 5)
        let errors = object?["heldOutErrors"] as? [String: Any]
        XCTAssertEqual(errors?["runs"] as? Int, 5)
    }

    func testNothingHeldOutIsADataErrorAndBadSpecsAreUsageErrors() throws {
        let none = try CLITests.scalefit(["backtest", "Data/runs.csv", "--holdout", "compute>1e30"])
        XCTAssertEqual(none.status, 65)
        XCTAssertTrue(none.stderr.contains("Data/runs.csv"), none.stderr)
        XCTAssertTrue(none.stderr.contains("holds out no run"), none.stderr)
        let bad = try CLITests.scalefit(["backtest", "Data/runs.csv", "--holdout", "random:2"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--holdout"), bad.stderr)
        let neither = try CLITests.scalefit(["backtest", "Data/runs.csv", "--law", "chinchilla"])
        XCTAssertEqual(neither.status, 64)
        XCTAssertTrue(neither.stderr.contains("--sweep"), neither.stderr)
    }

    func testSweepPrintsOneRowPerFit() throws {
        let r = try CLITests.scalefit(["backtest", "Data/runs.csv", "--sweep", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(lines.first?.prefix(3), ["sizes", "runs", "largest_N"])
        XCTAssertTrue(lines.first?.contains("pred_n1600M-r80") ?? false, r.stdout)
        // 6 sizes of 5 runs: the first fit with 6 runs uses 2 sizes; the last uses all 6.
        XCTAssertEqual(lines.dropFirst().map { $0[0] }, ["2", "3", "4", "5", "6"])
        XCTAssertEqual(lines.dropFirst().map { $0[1] }, ["10", "15", "20", "25", "30"])
        XCTAssertEqual(lines.last?.last, "yes")
        // The prediction improves as sizes are added: the 5-size error is below the 2-size one.
        let rel = lines.dropFirst().map { Double($0[$0.count - 3]) ?? .nan }
        XCTAssertLessThan(rel[3], rel[0], r.stdout)
        // For a terminal: two tables, every line within 100 columns.
        let text = try CLITests.scalefit(["backtest", "Data/runs.csv", "--sweep"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("predicted loss of the largest size's runs:"), text.stdout)
        for line in text.stdout.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 100, String(line)) }
    }

    /// The README's number: Epoch's Chinchilla extraction (all 245 rows; the CLI has no option
    /// to drop the five highest-loss ones), holding out the largest budget (C > 2e21 FLOPs).
    func testSharedChinchillaDataHoldingOutTheLargestBudget() throws {
        let file = "../shared/data/chinchilla/svg_extracted_data.csv"
        guard FileManager.default.fileExists(atPath: CLITests.root.appendingPathComponent(file).path) else {
            throw XCTSkip("\(file) not found next to the repository")
        }
        let r = try CLITests.scalefit(["backtest", file, "--holdout", "compute>2e21", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("compute=\"Training FLOP\""), r.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let errors = object?["heldOutErrors"] as? [String: Any]
        XCTAssertEqual(errors?["runs"] as? Int, 14)
        XCTAssertEqual(errors?["meanAbsoluteRelativeError"] as? Double ?? 0, 0.0149, accuracy: 5e-4)
    }

    /// `--law kaplan` and `--law power`: the one generic backtest, every held-out run with its
    /// 95% prediction interval, the coverage said, and the figure and report folder written.
    func testKaplanAndPowerBacktestsPrintIntervalsAndCoverage() throws {
        let k = try CLITests.scalefit(["backtest", "Data/runs.csv", "--law", "kaplan", "--holdout", "largest"])
        XCTAssertEqual(k.status, 0, k.stderr)
        XCTAssertTrue(k.stdout.hasPrefix("kaplan backtest: L(N, D) = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD\nfitted on 25 runs, holding out 5: the runs of the largest model size\n"), k.stdout)
        XCTAssertTrue(k.stdout.contains("run         line     params     tokens  observed  predicted    error  rel_error  lower95  upper95  mean_lower95  mean_upper95  role"), k.stdout)
        XCTAssertTrue(k.stdout.contains("coverage of the 5 held-out runs: 95% prediction interval "), k.stdout)
        XCTAssertTrue(k.stderr.contains("prediction noise: σ = "), k.stderr)
        let dir = NSTemporaryDirectory() + "power-backtest-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try CLITests.scalefit(["backtest", "Data/runs.csv", "--law", "power", "--x", "params", "--holdout", "largest:2",
                                       "--format", "json", "--residuals", "--plot", dir + ".svg", "--report", dir])
        defer { try? FileManager.default.removeItem(atPath: dir + ".svg") }
        XCTAssertEqual(p.status, 0, p.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["law"] as? String, "power")
        XCTAssertEqual(object["holdout"] as? String, "the runs at the 2 largest values of params")
        let runs = object["runs"] as! [[String: Any]]
        XCTAssertEqual(runs.count, 30)
        XCTAssertEqual(runs.filter { $0["heldOut"] as? Bool == true }.count, 10)
        XCTAssertEqual((object["coverage"] as? [String: Any])?["points"] as? Int, 10)
        for file in ["fit.json", "fit.svg", "report.md", "residuals.csv", "index.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + file), file)
        }
        XCTAssertTrue(try String(contentsOfFile: dir + ".svg", encoding: .utf8).contains("held out"))
        // compute> needs N and D; the power law has one variable.
        let c = try CLITests.scalefit(["backtest", "Data/runs.csv", "--law", "power", "--holdout", "compute>1e19"])
        XCTAssertEqual(c.status, 64, c.stderr)
        XCTAssertTrue(c.stderr.contains("--holdout compute>X needs params and tokens"), c.stderr)
        // The laws backtest does not take are refused with the reason.
        let m = try CLITests.scalefit(["backtest", "Data/runs.csv", "--law", "formula", "--holdout", "largest"])
        XCTAssertEqual(m.status, 64, m.stderr)
        XCTAssertTrue(m.stderr.contains("backtest does not apply to the formula law"), m.stderr)
        let sweep = try CLITests.scalefit(["backtest", "Data/runs.csv", "--law", "kaplan", "--sweep"])
        XCTAssertEqual(sweep.status, 64, sweep.stderr)
        XCTAssertTrue(sweep.stderr.contains("--sweep does not apply to the kaplan law (it applies to: chinchilla)"), sweep.stderr)
    }
}
