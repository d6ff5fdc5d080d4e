import Foundation
import XCTest
import ScaleFit
import ScaleFitCLI

/// The log-reading flags end to end: a real resumed run's JSONL, several files in one fit,
/// `--lr`, `--runs`, `--min-step`, `--input-format`, and their refusals.
final class LogInputCLITests: XCTestCase {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// A loss curve from the annealing law under `schedule`, as CSV rows `step,lrColumn,loss`.
    func curveCSV(_ schedule: LRSchedule, lrColumn: String = "lr", run: String? = nil) -> String {
        let steps = Array(stride(from: 20, to: schedule.totalSteps, by: 20))
        let loss = AnnealingLaw().predict(schedule: schedule, steps: steps, parameters: [3.0, 0.5, 0.5, 0.3])
        let rates = schedule.rates()
        let header = (run == nil ? "" : "run,") + "step,\(lrColumn),loss\n"
        return header + zip(steps, loss).map { s, l in (run.map { "\($0)," } ?? "") + "\(s),\(rates[s]),\(l)" }.joined(separator: "\n") + "\n"
    }

    func testTheResumedRunsJSONLIsFittedWithItsRestartsAndSelectionReported() throws {
        let path = CLITests.root.appendingPathComponent("../shared/data/logs/slm-training.metrics.jsonl").standardized.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is absent (../shared/data is not beside this clone)")
        }
        let r = try CLITests.scalefit(["fit", path, "--law", "annealing", "--min-step", "100"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("jsonl, 1 run; step=\"step\", loss=\"loss\", lr=\"lr\"; 384 of 398 rows used; 10 rows superseded by restarts"), r.stderr)
        XCTAssertTrue(r.stderr.contains("4 rows dropped: step below --min-step 100"), r.stderr)
        XCTAssertTrue(r.stderr.contains("384 losses, steps 100–7760"), r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("annealing: "), r.stdout)
    }

