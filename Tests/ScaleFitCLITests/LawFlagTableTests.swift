import Foundation
import XCTest
import ScaleFit

/// The law × flag table of `scalefit fit`: for every law the command line fits and every
/// output and law-specific flag, the flag works (exit 0 and its effect is there) or is
/// refused before any work (exit 64, the message naming the flag and the law). Small
/// generated inputs keep it to seconds.
final class LawFlagTableTests: XCTestCase {
    /// What a flag does for a law.
    enum Expect {
        /// Exit 0, and each check holds on the outcome (stdout, stderr, the files written).
        case works((CLITests.Outcome) throws -> Void)
        /// Exit 64 with "--flag does not apply to the LAW law (it applies to: …)".
        case refused(appliesTo: String)
        /// Another exit status, and each check holds (`--strict` on a fit that is not sound: 1).
        case exits(Int32, (CLITests.Outcome) throws -> Void)
    }

    static let directory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-law-flags-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// 9 runs of Chinchilla's law (3 sizes × 3 token counts), ±0.2% alternately.
    static let runs: String = {
        var text = "run,params,tokens,loss\n"
        var k = 0
        for n in [2e7, 6e7, 2e8] { for d in [4e8, 1.6e9, 6.4e9] {
            let loss = 1.69 + 406.4 * pow(n, -0.34) + 410.7 * pow(d, -0.28)
            text += "r\(k),\(n),\(d),\(loss * (k % 2 == 0 ? 1.002 : 0.998))\n"
            k += 1
        } }
        return write("runs.csv", text)
    }()

    /// Two loss curves (constant and cosine, 300 steps) of a law, logged every `every` steps
    /// from step 20 to `last`.
    static func curves(_ name: String, every: Int = 10, last: Int = 290, _ predict: (LRSchedule, [Int]) -> [Double]) -> String {
        var text = "run,step,lr,loss\n"
        for spec in ["constant:peak=3e-4,warmup=20,total=300", "cosine:peak=3e-4,warmup=20,total=300,final=0.1"] {
            let schedule = try! LRSchedule(spec: spec)
            let steps = Array(stride(from: 20, through: last, by: every))
            for (s, l) in zip(steps, predict(schedule, steps)) {
                text += "\(spec.prefix { $0 != ":" }),\(s),\(schedule.rate(at: s)),\(l)\n"
            }
        }
        return write(name, text)
    }

    static let annealingCurves = curves("annealing.csv") { AnnealingLaw().predict(schedule: $0, steps: $1, parameters: [2.8, 0.9, 0.45, 3.0]) }
    // Every 20 steps to 200: the multi-power fit costs ~15× less than every 10 to 290.
    static let multipowerCurves = curves("multipower.csv", every: 20, last: 200) { MultiPowerLaw().predict(schedule: $0, steps: $1, parameters: [3.0, 0.5, 0.5, 400, 2, 0.6, 0.6]) }

    /// Two language families, 3 sizes × 3 token counts × 3 mixes.
    static let multilingual: String = {
        var text = "run,params,tokens,family,ratio,loss\n"
        var k = 0
        for n in [5e7, 2e8, 8e8] { for d in [1e9, 4e9, 1.6e10] { for p in [0.3, 0.5, 0.7] {
            let base = { (e: Double) in e + 400 * pow(n, -0.33) + 410 * pow(d, -0.28) }
            let wiggle = k % 2 == 0 ? 1.001 : 0.999
            text += "m\(k),\(n),\(d),en,\(p),\(base(1.6) * pow(p, -0.1) * wiggle)\n"
            text += "m\(k),\(n),\(d),zh,\(1 - p),\(base(1.9) * pow(1 - p, -0.15) / wiggle)\n"
            k += 1
        } } }
        return write("multilingual.csv", text)
    }()

    /// An IsoFLOP sweep: 3 budgets × 5 sizes around Chinchilla's optimum, ±0.1% alternately.
    static let isoflopRuns: String = {
        let law = ChinchillaLaw.Parameters(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)
        var text = "run,params,compute,loss\n"
        var k = 0
        for c in [1e18, 1e19, 1e20] {
            let star = ComputeOptimalAllocation(law: law, compute: c).parameters
            for v in [-0.6, -0.3, 0, 0.3, 0.6] {
                let n = star * pow(10, v)
                text += "i\(k),\(n),\(c),\(law.loss(parameters: n, tokens: c / (6 * n)) * (k % 2 == 0 ? 1.001 : 0.999))\n"
                k += 1
            }
        }
        return write("isoflop.csv", text)
    }()

