import Foundation
import XCTest

/// `scalefit fit --formula` and `scalefit predict --at` through the built binary.
final class FormulaCLITests: XCTestCase {
    private static let truth = ["E": 1.69, "A": 406.4, "alpha": 0.34, "B": 410.7, "beta": 0.28]
    private static let formula = "E + A*N^-alpha + B*D^-beta"

    private func run(_ args: [String]) throws -> CLITests.Outcome { try CLITests.scalefit(args) }

    private lazy var directory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-formula-cli-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// 30 runs on the Chinchilla law's losses, times 1 ± `noise` alternately, with one row
    /// missing its D.
    private func runsCSV(noise: Double = 0) throws -> String {
        var text = "run,N,D,loss\n"
        var k = 0
        for n in [1e7, 3e7, 1e8, 3e8, 1e9, 3e9] {
            for d in [1e9, 3e9, 1e10, 3e10, 1e11] {
                let t = Self.truth
                let loss = t["E"]! + t["A"]! * pow(n, -t["alpha"]!) + t["B"]! * pow(d, -t["beta"]!)
                text += "r\(k),\(n),\(d),\(loss * (k % 2 == 0 ? 1 + noise : 1 - noise))\n"
                k += 1
            }
        }
        text += "broken,1e9,,3.0\n"
        let url = directory.appendingPathComponent("runs-\(noise).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func testFitRecoversTheLawFromAStartGridAndReportsTheDroppedRow() throws {
        let csv = try runsCSV()
        let r = try run(["fit", csv, "--formula", Self.formula, "--start", "E=2,A=400,B=400,alpha=0.1:0.5:0.2,beta=0.3",
                         "--bounds", "alpha=0:2,beta=0:2", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("dropped 1 row: line 32 D=\"\""), r.stderr)
        XCTAssertTrue(r.stderr.contains("from 3 starts on 30 rows"), r.stderr)
        let report = try XCTUnwrap(json(r.stdout) as? [String: Any])
        XCTAssertEqual(report["formula"] as? String, "E + A * N^-alpha + B * D^-beta")
        XCTAssertEqual(report["variables"] as? [String], ["N", "D"])
        XCTAssertEqual(report["observations"] as? Int, 30)
        XCTAssertEqual(report["starts"] as? Int, 3)
        let parameters = try XCTUnwrap(report["parameters"] as? [[String: Any]])
        XCTAssertEqual(parameters.compactMap { $0["name"] as? String }, ["E", "A", "alpha", "B", "beta"])
        for p in parameters {
            let name = try XCTUnwrap(p["name"] as? String), estimate = try XCTUnwrap(p["estimate"] as? Double)
            XCTAssertEqual(estimate, Self.truth[name]!, accuracy: 1e-6 * Self.truth[name]!, name)
        }
        XCTAssertEqual((report["rows"] as? [Any])?.count, 30)

        let table = try run(["fit", csv, "--formula", Self.formula, "--start", "E=2,A=400,B=400,alpha=0.3,beta=0.3"])
        XCTAssertEqual(table.status, 0, table.stderr)
        for needle in ["formula: loss ~ E + A * N^-alpha + B * D^-beta", "std_error", "r_squared", "rmse",
                       "mean_abs_rel_error", "rel_residual", "iterations"] {
            XCTAssertTrue(table.stdout.contains(needle), "\(needle) missing from\n\(table.stdout)")
        }
    }

    func testSavedFitPredictsTheFittedValuesAtTheDataPoints() throws {
        let csv = try runsCSV(noise: 0.005)
        let out = directory.appendingPathComponent("formula.fit.json").path
        let fit = try run(["fit", csv, "--formula", Self.formula, "--x", "N,D", "--y", "loss",
                           "--start", "E=2,A=400,B=400,alpha=0.3,beta=0.3", "-o", out, "--format", "json"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let saved = try XCTUnwrap(json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self)) as? [String: Any])
        XCTAssertEqual(saved["law"] as? String, "formula")
        XCTAssertEqual(saved["formatVersion"] as? Int, 2)
        XCTAssertEqual(saved["variables"] as? [String], ["N", "D"])

        let rows = try XCTUnwrap((json(fit.stdout) as? [String: Any])?["rows"] as? [[String: Any]])
        let points = rows.prefix(5).map { ($0["inputs"] as! [Double], $0["fitted"] as! Double) }
        let n = points.map { "\($0.0[0])" }.joined(separator: ","), d = points.map { "\($0.0[1])" }.joined(separator: ",")
        let predict = try run(["predict", out, "--at", "N=\(n)", "--at", "D=\(d)", "--format", "json"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let predicted = try XCTUnwrap(json(predict.stdout) as? [[String: Any]])
        XCTAssertEqual(predicted.count, 5)
        for (p, (x, fitted)) in zip(predicted, points) {
            XCTAssertEqual(p["inputs"] as? [String: Double], ["N": x[0], "D": x[1]])
            let value = try XCTUnwrap(p["predicted"] as? Double)
            XCTAssertEqual(value, fitted, accuracy: 1e-10 * abs(fitted))
            let lower = try XCTUnwrap(p["lower95"] as? Double), upper = try XCTUnwrap(p["upper95"] as? Double)
            XCTAssertTrue(lower <= value && value <= upper && lower < upper, "\(p)")
        }
        // One value broadcasts against a list.
        let broadcast = try run(["predict", out, "--at", "N=7e10,1e11", "--at", "D=1.4e12"])
        XCTAssertEqual(broadcast.status, 0, broadcast.stderr)
        XCTAssertTrue(broadcast.stdout.hasPrefix("          N            D  predicted  std_error    lower95    upper95  mean_lower95  mean_upper95\n"), broadcast.stdout)
        XCTAssertEqual(broadcast.stdout.split(separator: "\n").count, 4, broadcast.stdout)
    }

    func testBadFormulaNamesThePosition() throws {
        let csv = try runsCSV()
        let stray = try run(["fit", csv, "--bounds", "alpha=0:2"])
        XCTAssertEqual(stray.status, 64)
        XCTAssertTrue(stray.stderr.hasSuffix("law: chinchilla (chosen from the columns; --law to choose)\nscalefit: --bounds does not apply to the chinchilla law (it applies to: annealing, multipower, formula)\n"), stray.stderr)
        let r = try run(["fit", csv, "--formula", "E + A*N^-alpha)", "--start", "E=1,A=1,alpha=1"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.hasSuffix("scalefit: --formula: expected an operator or the end of the formula at 15, found \")\"\n"), r.stderr)
        let unknown = try run(["fit", csv, "--formula", "E + foo(N)", "--start", "E=1"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("--formula: expected a function (exp expm1 log log1p"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains(" at 5, found \"foo\""), unknown.stderr)
    }

    func testAParameterWithoutAStartIsAUsageErrorNamingIt() throws {
        let csv = try runsCSV()
        let r = try run(["fit", csv, "--formula", Self.formula, "--start", "E=2,A=400,alpha=0.3"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.hasSuffix("scalefit: --start: no starting value for the parameters B, beta of the formula (give --start B=…,beta=…)\n"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        let none = try run(["fit", csv, "--formula", "E + A*n^-alpha", "--start", "E=2,A=400,alpha=0.3"])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("parameter n of the formula (give --start n=…); n is not a column (did you mean \"N\"?"), none.stderr)
    }

    func testPredictNamesAnUnknownOrMissingVariable() throws {
        let csv = try runsCSV()
        let out = directory.appendingPathComponent("errors.fit.json").path
        let fit = try run(["fit", csv, "--formula", Self.formula, "--start", "E=2,A=400,B=400,alpha=0.3,beta=0.3", "-o", out])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let unknown = try run(["predict", out, "--at", "N=1e9", "--at", "T=1e10"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.hasSuffix("scalefit: --at: unknown variable \"T\"; the formula's variables are N, D\n"), unknown.stderr)
        let missing = try run(["predict", out, "--at", "N=1e9"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("--at: no values for the variable D"), missing.stderr)
        let chinchillaFlags = try run(["predict", out, "--params", "1e9", "--tokens", "1e10"])
        XCTAssertEqual(chinchillaFlags.status, 64)
        XCTAssertTrue(chinchillaFlags.stderr.hasSuffix("scalefit: --params does not apply to the formula law (it applies to: chinchilla, kaplan, multilingual)\n"), chinchillaFlags.stderr)
    }
}