    func testSeveralFilesAreOneFitWithARunPerFile() throws {
        let dir = try temporaryDirectory()
        let a = dir.appendingPathComponent("cosine.csv"), b = dir.appendingPathComponent("wsd.csv")
        try curveCSV(.cosine(peak: 1e-3, warmup: 20, total: 600, final: 0.1)).write(to: a, atomically: true, encoding: .utf8)
        try curveCSV(.wsd(peak: 1e-3, warmup: 20, stable: 380, decay: 200, shape: .linear, final: 0.05), lrColumn: "my_lr")
            .write(to: b, atomically: true, encoding: .utf8)
        // The second file's lr column has a name nobody detects: --lr names it (and the first
        // file's "lr" is then missing: refused with the file named).
        let missing = try CLITests.scalefit(["fit", a.path, b.path, "--law", "annealing", "--lr", "my_lr"])
        XCTAssertEqual(missing.status, 65, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("my_lr"), missing.stderr)
        try curveCSV(.wsd(peak: 1e-3, warmup: 20, stable: 380, decay: 200, shape: .linear, final: 0.05))
            .write(to: b, atomically: true, encoding: .utf8)
        let r = try CLITests.scalefit(["fit", a.path, b.path, "--law", "annealing", "--warmup", "linear"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("curve cosine: 29 losses"), r.stderr)
        XCTAssertTrue(r.stderr.contains("curve wsd: 29 losses"), r.stderr)
        XCTAssertTrue(r.stdout.contains("L0 "), r.stdout)
    }

    func testRunsSelectionAndTheLrColumnByName() throws {
        let dir = try temporaryDirectory()
        let f = dir.appendingPathComponent("runs.csv")
        let cosine = curveCSV(.cosine(peak: 1e-3, warmup: 20, total: 600, final: 0.1), lrColumn: "lr-AdamW", run: "x")
        let wsd = curveCSV(.wsd(peak: 1e-3, warmup: 20, stable: 380, decay: 200, shape: .linear, final: 0.05), lrColumn: "lr-AdamW", run: "y")
        let constant = curveCSV(.constant(peak: 1e-3, warmup: 20, total: 600), lrColumn: "lr-AdamW", run: "z")
        try (cosine + wsd.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
             + constant.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n").write(to: f, atomically: true, encoding: .utf8)
        let r = try CLITests.scalefit(["fit", f.path, "--law", "annealing", "--runs", "x,z", "--warmup", "linear"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("lr=\"lr-AdamW\""), r.stderr)
        XCTAssertTrue(r.stderr.contains("curve x: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("curve z: "), r.stderr)
        XCTAssertFalse(r.stderr.contains("curve y: "), r.stderr)
    }

    func testReadingFlagsAreRefusedWhereTheyDoNotApply() throws {
        let chinchilla = try CLITests.scalefit(["fit", "Data/runs.csv", "--min-step", "100"])
        XCTAssertEqual(chinchilla.status, 64)
        XCTAssertTrue(chinchilla.stderr.contains("--min-step does not apply to the chinchilla law"), chinchilla.stderr)
        let format = try CLITests.scalefit(["fit", "Data/runs.csv", "--input-format", "parquet"])
        XCTAssertEqual(format.status, 64)
        XCTAssertTrue(format.stderr.contains("--input-format: expected csv, wandb"), format.stderr)
        let order = try CLITests.scalefit(["fit", "Data/curves.csv", "--law", "annealing", "--min-step", "500", "--max-step", "100"])
        XCTAssertEqual(order.status, 64)
        XCTAssertTrue(order.stderr.contains("--min-step 500.0 is above --max-step 100.0"), order.stderr)
        let dat = try CLITests.scalefit(["fit", "Data/example.dat", "Data/runs.csv"])
        XCTAssertEqual(dat.status, 64)
        // A bootstrap size is capped before any work (each resample is a refit).
        let huge = try CLITests.scalefit(["fit", "Data/runs.csv", "--bootstrap", "1000000000"])
        XCTAssertEqual(huge.status, 64)
        XCTAssertEqual(huge.stderr, "scalefit: --bootstrap: expected at most 100000 resamples, found 1000000000\n")
    }
}

/// `optimal --compute` gives the bootstrap's intervals at any budget when the fit file keeps
/// the resamples, and says so when it does not.
final class OptimalIntervalCLITests: XCTestCase {
    func testOptimalShowsTheBootstrapsIntervalsAtEveryBudget() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-optimal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("b.fit.json").path
        let fit = try CLITests.scalefit(["fit", "Data/runs.csv", "--bootstrap", "20", "--seed", "3", "-o", file, "--format", "csv"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let table = try CLITests.scalefit(["optimal", file, "--compute", "1e22,5.76e23", "--format", "csv"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "compute,params,tokens,tokens_per_param,loss,params_95,tokens_95,tokens_per_param_95,loss_95")
        XCTAssertEqual(lines.count, 3)
        let json = try CLITests.scalefit(["optimal", file, "--compute", "5.76e23", "--format", "json"])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let n = try XCTUnwrap(rows[0]["parameters"] as? Double)
        let band = try XCTUnwrap(rows[0]["bootstrap95"] as? [[String: Any]])
        XCTAssertEqual(band.map { $0["name"] as? String }, ["params*", "tokens*", "tokens_per_param*", "loss*"])
        let lower = try XCTUnwrap(band[0]["lower"] as? Double), upper = try XCTUnwrap(band[0]["upper"] as? Double)
        XCTAssertTrue(lower < n && n < upper, "N* = \(n) within its bootstrap interval [\(lower), \(upper)]")
        // Without resamples: no interval, and stderr says why.
        let plain = dir.appendingPathComponent("p.fit.json").path
        XCTAssertEqual(try CLITests.scalefit(["fit", "Data/runs.csv", "-o", plain, "--format", "csv"]).status, 0)
        let none = try CLITests.scalefit(["optimal", plain, "--compute", "1e22", "--format", "csv"])
        XCTAssertTrue(none.stdout.hasPrefix("compute,params,tokens,tokens_per_param,loss\n"), none.stdout)
        XCTAssertTrue(none.stderr.contains("no intervals: the fit file holds no bootstrap resamples"), none.stderr)
    }
}