    /// Loss curves of 5 sizes (30 log-spaced steps each, 2048 tokens a step), no tokens column.
    static let envelopeCurves: String = {
        let law = ChinchillaLaw.Parameters(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)
        var text = "run,params,step,loss\n"
        for (k, n) in [2e7, 5e7, 1.2e8, 3e8, 7.5e8].enumerated() {
            for j in 0..<30 {
                let step = (10 * pow(2, Double(j) * 0.6)).rounded()
                text += "m\(k),\(n),\(Int(step)),\(law.loss(parameters: n, tokens: step * 2048))\n"
            }
        }
        return write("envelope.csv", text)
    }()

    static func write(_ name: String, _ text: String) -> String {
        let p = path(name)
        try! text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// Each law: its name in messages and the command line that fits it.
    static var laws: [(name: String, args: [String])] {
        [("chinchilla", ["fit", runs, "--law", "chinchilla"]),
         ("power", ["fit", "Data/runs.csv", "--law", "power"]),
         ("kaplan", ["fit", "Data/runs.csv", "--law", "kaplan"]),
         ("annealing", ["fit", annealingCurves, "--law", "annealing"]),
         ("multipower", ["fit", multipowerCurves, "--law", "multipower"]),
         ("multilingual", ["fit", multilingual, "--law", "multilingual"]),
         ("isoflop", ["fit", isoflopRuns, "--law", "isoflop", "--bootstrap", "20"]),
         ("envelope", ["fit", envelopeCurves, "--law", "envelope", "--tokens-per-step", "2048", "--bootstrap", "20"]),
         ("formula", ["fit", runs, "--formula", "E + A*N^-alpha + B*D^-beta", "--start", "E=2,A=400,B=400,alpha=0.3,beta=0.3"]),
         ("nist", ["fit", "Data/example.dat"])]
    }

    static let tableLaws = "chinchilla, power, kaplan, annealing, multipower, multilingual, isoflop, envelope, formula"
    /// The laws fitted by a solver, whose reports carry AIC, BIC and the correlation matrix
    /// (the allocation fits isoflop and envelope are least-squares lines of their own).
    static let fittedLaws = "chinchilla, power, kaplan, annealing, multipower, multilingual, formula, nist"
    /// The table laws fitted from columns chosen by `--x` (not the two allocation fits).
    static let xLaws = "chinchilla, power, kaplan, annealing, multipower, multilingual, formula"

    static func file(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    static func stdoutHas(_ needles: String...) -> Expect {
        .works { r in for n in needles { XCTAssertTrue(r.stdout.contains(n), "\(n) missing from\n\(r.stdout)") } }
    }
    static func stderrHas(_ needle: String) -> Expect {
        .works { r in XCTAssertTrue(r.stderr.contains(needle), "\(needle) missing from\n\(r.stderr)") }
    }

    /// One row per flag: the arguments that add it for a law, and what it does there.
    static func row(_ flag: String, law: String) -> (args: [String], expect: Expect)? {
        let all = Set(["chinchilla", "power", "kaplan", "annealing", "multipower", "multilingual", "isoflop", "envelope", "formula", "nist"])
        func only(_ laws: String, _ args: [String], _ works: Expect) -> (args: [String], expect: Expect) {
            let set = Set(laws.components(separatedBy: ", "))
            precondition(set.isSubset(of: all))
            return (args, set.contains(law) ? works : .refused(appliesTo: laws))
        }
        let curves = "annealing, multipower"
        switch flag {
        case "--format table":
            return (["--format", "table"], .works { r in
                XCTAssertTrue(r.stdout.contains("estimate"), r.stdout); XCTAssertFalse(r.stdout.hasPrefix("## "), r.stdout) })
        case "--format json":
            return (["--format", "json"], .works { r in
                let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
                XCTAssertNotNil(json, r.stdout)
                // AIC, BIC, reduced chi-square and the correlation matrix, always (the Chinchilla
                // report nests its fit under "fit").
                let statistics = (json?["statistics"] ?? (json?["fit"] as? [String: Any])?["statistics"]) as? [String: Any]
                guard law != "isoflop" && law != "envelope" else { return }
                XCTAssertNotNil(statistics?["correlation"] as? [[Any]], "\(law): no statistics.correlation in\n\(r.stdout)")
                XCTAssertNotNil(statistics?["reducedChiSquare"], "\(law): no statistics.reducedChiSquare") })
        case "--format csv":
            return (["--format", "csv"], .works { r in
                let header = law == "multilingual" ? "family,parameter,estimate,std_error,note\n" : "parameter,estimate,std_error"
                XCTAssertTrue(r.stdout.hasPrefix(header), r.stdout) })
        case "--format markdown":
            return (["--format", "markdown"], .works { r in XCTAssertTrue(r.stdout.hasPrefix("## "), r.stdout) })
        case "--loss":
            return only("chinchilla, power, kaplan, annealing, multipower, multilingual, formula, nist", ["--loss", "huber:1e-3"],
                        law == "formula" || law == "power" || law == "kaplan" ? stdoutHas("huber") : .works { r in XCTAssertEqual(r.status, 0) })
        case "-o":
            let out = path("\(law).fit.json")
            return only(tableLaws, ["-o", out], .works { r in
                XCTAssertTrue(r.stderr.contains("wrote \(out)"), r.stderr)
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
                XCTAssertEqual(json?["law"] as? String, law)
                if law != "isoflop" && law != "envelope" {
                    XCTAssertNotNil((json?["statistics"] as? [String: Any])?["correlation"], "\(law): the fit file has no correlation")
                } })
        case "--plot":
            let svg = path("\(law).svg")
            return only("chinchilla, power, kaplan, annealing, multipower, multilingual, formula, nist, isoflop, envelope", ["--plot", svg], .works { r in
                XCTAssertTrue(file(svg).contains("<svg"), svg)
                // The formula of N and D: observed against fitted with y = x; NIST: y against x, the fitted
                // model and the certified one. Every point in both panels, one legend marker.
                let figures: [String: (points: Int, lines: Int, label: String)] = ["formula": (9, 1, "y = x"), "nist": (14, 2, "certified values")]
                if let f = figures[law] {
                    XCTAssertEqual(file(svg).components(separatedBy: "<circle").count - 1, 2 * f.points + 1, svg)
                    XCTAssertEqual(file(svg).components(separatedBy: "<polyline").count - 1, f.lines, svg)
                    XCTAssertTrue(file(svg).contains(">\(f.label)<"), svg)
                }
                checkAllocationFigure(file(svg), law: law, stdout: r.stdout) })
        case "--report":
            let dir = path("\(law)-report")
            return only("chinchilla, power, kaplan, annealing, multipower, multilingual, formula, nist, isoflop, envelope", ["--report", dir], .works { r in
                XCTAssertTrue(file(dir + "/index.html").contains("<img src=\"fit.svg\""), dir)
                if law == "formula" || law == "nist" {
                    // The folder every law writes; a .dat fit has no fit file.
                    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(),
                                   (law == "nist" ? [] : ["fit.json"]) + ["fit.svg", "index.html", "parameters.csv", "report.md", "residuals.csv"])
                }
                checkAllocationReport(dir, law: law, stdout: r.stdout) })
        case "--bootstrap":
            guard law == "multilingual" else {
                return only("chinchilla, power, kaplan, multilingual, isoflop, envelope, formula", ["--bootstrap", "10"],
                            stdoutHas(law == "isoflop" ? "bootstrap of the runs' residuals within each used budget: 10 resamples"
                                      : law == "envelope" ? "bootstrap over curves: 10 resamples" : "bootstrap over runs: 10 resamples"))
            }
            // Intervals per FAMILY.NAME, printed and in the fit file (-o runs in the same fit).
            return (["--bootstrap", "10"], .works { r in
                XCTAssertTrue(r.stdout.contains("bootstrap over rows within each family: 10 resamples"), r.stdout)
                XCTAssertTrue(r.stdout.contains("\nzh.gamma "), r.stdout)
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("multilingual.fit.json")))) as? [String: Any]
                let names = ((json?["bootstrap"] as? [String: Any])?["intervals"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                XCTAssertEqual(names, ["en", "zh"].flatMap { f in ["E", "A", "B", "alpha", "beta", "gamma"].map { "\(f).\($0)" } }) })
        case "--seed":
            return only("chinchilla, power, kaplan, multilingual, isoflop, envelope, formula", ["--seed", "4", "--bootstrap", "10"], stdoutHas("seed 4"))
        case "--correlation":
            return only(fittedLaws, ["--correlation"], stdoutHas("correlation of the parameters:", "reduced_chi_square"))
        case "--format csv --correlation":
            return only(fittedLaws, ["--format", "csv", "--correlation"], .works { r in
                XCTAssertTrue(r.stdout.split(separator: "\n")[0].contains(",corr_"), r.stdout) })
        case "--residuals":
            return only("annealing, multipower, multilingual", ["--residuals"], stdoutHas("rel_residual"))
        case "--compute-budget":
            return only("chinchilla, isoflop, envelope", ["--compute-budget", "1e22"], stdoutHas("compute-optimal allocation", formatSignificant(1e22, digits: 3) + " "))
        case "--compute-tolerance":
            return only("isoflop", ["--compute-tolerance", "0.05"], stdoutHas("more than 0.05 decades"))
        case "--bin-width":
            return only("envelope", ["--bin-width", "0.1"], stdoutHas("C = 10^(k*0.1)"))
        case "--resample":
            return only("isoflop", ["--resample", "runs"], stdoutHas("bootstrap over runs within each used budget"))
        case "--tokens-per-step":
            return only("envelope", ["--tokens-per-step", "2048"], stderrHas("tokens = step × 2048"))
        case "--x":
            let x = ["power": "params", "annealing": "step", "multipower": "step", "formula": "N,D"][law] ?? "params,tokens"
            return only(xLaws, ["--x", x], .works { r in XCTAssertEqual(r.status, 0) })
        case "--y":
            return only(tableLaws, ["--y", "loss"], stderrHas("loss"))
        case "--strict":
            // Two fits here are not sound (the power law on Data/runs.csv, where D varies; the
            // multi-power law on two short curves, at its bounds): --strict makes them exit 1.
            return only(tableLaws, ["--strict"], law == "power" || law == "multipower"
                        ? .exits(1) { r in XCTAssertTrue(r.stderr.contains("--strict makes that a failure"), r.stderr) }
                        : .works { r in XCTAssertEqual(r.status, 0) })
        case "--group":
            return only("annealing, multipower, multilingual, envelope", ["--group", "run"], stderrHas("run=\"run\""))
        case "--schedule":
            return only(curves, ["--schedule", "constant=constant:peak=3e-4,warmup=20,total=300"], stderrHas("lr given: constant:peak=0.0003"))
        case "--warmup":
            return only(curves, ["--warmup", "linear"], stderrHas("linear warmup from 0"))
        case "--momentum":
            return only("annealing", ["--momentum", "0.99"], stdoutHas("annealing"))
        case "--convention":
            return only("multipower", ["--convention", "paper"], stdoutHas("multipower"))
        case "--share":
            return only("multilingual", ["--share", "gamma"], stdoutHas("shared"))
        case "--fix":
            let fix = ["multilingual": "zh.gamma=0.15", "annealing": "alpha=0.45", "multipower": "gamma=0.6"][law] ?? "alpha=0.45"
            return only("annealing, multipower, multilingual", ["--fix", fix], law == "multilingual" ? stdoutHas("fixed")
                        : stdoutHas(law == "annealing" ? "0.45000000" : "0.60000000"))
        case "--starts":
            return only(curves, ["--starts", "4"], stderrHas("from 4 starts"))
        case "--max-evaluations":
            return only(curves, ["--max-evaluations", "500"], .works { r in XCTAssertEqual(r.status, 0) })
        case "--family":
            return only("multilingual", ["--family", "family"], stderrHas("family=\"family\""))
        case "--ratio":
            return only("multilingual", ["--ratio", "ratio"], stderrHas("ratio=\"ratio\""))
        case "--start":
            let start = law == "formula" ? "E=2,A=400,B=400,alpha=0.2:0.4:0.2,beta=0.3" : "1"
            return only("formula, nist", ["--start", start], law == "nist" ? stdoutHas("fitted from start 1") : stderrHas("from 2 starts"))
        case "--bounds":
            return only("annealing, multipower, formula", ["--bounds", "alpha=0:2"], .works { r in XCTAssertEqual(r.status, 0) })
        case "--law":
            // The table laws are fitted with --law already; a formula or a .dat file takes none.
            guard law == "formula" || law == "nist" else { return nil }
            return (["--law", "chinchilla"], .refused(appliesTo: "chinchilla, power, kaplan, annealing, multipower, multilingual, isoflop, envelope"))
        default:
            fatalError("no row for \(flag)")
        }
    }

