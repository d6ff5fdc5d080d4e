import Foundation
import XCTest

/// The law × flag table of the commands that read a fit file (`predict`, `optimal`, `plot`)
/// and of `backtest`: each option works for the fit's law or is refused with exit 64 naming
/// the option and the law, before anything is computed.
final class FitFileFlagTableTests: XCTestCase {
    typealias T = LawFlagTableTests

    /// One fit file per law, fitted once (the table's small inputs).
    nonisolated(unsafe) static var fitFiles: [String: String] = [:]

    func fitFile(_ law: String) throws -> String {
        if let f = Self.fitFiles[law] { return f }
        let out = T.path("\(law).table.fit.json")
        let base = T.laws.first { $0.name == law }!.args
        let r = try CLITests.scalefit(base + ["-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        Self.fitFiles[law] = out
        return out
    }

    func refused(_ args: [String], flag: String, law: String, appliesTo: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLITests.scalefit(args)
        XCTAssertEqual(r.status, 64, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasSuffix("scalefit: \(flag) does not apply to the \(law) law (it applies to: \(appliesTo))\n"), r.stderr, file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
    }

    func testPredictTakesEachLawsOwnOptionsAndRefusesTheOthers() throws {
        let point = "chinchilla, kaplan, multilingual", at = "power, multilingual, formula", curve = "annealing, multipower"
        // What each law predicts from, and that it works.
        let works: [(law: String, args: [String], header: String)] = [
            ("chinchilla", ["--params", "1e9", "--tokens", "2e10"], "params,tokens,loss,lower95,upper95,mean_lower95,mean_upper95\n"),
            ("kaplan", ["--params", "1e9", "--tokens", "2e10"], "params,tokens,loss,lower95,upper95,mean_lower95,mean_upper95\n"),
            ("power", ["--at", "params=1e9"], "params,loss,lower95,upper95,mean_lower95,mean_upper95\n"),
            ("formula", ["--at", "N=1e9", "--at", "D=2e10"], "N,D,predicted,std_error,lower95,upper95,mean_lower95,mean_upper95\n"),
            ("annealing", ["--steps", "100,200", "--run", "constant"], "step,loss,lower95,upper95,mean_lower95,mean_upper95\n"),
            ("multipower", ["--steps", "100,200", "--schedule", "wsd:peak=3e-4,warmup=20,stable=100,decay=80"], "step,loss,lower95,upper95,mean_lower95,mean_upper95\n"),
            ("multilingual", ["--params", "1e9", "--tokens", "2e10", "--at", "en=0.5"], "family,params,tokens,ratio,loss,lower95,upper95,mean_lower95,mean_upper95\n"),
        ]
        for w in works {
            let fit = try fitFile(w.law)
            let r = try CLITests.scalefit(["predict", fit] + w.args + ["--format", "csv"])
            XCTAssertEqual(r.status, 0, "\(w.law): \(r.stderr)")
            XCTAssertTrue(r.stdout.hasPrefix(w.header), "\(w.law): \(r.stdout)")
            XCTAssertEqual(r.stdout.split(separator: "\n").count, w.law == "annealing" || w.law == "multipower" ? 3 : 2, "\(w.law): \(r.stdout)")
            // Every option of another law is refused, naming it and this law.
            let options: [(flag: String, args: [String], laws: String)] = [
                ("--params", ["--params", "1e9", "--tokens", "2e10"], point), ("--at", ["--at", "x=1"], at),
                ("--steps", ["--steps", "100"], curve), ("--schedule", ["--schedule", "constant:peak=1e-3,total=100"], curve),
                ("--schedule-file", ["--schedule-file", "s.csv"], curve), ("--run", ["--run", "a"], curve),
            ]
            for o in options where !o.laws.components(separatedBy: ", ").contains(w.law) {
                try refused(["predict", fit] + o.args, flag: o.flag, law: w.law, appliesTo: o.laws)
            }
        }
    }

    func testOptimalAndPlotRefuseWhatTheFitsLawDoesNotTake() throws {
        try refused(["optimal", try fitFile("power"), "--compute", "1e22"], flag: "--compute", law: "power", appliesTo: "chinchilla, kaplan, isoflop, envelope")
        // Kaplan's law plans by its own closed form.
        let k = try CLITests.scalefit(["optimal", try fitFile("kaplan"), "--compute", "1e22", "--format", "csv"])
        XCTAssertEqual(k.status, 0, k.stderr)
        XCTAssertTrue(k.stdout.hasPrefix("compute,params,tokens,tokens_per_param,loss\n1.000e+22,"), k.stdout)
        XCTAssertTrue(k.stderr.contains("kaplan fit: N* = (a*Nc^a*C/(6*Dc))^(1/(a+1))"), k.stderr)
        try refused(["optimal", try fitFile("chinchilla"), "--mix"], flag: "--mix", law: "chinchilla", appliesTo: "multilingual")
        let o = try CLITests.scalefit(["optimal", try fitFile("chinchilla"), "--compute", "1e22", "--format", "csv"])
        XCTAssertEqual(o.status, 0, o.stderr)
        XCTAssertTrue(o.stdout.hasPrefix("compute,params,tokens,tokens_per_param,loss\n1.000e+22,"), o.stdout)
        let svg = T.path("plot-table.svg")
        try refused(["plot", try fitFile("chinchilla"), T.runs, "-o", svg, "--until", "100"], flag: "--until", law: "chinchilla",
                    appliesTo: "annealing, multipower")
        try refused(["plot", try fitFile("annealing"), T.annealingCurves, "-o", svg, "--group-by", "tokens"], flag: "--group-by",
                    law: "annealing", appliesTo: "chinchilla, kaplan")
        let p = try CLITests.scalefit(["plot", try fitFile("annealing"), T.annealingCurves, "-o", svg, "--until", "400"])
        XCTAssertEqual(p.status, 0, p.stderr)
        XCTAssertTrue(p.stderr.hasSuffix("wrote \(svg)\n"), p.stderr)
    }

    func testOptimalScheduleTakesTheCurveLawsAndRefusesTheOthers() throws {
        let curve = "annealing, multipower"
        for law in ["chinchilla", "kaplan", "multilingual"] {
            try refused(["optimal", try fitFile(law), "--schedule", "--steps", "100"], flag: "--schedule", law: law, appliesTo: curve)
        }
        try refused(["optimal", try fitFile("annealing"), "--compute", "1e22"], flag: "--compute", law: "annealing", appliesTo: "chinchilla, kaplan, isoflop, envelope")
        try refused(["optimal", try fitFile("multipower"), "--schedule", "--steps", "300", "--mix"], flag: "--mix", law: "multipower",
                    appliesTo: "multilingual")
        for law in ["annealing", "multipower"] {
            // Peak and η_min from the fitted runs' logged schedules (the lr column); a log records no warmup.
            let r = try CLITests.scalefit(["optimal", try fitFile(law), "--schedule", "--steps", "300", "--warmup", "20", "--format", "csv"])
            XCTAssertEqual(r.status, 0, "\(law): \(r.stderr)")
            XCTAssertTrue(r.stdout.hasPrefix("schedule,final_loss,lower95,upper95,excess_loss,spec\noptimal (free),"), "\(law): \(r.stdout)")
            XCTAssertTrue(r.stdout.contains("cosine:peak=0.0003,warmup=20,total=300,final="), "\(law): \(r.stdout)")
            let bare = try CLITests.scalefit(["optimal", try fitFile(law), "--schedule", "--steps", "300"])
            XCTAssertEqual(bare.status, 64)
            XCTAssertTrue(bare.stderr.hasSuffix("--warmup: the fit file's schedules do not record one warmup; give --warmup\n"), bare.stderr)
        }
    }

    func testBacktestRefusesTheOtherLawsOptions() throws {
        let runs = T.runs, curves = T.annealingCurves
        try refused(["backtest", runs, "--law", "chinchilla", "--holdout", "largest", "--fit-runs", "a"], flag: "--fit-runs", law: "chinchilla",
                    appliesTo: "annealing, multipower")
        try refused(["backtest", curves, "--law", "annealing", "--fit-runs", "constant", "--sweep"], flag: "--sweep", law: "annealing",
                    appliesTo: "chinchilla")
        try refused(["backtest", curves, "--law", "annealing", "--fit-runs", "constant", "--convention", "paper"], flag: "--convention",
                    law: "annealing", appliesTo: "multipower")
        let o = try CLITests.scalefit(["backtest", runs, "--holdout", "largest", "-o", T.path("x.json")])
        XCTAssertEqual(o.status, 64)
        XCTAssertTrue(o.stderr.hasSuffix("law: chinchilla (chosen from the columns; --law to choose)\n"
                       + "scalefit: -o does not apply to the chinchilla law (it applies to: annealing, multipower)\n"), o.stderr)
        let fitted = T.path("backtest.fit.json")
        let c = try CLITests.scalefit(["backtest", curves, "--law", "annealing", "--fit-runs", "constant", "-o", fitted, "--format", "csv"])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stderr.contains("wrote \(fitted)"), c.stderr)
        XCTAssertTrue(c.stdout.hasPrefix("parameter,estimate,std_error\n"), c.stdout)
    }
}
