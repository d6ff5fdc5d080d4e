import Foundation
import XCTest

/// `scalefit fit` on JSON Lines and trainer_state.json tables, and the power and Kaplan laws
/// end to end (fit, fit file, predict), through the built binary.
final class PowerLawCLITests: XCTestCase {
    typealias Outcome = CLITests.Outcome

    /// Data/runs.csv as (run, params, tokens, loss) rows.
    func exampleRuns() throws -> [(run: String, n: Double, d: Double, loss: Double)] {
        let text = try String(contentsOf: CLITests.root.appendingPathComponent("Data/runs.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            return (f[0], Double(f[1])!, Double(f[2])!, Double(f[3])!)
        }
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func parameters(_ json: String) throws -> [String: Double] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let fit = (object?["fit"] as? [String: Any]) ?? object
        var out: [String: Double] = [:]
        for p in fit?["parameters"] as? [[String: Any]] ?? [] { out[p["name"] as! String] = p["estimate"] as? Double }
        return out
    }

    func testFitReadsJSONLinesWithANestedLossLikeTheCSV() throws {
        let lines = try exampleRuns().map {
            "{\"run\": \"\($0.run)\", \"params\": \($0.n), \"tokens\": \($0.d), \"eval\": {\"loss\": \($0.loss)}}"
        }
        let path = try temporaryFile("runs.jsonl", lines.joined(separator: "\n") + "\n")
        let jsonl = try CLITests.scalefit(["fit", path, "--format", "json"])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        XCTAssertTrue(jsonl.stderr.contains("loss=\"eval.loss\""), jsonl.stderr)
        let csv = try CLITests.scalefit(["fit", "Data/runs.csv", "--format", "json"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let a = try parameters(jsonl.stdout), b = try parameters(csv.stdout)
        XCTAssertEqual(a.count, 5)
        XCTAssertEqual(a, b, "the same runs from JSONL and CSV give the same fit")
    }

    func testFitReadsATrainerStateShapedFileOfRuns() throws {
        let rows = try exampleRuns().map {
            "{\"run\": \"\($0.run)\", \"params\": \($0.n), \"tokens\": \($0.d), \"loss\": \($0.loss)}"
        }
        let text = "{\"best_metric\": null, \"global_step\": 0, \"log_history\": [\n" + rows.joined(separator: ",\n") + "\n], \"max_steps\": 0}\n"
        let path = try temporaryFile("trainer_state.json", text)
        let r = try CLITests.scalefit(["fit", path, "--law", "power", "--x", "tokens"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("power: L(x) = E + A*x^(-alpha), x = tokens"), r.stdout)
        XCTAssertTrue(r.stdout.contains("n50M-r5"), "residual table names the runs")
        let csv = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "power", "--x", "tokens"])
        XCTAssertEqual(r.stdout, csv.stdout, "the same runs from trainer_state.json and CSV give the same report")
    }

    func testPowerLawFitsAndPredictsWithAnInterval() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("power-\(UUID().uuidString).fit.json").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        let fit = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "power", "--format", "json", "-o", out])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let p = try parameters(fit.stdout)
        let object = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
        for key in ["rmse", "meanAbsoluteRelativeError", "rSquared", "rSquaredLog", "runs", "summary"] {
            XCTAssertNotNil(object[key], key)
        }
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        XCTAssertEqual(file["law"] as? String, "power")
        XCTAssertEqual(file["variables"] as? [String], ["params"])
        XCTAssertEqual(file["formatVersion"] as? Int, 2)

        let pred = try CLITests.scalefit(["predict", out, "--at", "params=1e9,7e10", "--format", "json"])
        XCTAssertEqual(pred.status, 0, pred.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(pred.stdout.utf8)) as! [[String: Double]]
        XCTAssertEqual(rows.count, 2)
        for row in rows {
            let expected = p["E"]! + p["A"]! * pow(row["x"]!, -p["alpha"]!)
            XCTAssertEqual(row["loss"]!, expected, accuracy: 1e-4 * expected)
            XCTAssertLessThan(row["lower95"]!, row["loss"]!)
            XCTAssertGreaterThan(row["upper95"]!, row["loss"]!)
        }
        // Farther from the data, wider interval.
        XCTAssertGreaterThan(rows[1]["upper95"]! / rows[1]["lower95"]!, rows[0]["upper95"]! / rows[0]["lower95"]!)

        let wrong = try CLITests.scalefit(["predict", out, "--at", "tokens=1e9"])
        XCTAssertEqual(wrong.status, 64, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("this fit is in column \"params\""), wrong.stderr)
        let chinchillaFlags = try CLITests.scalefit(["predict", out, "--params", "1e9", "--tokens", "1e10"])
        XCTAssertEqual(chinchillaFlags.status, 64, chinchillaFlags.stderr)
    }

    func testKaplanFitsAndPredicts() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("kaplan-\(UUID().uuidString).fit.json").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        let fit = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "kaplan", "--format", "markdown", "-o", out])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stdout.hasPrefix("## kaplan: L(N, D) = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD"), fit.stdout)
        for name in ["| Nc ", "| Dc ", "| alphaN ", "| alphaD ", "r_squared_log"] {
            XCTAssertTrue(fit.stdout.contains(name), name)
        }
        let pred = try CLITests.scalefit(["predict", out, "--params", "7e10", "--tokens", "1.4e12,2.8e12", "--format", "json"])
        XCTAssertEqual(pred.status, 0, pred.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(pred.stdout.utf8)) as! [[String: Double]]
        XCTAssertEqual(rows.count, 2)
        XCTAssertLessThan(rows[1]["loss"]!, rows[0]["loss"]!, "more tokens, lower loss")
        for row in rows { XCTAssertTrue(row["lower95"]! < row["loss"]! && row["loss"]! < row["upper95"]!) }
        let power = try CLITests.scalefit(["predict", out, "--at", "params=1e9"])
        XCTAssertEqual(power.status, 64, power.stderr)
    }

    func testPowerLawTakesOneColumn() throws {
        let r = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "power", "--x", "params,tokens"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--x: expected one column for the power law"), r.stderr)
        let missing = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "power", "--x", "flops"])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.stderr.contains("flops"), missing.stderr)
    }
}