    static let flags = ["--format table", "--format json", "--format csv", "--format markdown", "--loss", "-o", "--plot",
                        "--report", "--correlation", "--format csv --correlation", "--bootstrap", "--seed", "--residuals", "--compute-budget", "--compute-tolerance", "--resample", "--bin-width", "--tokens-per-step", "--x", "--y", "--strict",
                        "--group", "--schedule", "--warmup", "--momentum", "--convention", "--share", "--fix", "--family",
                        "--ratio", "--start", "--bounds", "--starts", "--max-evaluations", "--law"]

    /// Flags that run on their own: each format, `--fix` (which may not go with `--share`),
    /// `--strict` (which makes an unsound fit exit 1, and `--share` can make one) and
    /// `--resample` (which changes the bootstrap line the `--bootstrap` row checks).
    static let alone: Set<String> = ["--format json", "--format csv", "--format markdown", "--format csv --correlation", "--fix",
                                     "--strict", "--resample"]

    /// Runs every row of `law`: each refusal alone (it costs nothing: nothing is fitted), the
    /// flags that work together in one fit (the fits are the slow part), the others alone.
    func check(law: String) throws {
        let base = Self.laws.first { $0.name == law }!.args
        var worked = 0, refused = 0
        var together: [(flag: String, args: [String], checks: (CLITests.Outcome) throws -> Void)] = []
        for flag in Self.flags {
            guard let (extra, expect) = Self.row(flag, law: law) else { continue }
            if case .works(let checks) = expect, !Self.alone.contains(flag) {
                together.append((flag, extra, checks))
                continue
            }
            let r = try CLITests.scalefit(base + extra)
            switch expect {
            case .works(let checks):
                XCTAssertEqual(r.status, 0, "\(law) \(flag): \(r.stderr)")
                try checks(r)
                worked += 1
            case let .exits(status, checks):
                XCTAssertEqual(r.status, status, "\(law) \(flag): \(r.stderr)")
                try checks(r)
                worked += 1
            case .refused(let laws):
                XCTAssertEqual(r.status, 64, "\(law) \(flag): \(r.stderr)")
                // The flag refused: the row's first, or --correlation in "--format csv --correlation".
                let name = flag.hasSuffix("--correlation") ? "--correlation" : String(flag.split(separator: " ")[0])
                XCTAssertTrue(r.stderr.hasSuffix("scalefit: \(name) does not apply to the \(law) law (it applies to: \(laws))\n"),
                              "\(law) \(flag): \(r.stderr)")
                XCTAssertEqual(r.stdout, "", "\(law) \(flag)")
                refused += 1
            }
        }
        let r = try CLITests.scalefit(base + together.flatMap(\.args))
        XCTAssertEqual(r.status, 0, "\(law) \(together.map(\.flag)): \(r.stderr)")
        for row in together { try row.checks(r) }
        worked += together.count
        XCTAssertGreaterThan(worked, 0)
        XCTAssertGreaterThan(refused, 0)
    }

