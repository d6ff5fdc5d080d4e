import Foundation
import XCTest
import ScaleFit

/// Loss curves end to end through the binary: fit, save, predict, backtest, and the errors.
final class CurveCLITests: XCTestCase {
    let specs = [
        "constant": "constant:peak=3e-4,warmup=100,total=1500",
        "cosine": "cosine:peak=3e-4,warmup=100,total=1500,final=0.1",
        "wsd": "wsd:peak=3e-4,warmup=100,stable=1000,decay=400,shape=linear,final=0.1",
    ]

    func temporary(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-curve-cli-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// Curves from the annealing law with known parameters and 0.1% seeded noise, logged
    /// every 25 steps (loss and lr), written as run,step,lr,loss.
    func writeCurves(law: AnnealingLaw = AnnealingLaw(), parameters: [Double] = [2.8, 0.9, 0.45, 3.0]) throws -> String {
        var rng = SeededGenerator(seed: 11)
        var text = "run,step,lr,loss\n"
        for name in ["constant", "cosine", "wsd"] {
            let schedule = try LRSchedule(spec: specs[name]!)
            let steps = Array(stride(from: 100, to: 1500, by: 25))
            let clean = law.predict(schedule: schedule, steps: steps, parameters: parameters)
            for (s, l) in zip(steps, clean) {
                text += "\(name),\(s),\(schedule.rate(at: s)),\(l * (1 + 1e-3 * (rng.nextUnit() - 0.5)))\n"
            }
        }
        let path = temporary("curves.csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A long schedule logged sparsely (a cosine of 30,100 steps, a loss every 100) is fitted
    /// staged, and the report says so: the polished runs ran on a reduced problem, the best
    /// refined on every point and change of the schedule.
    func testStagedFitSaysItWasRefinedOnTheFullProblem() throws {
        let spec = "cosine:peak=3e-4,warmup=100,total=30100,final=0.1"
        let schedule = try LRSchedule(spec: spec)
        let steps = Array(stride(from: 100, to: 30100, by: 100))
        let clean = AnnealingLaw().predict(schedule: schedule, steps: steps, parameters: [2.8, 0.9, 0.45, 3.0])
        var rng = SeededGenerator(seed: 5)
        var text = "step,loss\n"
        for (s, l) in zip(steps, clean) { text += "\(s),\(l * (1 + 3e-3 * (rng.nextUnit() - 0.5)))\n" }
        let path = temporary("long.csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let fit = try CLITests.scalefit(["fit", path, "--law", "annealing", "--schedule", spec])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stdout.contains("distinct polished runs converged on a reduced problem; the best "), fit.stdout)
        XCTAssertTrue(fit.stdout.contains("run on to convergence on every point and change of the schedule"), fit.stdout)
        // Short schedules are polished on themselves, and the line says nothing of a refinement.
        let sparse = try CLITests.scalefit(["fit", try writeCurves(), "--law", "annealing"] + scheduleFlags())
        XCTAssertEqual(sparse.status, 0, sparse.stderr)
        XCTAssertTrue(sparse.stdout.contains("distinct polished runs converged)"), sparse.stdout)
        XCTAssertFalse(sparse.stdout.contains("reduced problem"), sparse.stdout)
    }

    func scheduleFlags() -> [String] {
        specs.keys.sorted().flatMap { ["--schedule", "\($0)=\(specs[$0]!)"] }
    }

    func testFitRecoversTheAnnealingLawAndPredictReproducesTheFittedCurve() throws {
        let data = try writeCurves()
        let fitPath = temporary("annealing.fit.json")
        let fit = try CLITests.scalefit(["fit", data, "--law", "annealing", "--format", "json", "-o", fitPath] + scheduleFlags())
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stderr.contains("columns: step=\"step\", loss=\"loss\", run=\"run\""), fit.stderr)
        XCTAssertTrue(fit.stderr.contains("curve cosine: 56 losses, steps 100–1475; lr given: cosine:peak=0.0003"), fit.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
        let params = (report["parameters"] as! [[String: Any]]).map { $0["estimate"] as! Double }
        let errors = (report["parameters"] as! [[String: Any]]).map { $0["standardError"] as! Double }
        for (i, truth) in [2.8, 0.9, 0.45, 3.0].enumerated() {
            XCTAssertEqual(params[i], truth, accuracy: max(4 * errors[i], 1e-9), "parameter \(i)")
        }
        // predict at the logged steps of each fitted run reproduces the fitted values.
        let curves = report["curves"] as! [[String: Any]]
        XCTAssertEqual(curves.count, 3)
        for curve in curves {
            let name = curve["name"] as! String
            let points = curve["points"] as! [[String: Any]]
            let steps = points.map { "\($0["step"] as! Int)" }.joined(separator: ",")
            let out = try CLITests.scalefit(["predict", fitPath, "--run", name, "--steps", steps, "--format", "csv"])
            XCTAssertEqual(out.status, 0, out.stderr)
            let rows = out.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
            XCTAssertEqual(rows.count, points.count)
            for (row, point) in zip(rows, points) {
                let predicted = Double(row[1])!, fitted = point["predicted"] as! Double
                XCTAssertEqual(predicted, fitted, accuracy: 1e-12 * fitted, "\(name) step \(row[0])")
                XCTAssertLessThan(Double(row[2])!, predicted)
                XCTAssertGreaterThan(Double(row[3])!, predicted)
            }
        }
    }

    /// `--fix`, `--bounds`, `--starts` and `--max-evaluations` steer a curve fit (and a
    /// curve backtest); a name the law does not have is refused (64) with the law's names.
    func testCurveSearchFlags() throws {
        let data = try writeCurves()
        let fit = try CLITests.scalefit(["fit", data, "--law", "annealing", "--format", "json", "--fix", "alpha=0.45",
                                         "--bounds", "C=0:10", "--starts", "5", "--max-evaluations", "300"] + scheduleFlags())
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stderr.contains("fitting annealing to 3 curves from 5 starts…"), fit.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
        let estimates = Dictionary(uniqueKeysWithValues: (report["parameters"] as! [[String: Any]]).map {
            ($0["name"] as! String, $0["estimate"] as! Double) })
        XCTAssertEqual(estimates["alpha"], 0.45)
        XCTAssertEqual(estimates["C"]!, 3.0, accuracy: 0.1)
        // The fit file's leave-one-curve-out refits hold the fixed parameter too (they are
        // the fit with one curve left out, not a fit with alpha set free).
        let saved = NSTemporaryDirectory() + "fixed-\(UUID().uuidString).fit.json"
        defer { try? FileManager.default.removeItem(atPath: saved) }
        let written = try CLITests.scalefit(["fit", data, "--law", "annealing", "--fix", "alpha=0.45", "-o", saved] + scheduleFlags())
        XCTAssertEqual(written.status, 0, written.stderr)
        let folds = try XCTUnwrap(try FitFile.read(path: saved).noise?.foldParameters)
        XCTAssertEqual(folds.count, 3)
        for theta in folds { XCTAssertEqual(theta[2], 0.45, "alpha moved in a fold: \(theta)") }
        // A bound that excludes the truth holds the fit at it.
        let bounded = try CLITests.scalefit(["fit", data, "--law", "annealing", "--format", "json", "--bounds", "C=0:2"] + scheduleFlags())
        let b = try JSONSerialization.jsonObject(with: Data(bounded.stdout.utf8)) as! [String: Any]
        let c = (b["parameters"] as! [[String: Any]]).first { $0["name"] as! String == "C" }!["estimate"] as! Double
        XCTAssertEqual(c, 2, accuracy: 1e-12, bounded.stderr)
        // A budget too small to converge: exit 1, said so.
        let starved = try CLITests.scalefit(["fit", data, "--law", "annealing", "--max-evaluations", "2"] + scheduleFlags())
        XCTAssertEqual(starved.status, 1, starved.stderr)
        XCTAssertTrue(starved.stderr.contains("evaluation budget"), starved.stderr)
        for (flag, value) in [("--fix", "B=3"), ("--bounds", "B=0:3")] {
            let r = try CLITests.scalefit(["fit", data, "--law", "annealing", flag, value] + scheduleFlags())
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains("\nscalefit: \(flag): the annealing law has no parameter \"B\" (its parameters: L0, A, alpha, C)"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        let typo = try CLITests.scalefit(["fit", data, "--law", "multipower", "--fix", "gama=0.6"] + scheduleFlags())
        XCTAssertEqual(typo.status, 64, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("(its parameters: L0, A, alpha, B, C, beta, gamma); did you mean 'gamma'?"), typo.stderr)
        for bad in ["--starts 0", "--max-evaluations x", "--fix alpha"] {
            let parts = bad.split(separator: " ").map(String.init)
            let r = try CLITests.scalefit(["fit", data, "--law", "annealing"] + parts + scheduleFlags())
            XCTAssertEqual(r.status, 64, "\(bad): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(parts[0]), r.stderr)
        }
        let backtest = try CLITests.scalefit(["backtest", data, "--law", "annealing", "--fit-runs", "constant,cosine",
                                              "--fix", "alpha=0.45", "--starts", "3", "--format", "json"] + scheduleFlags())
        XCTAssertEqual(backtest.status, 0, backtest.stderr)
        XCTAssertTrue(backtest.stderr.contains("from 3 starts"), backtest.stderr)
        let bt = try JSONSerialization.jsonObject(with: Data(backtest.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((bt["parameters"] as! [[String: Any]]).first { $0["name"] as! String == "alpha" }!["estimate"] as? Double, 0.45)
    }

    /// A curve fit is a `Fit<L>`: its file reads back as the fit of its law (with the solver's
    /// summary), the report's numbers are the fit's, and a `--bounds` the fit ends on is
    /// flagged like any bound.
    func testCurveFitsAreFitsOfTheirLaw() throws {
        let data = try writeCurves()
        let fitPath = temporary("protocol.fit.json")
        let fit = try CLITests.scalefit(["fit", data, "--law", "annealing", "--format", "json", "-o", fitPath] + scheduleFlags())
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
        let loaded = try Fit<AnnealingLaw>.load(path: fitPath)
        // (JSONSerialization may read the last digit differently.)
        for (printed, saved) in zip((report["parameters"] as! [[String: Any]]).map { $0["estimate"] as! Double }, loaded.parameters) {
            XCTAssertEqual(printed, saved, accuracy: 1e-15 * abs(saved))
        }
        XCTAssertEqual(report["objectiveValue"] as! Double, loaded.objective, accuracy: 1e-15 * loaded.objective)
        XCTAssertEqual(loaded.summary?.converged, true)
        XCTAssertEqual(loaded.search.startsTried, 54)
        XCTAssertEqual(Set(loaded.settings.keys), ["momentum", "warmup", "schedule:constant", "schedule:cosine", "schedule:wsd"])
        let bounded = try CLITests.scalefit(["fit", data, "--law", "annealing", "--bounds", "C=0:2"] + scheduleFlags())
        XCTAssertEqual(bounded.status, 0, bounded.stderr)
        XCTAssertTrue(bounded.stdout.contains("NOT SOUND: C is at its bound 2.0: the optimum may lie beyond it"), bounded.stdout)
    }

    /// `--bootstrap` is refused for the curve laws before any work, naming the flag and the
    /// law; its help says why (too few curves to resample, serially correlated points).
    func testBootstrapIsRefusedForTheCurveLawsAndItsHelpSaysWhy() throws {
        let data = try writeCurves()
        for law in ["annealing", "multipower"] {
            let r = try CLITests.scalefit(["fit", data, "--law", law, "--bootstrap", "100"] + scheduleFlags())
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains("scalefit: --bootstrap does not apply to the \(law) law (it applies to: "), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        let help = try CLITests.scalefit(["fit", "--help"])
        let words = help.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        XCTAssertTrue(words.contains("refused for the loss-curve laws (annealing, multipower): one to three curves are too few to resample whole"), help.stdout)
    }

    func testPredictUnderASpecEqualsPredictUnderTheSameScheduleAsAFile() throws {
        let data = try writeCurves()
        let fitPath = temporary("spec-vs-file.fit.json")
        let fit = try CLITests.scalefit(["fit", data, "--law", "annealing", "-o", fitPath] + scheduleFlags())
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let spec = "wsd:peak=3e-4,warmup=200,stable=2000,decay=800,shape=cosine,final=0.05"
        let schedule = try LRSchedule(spec: spec)
        let file = temporary("schedule.csv")
        try ("step,lr\n" + (0..<schedule.totalSteps).map { "\($0),\(schedule.rate(at: $0))" }.joined(separator: "\n") + "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let a = try CLITests.scalefit(["predict", fitPath, "--steps", "0:3000:250", "--schedule", spec, "--format", "csv"])
        let b = try CLITests.scalefit(["predict", fitPath, "--steps", "0:3000:250", "--schedule-file", file, "--format", "csv"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertTrue(a.stdout.hasPrefix("step,loss,lower95,upper95,mean_lower95,mean_upper95\n"), a.stdout)
        XCTAssertEqual(a.stdout.split(separator: "\n").count, 1 + 13)
        // Several fitted runs and no schedule: the user must say which.
        let none = try CLITests.scalefit(["predict", fitPath, "--steps", "100"])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("--run NAME (one of constant, cosine, wsd)"), none.stderr)
    }

    func testMultiPowerFitFromTheLoggedLearningRateAndBacktest() throws {
        // Multi-power law curves, η from the logged lr column (no --schedule).
        let law = MultiPowerLaw(), truth = [3.0, 0.5, 0.5, 400, 2, 0.6, 0.6]
        var text = "run,step,lr,loss\n"
        for name in ["constant", "wsd", "cosine"] {
            let schedule = try LRSchedule(spec: specs[name]!)
            let steps = Array(stride(from: 100, to: 1500, by: 25))
            for (s, l) in zip(steps, law.predict(schedule: schedule, steps: steps, parameters: truth)) {
                text += "\(name),\(s),\(schedule.rate(at: s)),\(l)\n"
            }
        }
        let data = temporary("mpl.csv")
        try text.write(toFile: data, atomically: true, encoding: .utf8)
        let saved = temporary("mpl.fit.json")
        let fit = try CLITests.scalefit(["fit", data, "--warmup", "linear", "-o", saved])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        // Step 0 of a warmup from 0 has no learning-rate area (S1 = 0): skipped, and said so.
        let early = try CLITests.scalefit(["predict", saved, "--run", "constant", "--steps", "0,500", "--format", "csv"])
        XCTAssertEqual(early.status, 0, early.stderr)
        XCTAssertEqual(early.stdout.split(separator: "\n").map { $0.split(separator: ",")[0] }, ["step", "500"])
        XCTAssertTrue(early.stderr.contains("skipped 1 step where the law is undefined (no learning-rate area yet, S1 = 0): 0"), early.stderr)
        XCTAssertTrue(fit.stderr.contains("law: multipower (chosen from the columns"), fit.stderr)
        XCTAssertTrue(fit.stderr.contains("lr as logged: 56 points at steps 100–1475, piecewise linear between them; linear warmup from 0 before step 100"), fit.stderr)
        XCTAssertTrue(fit.stdout.contains("mean      fitted"), fit.stdout)

        let back = try CLITests.scalefit(["backtest", data, "--law", "multipower", "--warmup", "linear",
                                          "--fit-runs", "constant,wsd", "--format", "json"])
        XCTAssertEqual(back.status, 0, back.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as! [String: Any]
        let curves = report["curves"] as! [[String: Any]]
        XCTAssertEqual(curves.map { $0["role"] as! String }, ["fitted", "fitted", "scored"])
        XCTAssertEqual(curves[2]["name"] as? String, "cosine")
        // Noise-free curves; the warmup rebuilt from the log (0 at step 0 to the peak at step
        // 100) differs slightly from the generating one (the peak at step 99), so the
        // held-out cosine run is predicted to 0.5%, not to rounding.
        XCTAssertLessThan(((curves[2]["metrics"] as! [String: Any])["worstRelativeError"] as! Double), 5e-3)
        XCTAssertNotNil((report["scoredMean"] as? [String: Any])?["mae"])

        let unknown = try CLITests.scalefit(["backtest", data, "--law", "multipower", "--fit-runs", "constnt"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'constant'?"), unknown.stderr)
    }

    func testBadCurvesAndSchedulesNameWhere() throws {
        let bad = temporary("bad.csv")
        try "run,step,lr,loss\na,10,1e-3,3.0\na,20,1e-3,2.9\na,15,1e-3,2.8\n".write(toFile: bad, atomically: true, encoding: .utf8)
        // A step that goes back is a restart: the later segment supersedes the earlier from
        // its restart step, and the report says which rows (issue 13).
        let order = try CLITests.scalefit(["fit", bad, "--law", "annealing"])
        XCTAssertTrue(order.stderr.contains("1 row superseded by restarts (1 row superseded at step 15 in run \"a\" (line 4))"), order.stderr)
        XCTAssertTrue(order.stderr.contains("curve a: 2 losses, steps 10–15"), order.stderr)

        try "run,step,lr,loss\na,10,1e-3,3.0\na,20,-1e-3,2.9\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let negative = try CLITests.scalefit(["fit", bad, "--law", "annealing"])
        XCTAssertEqual(negative.status, 65)
        XCTAssertTrue(negative.stderr.contains("bad.csv:3:3: expected a non-negative learning rate, found \"-0.001\""), negative.stderr)

        try "run,step,loss\na,10,3.0\na,20,2.9\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let noRate = try CLITests.scalefit(["fit", bad, "--law", "annealing"])
        XCTAssertEqual(noRate.status, 65)
        XCTAssertTrue(noRate.stderr.contains("give --schedule"), noRate.stderr)

        let key = try CLITests.scalefit(["fit", bad, "--law", "annealing", "--schedule", "cosine:peak=3e-4,warmpu=10,total=100"])
        XCTAssertEqual(key.status, 64)
        XCTAssertTrue(key.stderr.contains("--schedule") && key.stderr.contains("warmpu"), key.stderr)

        let steps = try CLITests.scalefit(["predict", "nothing.json", "--steps", "0:100:-5"])
        XCTAssertEqual(steps.status, 64)
        XCTAssertTrue(steps.stderr.contains("--steps"), steps.stderr)

        let momentum = try CLITests.scalefit(["fit", bad, "--law", "multipower", "--momentum", "0.9"])
        XCTAssertEqual(momentum.status, 64)
    }
}