    func testChinchilla() throws { try check(law: "chinchilla") }
    func testPower() throws { try check(law: "power") }
    func testKaplan() throws { try check(law: "kaplan") }
    func testAnnealing() throws { try check(law: "annealing") }
    func testMultipower() throws { try check(law: "multipower") }
    func testMultilingual() throws { try check(law: "multilingual") }
    func testFormula() throws { try check(law: "formula") }
    func testNIST() throws { try check(law: "nist") }
    func testIsoFLOP() throws { try check(law: "isoflop") }
    func testEnvelope() throws { try check(law: "envelope") }

    /// How many times `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The used and flagged budgets of an allocation fit's table output (`budgets: 3, 3 used, 0 flagged`).
    static func budgets(_ stdout: String) -> (used: Int, flagged: Int)? {
        guard let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("budgets: ") }) else { return nil }
        let numbers = line.split(whereSeparator: { !$0.isNumber }).prefix(3).compactMap { Int($0) }
        return numbers.count == 3 ? (numbers[1], numbers[2]) : nil
    }

    /// The isoflop and envelope figures' series and markers (no check for other laws). Parabolas,
    /// curves, the fitted line and N*'s interval are polylines; the band one polygon; diamonds
    /// (paths) are the parabola minima, N* at the budget and their two legend samples; circles
    /// the runs (isoflop: 15 runs, 3 sizes a budget's colour so far) or the envelope, the optima
    /// below and their legend samples.
    static func checkAllocationFigure(_ svg: String, law: String, stdout: String) {
        guard law == "isoflop" || law == "envelope" else { return }
        guard let (used, flagged) = budgets(stdout) else { return XCTFail("\(law): no budgets line in\n\(stdout)") }
        XCTAssertEqual(count("<polygon", in: svg), 1, "\(law): the bootstrap band")
        XCTAssertTrue(svg.contains("N* = ") && svg.contains("compute C (FLOPs)"), "\(law): the N_opt panel")
        if law == "isoflop" {
            XCTAssertEqual(used, 3)
            XCTAssertEqual(count("<polyline", in: svg), used + 2, "3 parabolas, the fitted line, N*'s interval")
            XCTAssertEqual(count("<path", in: svg), used + 3, "the minima, N* and two legend diamonds")
            XCTAssertEqual(count("<circle", in: svg), 15 + 2 * used + 1 + (flagged > 0 ? 1 : 0), "runs, optima and legend samples")
            for c in ["1e18", "1e19", "1e20"] { XCTAssertTrue(svg.contains(">C = \(c)</text>"), "the legend of budget \(c)") }
            XCTAssertTrue(svg.contains(">parabola minimum</text>"))
        } else {
            XCTAssertGreaterThan(used, 1)
            XCTAssertEqual(count("<polyline", in: svg), 5 + 2, "5 curves, the fitted line, N*'s interval")
            XCTAssertEqual(count("<path", in: svg), 2, "N* and its legend diamond")
            XCTAssertEqual(count("<circle", in: svg), 2 * used + flagged + 2 + (flagged > 0 ? 1 : 0), "envelope, optima and legend samples")
            for n in ["20M", "50M", "120M", "300M", "750M"] { XCTAssertTrue(svg.contains(">N = \(n)</text>"), "the legend of size \(n)") }
        }
    }

    /// The isoflop and envelope report folders: the fit file of the law, the Markdown report
    /// with the budget table, a residual row per run (isoflop) or budget (envelope), and the
    /// figure `--plot` wrote in the same run.
    static func checkAllocationReport(_ dir: String, law: String, stdout: String) {
        guard law == "isoflop" || law == "envelope" else { return }
        guard let (used, flagged) = budgets(stdout) else { return XCTFail("\(law): no budgets line in\n\(stdout)") }
        XCTAssertTrue(file(dir + "/fit.json").contains("\"law\" : \"\(law)\""), dir)
        let markdown = file(dir + "/report.md")
        XCTAssertTrue(markdown.hasPrefix("# \(law) fitted to \(law == "isoflop" ? "isoflop.csv" : "envelope.csv")\n\n![figure](fit.svg)\n\n## "), markdown)
        XCTAssertTrue(markdown.contains("| budget |"), markdown)
        let residuals = file(dir + "/residuals.csv").split(separator: "\n")
        XCTAssertEqual(residuals.count, 1 + (law == "isoflop" ? 15 : used + flagged), dir)
        XCTAssertEqual(residuals.filter { $0.hasSuffix(",fitted") }.count, law == "isoflop" ? 15 : used, dir)
        XCTAssertTrue(file(dir + "/parameters.csv").hasPrefix("parameter,estimate,std_error,lower95,upper95\na,"), dir)
        XCTAssertEqual(file(dir + "/fit.svg"), file(path("\(law).svg")), "the report's figure is the --plot one")
    }
}
