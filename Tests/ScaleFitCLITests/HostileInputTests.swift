import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
import ScaleFit

/// The hostile-input table (issue 16): every case ends with exit 0, 1, 64, 65 or 74 — never
/// a crash — within seconds, most with a named exit status and message. The cases run
/// in-process (a crash here fails the whole test run, which is the point); a few run the
/// release binary under `ulimit -v` 2 GB.
final class HostileInputTests: XCTestCase {
    static let allowed: Set<Int32> = [0, 1, 64, 65, 74]

    struct Case {
        var args: [String]
        /// The exit status expected, or nil for any allowed one.
        var status: Int32?
        /// Text the error output must contain.
        var says: String?
        init(_ args: [String], _ status: Int32? = nil, _ says: String? = nil) {
            self.args = args; self.status = status; self.says = says
        }
    }

    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-hostile-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }()

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static func write(_ text: String, _ name: String) -> String {
        try! text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// A Chinchilla fit file (Hoffmann et al.'s estimates, a small diagonal covariance),
    /// edited by `edit` as JSON.
    static func chinchillaFile(_ name: String, edit: (inout [String: Any]) -> Void = { _ in }) -> String {
        let file = FitFile(law: ChinchillaLaw.identifier, formula: ChinchillaLaw.formula, parameterNames: ChinchillaLaw.parameterNames,
                           parameters: [log(1.69), log(406.4), log(410.7), 0.34, 0.28],
                           covariance: Matrix(rows: 5, columns: 5, columnMajor: (0..<25).map { $0 % 6 == 0 ? 1e-4 : 0 }),
                           objective: 0.01, loss: "huber:0.001", starts: 4500, data: .init(file: "runs.csv", rows: 30, droppedRows: 0))
        var json = try! JSONSerialization.jsonObject(with: try! file.encoded()) as! [String: Any]
        edit(&json)
        let data = try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        try! data.write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    /// An annealing fit file with one fitted run, `constant`, of 2000 steps.
    static let curvesFile: String = {
        let law = try! LawRegistry.curveLaw(named: "annealing")
        var settings = law.settings
        settings[FitFile.scheduleKey("constant")] = "constant:peak=0.0003,warmup=100,total=2000"
        let n = law.parameterNames.count
        let file = FitFile(law: "annealing", formula: law.formula, parameterNames: law.parameterNames,
                           parameters: Array([2.8, 0.9, 0.45, 3.0].prefix(n)),
                           covariance: Matrix(rows: n, columns: n, columnMajor: (0..<(n * n)).map { $0 % (n + 1) == 0 ? 1e-6 : 0 }),
                           objective: 0.01, loss: "huber:0.001", starts: 10, data: .init(file: "curves.csv", rows: 50, droppedRows: 0),
                           settings: settings)
        try! file.encoded().write(to: URL(fileURLWithPath: path("curves.fit.json")))
        return path("curves.fit.json")
    }()

    func run(_ cases: [Case], file: StaticString = #filePath, line: UInt = #line) throws {
        for c in cases {
            let start = Date()
            let r = try CLITests.scalefit(c.args)
            let seconds = Date().timeIntervalSince(start)
            let label = c.args.joined(separator: " ")
            XCTAssertTrue(Self.allowed.contains(r.status), "\(label): exit \(r.status)\n\(r.stderr)", file: file, line: line)
            if let s = c.status { XCTAssertEqual(r.status, s, "\(label)\n\(r.stderr)", file: file, line: line) }
            if let says = c.says { XCTAssertTrue(r.stderr.contains(says), "\(label): \(r.stderr)", file: file, line: line) }
            XCTAssertLessThan(seconds, 20, "\(label) took \(seconds) s", file: file, line: line)
        }
    }

    // MARK: - Sizes: every size from the user is capped before any allocation

    func testStepsAndSchedulesAreCappedBeforeAnyAllocation() throws {
        let fit = Self.curvesFile
        let limit = "\(LRSchedule.maximumSteps)"
        try run([
            Case(["predict", fit, "--steps", "9223372036854775807", "--run", "constant"], 64, "steps below \(limit)"),
            Case(["predict", fit, "--steps", "9223372036854775000:9223372036854775807:100"], 64, "steps below \(limit)"),
            Case(["predict", fit, "--steps", "10000000000"], 64, "--steps"),
            Case(["predict", fit, "--steps", "0:9999999:1,0:9999999:1"], 64, "at most \(limit) steps in all"),
            Case(["predict", fit, "--steps", "1e300"], 64, "--steps"),
            Case(["predict", fit, "--steps", "100", "--schedule", "constant:peak=3e-4,total=1000000000000"], 64, "at most \(limit) steps for total"),
            Case(["predict", fit, "--steps", "100", "--schedule", "wsd:peak=3e-4,stable=9000000,decay=9000000"], 64, "warmup + stable + decay"),
            Case(["predict", fit, "--steps", "100", "--schedule", "piecewise:points=0@1/99999999999@1"], 64, "--schedule"),
            Case(["predict", fit, "--steps", "100", "--schedule", "multistage:lr=1/2,until=10/1e14"], 64, "--schedule"),
            Case(["predict", fit, "--steps", "100", "--schedule",
                  "logged:points=0@1/10@2,total=1e12"], 64, "--schedule"),
            Case(["predict", fit, "--steps", "100", "--schedule-file", Self.write("step,lr\n0,0.001\n1000000000000,0.001\n", "s.csv")],
                 65, "past the last step a schedule may have"),
            Case(["fit", "Data/curves.csv", "--schedule", "constant:peak=3e-4,total=1000000000000"], 64, "--schedule"),
            Case(["fit", Self.write("run,step,lr,loss\na,1,0.001,3\na,5,0.001,2.9\na,999999999999,0.001,2.5\n", "bigstep.csv"),
                  "--law", "annealing"], 65, "bigstep.csv:4:2: expected a non-negative integer step below \(limit)"),
            Case(["plot", fit, "Data/curves.csv", "-o", Self.path("x.svg"), "--until", "1000000000000"], 64, "--until"),
            Case(["plot", fit, "Data/curves.csv", "-o", Self.path("x.svg"), "--until", "9223372036854775807"], 64, "--until"),
        ])
    }

    func testStartGridsAndBootstrapAreCapped() throws {
        let formula = ["fit", "Data/runs.csv", "--formula", "E + A*N^-alpha"]
        try run([
            Case(formula + ["--start", "E=1,A=1,alpha=0:1:1e-20"], 64, "a grid of at most 1000 values"),
            Case(formula + ["--start", "E=1,A=1,alpha=0:1e19:1"], 64, "a grid of at most 1000 values"),
            Case(formula + ["--start", "E=-1e308:1e308:1,A=1,alpha=0"], 64, "a grid of at most 1000 values"),
            Case(formula + ["--start", "E=0:999:1,A=0:999:1,alpha=0:999:1"], 64, "at most \(FormulaModel.maximumStartCount) starting points"),
            Case(["fit", "Data/runs.csv", "--bootstrap", "1000000000"], 64, "at most \(Bootstrap.maximumSamples)"),
            Case(["fit", "Data/runs.csv", "--bootstrap", "abc"], 64, "--bootstrap"),
            Case(["fit", "Data/runs.csv", "--bootstrap", "99999999999999999999999"], 64, "--bootstrap"),
        ])
    }

    // MARK: - Fit files are validated on load, naming the JSON path

    func testFitFilesAreValidatedOnLoad() throws {
        let predict = ["--params", "1e9", "--tokens", "1e10"]
        let nan = Self.chinchillaFile("nan.fit.json") { $0["parameters"] = ["nan", "nan", "nan", "nan", "nan"] }
        let negative = Self.chinchillaFile("neg.fit.json") {
            var c = $0["covariance"] as! [String: Any]
            var s = c["storage"] as! [Double]
            s[6] = -1e-4
            c["storage"] = s
            $0["covariance"] = c
        }
        let indefinite = Self.chinchillaFile("indefinite.fit.json") {
            var c = $0["covariance"] as! [String: Any]
            var s = c["storage"] as! [Double]
            s[1] = 1; s[5] = 1 // a covariance of 1 between two variances of 1e-4
            c["storage"] = s
            $0["covariance"] = c
        }
        let asymmetric = Self.chinchillaFile("asym.fit.json") {
            var c = $0["covariance"] as! [String: Any]
            var s = c["storage"] as! [Double]
            s[1] = 1e-5
            c["storage"] = s
            $0["covariance"] = c
        }
        let nanCovariance = Self.chinchillaFile("nancov.fit.json") {
            var c = $0["covariance"] as! [String: Any]
            var s = c["storage"] as! [Any]
            s[0] = "nan"
            c["storage"] = s
            $0["covariance"] = c
        }
        let huge = Self.chinchillaFile("huge.fit.json") {
            var p = $0["parameters"] as! [Double]
            p[0] = 1e308
            $0["parameters"] = p
        }
        let typed = Self.chinchillaFile("typed.fit.json") {
            var p = $0["parameters"] as! [Any]
            p[2] = "x"
            $0["parameters"] = p
        }
        let unknown = Self.chinchillaFile("unknown.fit.json") { $0["law"] = "astrology" }
        let short = Self.chinchillaFile("short.fit.json") { $0["parameters"] = [1.0, 2.0] }
        let missing = Self.chinchillaFile("missing.fit.json") { $0.removeValue(forKey: "covariance") }
        let version = Self.chinchillaFile("version.fit.json") { $0["formatVersion"] = 99 }
        let rows = Self.chinchillaFile("rows.fit.json") { $0["data"] = ["file": "x", "rows": -5, "droppedRows": 0] }
        try run([
            Case(["plot", nan, "Data/runs.csv", "-o", Self.path("nan.svg")], 65, "parameters[0]: e is nan"),
            Case(["predict", nan] + predict, 65, "parameters[0]"),
            Case(["predict", negative] + predict, 65, "covariance.storage[6]: the variance of a is -0.0001, negative"),
            Case(["predict", indefinite] + predict, 65, "not positive semi-definite"),
            Case(["predict", asymmetric] + predict, 65, "not symmetric"),
            Case(["predict", nanCovariance] + predict, 65, "covariance.storage[0]"),
            Case(["predict", huge] + predict, 65, "parameters[0]"),
            Case(["optimal", huge, "--compute", "1e24"], 65, "parameters[0]"),
            Case(["predict", typed] + predict, 65, "parameters[2]: expected a number"),
            Case(["predict", unknown] + predict, 65, "law: unknown law \"astrology\""),
            Case(["predict", short] + predict, 65, "5 parameters"),
            Case(["predict", missing] + predict, 65, "covariance: missing"),
            Case(["predict", version] + predict, 65),
            Case(["predict", rows] + predict, 65, "data.rows"),
            Case(["predict", Self.write("", "empty.fit.json")] + predict, 65),
            Case(["predict", Self.write("[1,2", "bad.fit.json")] + predict, 65),
            Case(["predict", "/dev/zero"] + predict, 65, "larger than 64 MiB"),
            Case(["predict", Self.dir.path] + predict, 65),
        ])
    }

    // MARK: - Bounded input

    func testEndlessInputsAreRefusedNamingTheLimit() throws {
        for ext in ["json", "csv", "jsonl"] {
            let link = Self.path("zero.\(ext)")
            try? FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/zero")
            try run([Case(["fit", link], 65, "MiB")])
        }
        try run([
            Case(["predict", Self.curvesFile, "--steps", "10", "--schedule-file", "/dev/zero"], 65, "MiB"),
            Case(["fit", Self.write("", "empty.csv")], 65),
            Case(["fit", Self.write("run,params,tokens,loss\n", "header.csv")], 65),
        ])
    }

    // MARK: - Errors before the work

    /// Destinations that cannot be written are refused before the fit (exit 74 naming the
    /// path), and values that cannot parse before anything is read.
    func testUnwritableDestinationsAndBadValuesAreRefusedBeforeTheFit() throws {
        let underAFile = HostileInputTests.write("x", "plain-file") + "/x.svg"
        try run([
            Case(["fit", "Data/runs.csv", "--plot", underAFile], 74, underAFile),
            Case(["fit", "Data/runs.csv", "-o", underAFile], 74, underAFile),
            Case(["fit", "Data/runs.csv", "--report", underAFile], 74, underAFile),
            Case(["fit", "Data/runs.csv", "--plot", Self.dir.path], 74, "it is a directory"),
            Case(["backtest", "Data/runs.csv", "--plot", underAFile], 74, underAFile),
            Case(["plot", Self.chinchillaFile("ok.fit.json"), "Data/runs.csv", "-o", underAFile], 74, underAFile),
            Case(["fit", "Data/runs.csv", "--bootstrap", "abc"], 64, "--bootstrap"),
        ])
        for c in [["fit", "Data/runs.csv", "--plot", underAFile], ["fit", "Data/runs.csv", "--bootstrap", "abc"]] {
            let r = try CLITests.scalefit(c)
            XCTAssertFalse(r.stderr.contains("fitting chinchilla"), "the fit ran: \(r.stderr)")
        }
    }

    /// 4,000 sizes to predict at: linear in the count (was 13.5 s, quadratic in the table).
    func testThousandsOfPredictionsAreQuick() throws {
        let sizes = (1...4000).map { "\($0)e6" }.joined(separator: ",")
        let start = Date()
        let r = try CLITests.scalefit(["predict", Self.chinchillaFile("ok.fit.json"), "--params", sizes, "--tokens", "1e11"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 4002)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    // MARK: - Non-finite, empty and huge values in every numeric flag

    static let hostileNumbers = ["", "nan", "NaN", "inf", "-inf", "-0", "0", "-1", "1e309", "-1e309", "1e-320",
                                 "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e19", "abc", "1,,2", "0x10"]

    func testEveryNumericFlagOfPredictOptimalAndPlot() throws {
        let chinchilla = Self.chinchillaFile("ok.fit.json")
        var cases: [Case] = []
        for v in Self.hostileNumbers {
            cases += [
                Case(["predict", chinchilla, "--params", v, "--tokens", "1e10"]),
                Case(["predict", chinchilla, "--params", "1e9", "--tokens", v]),
                Case(["predict", Self.curvesFile, "--steps", v, "--format", "csv"]),
                Case(["predict", Self.curvesFile, "--steps", "0:\(v):10", "--format", "csv"]),
                Case(["predict", Self.curvesFile, "--steps", "100", "--schedule", "constant:peak=\(v),total=1000"]),
                Case(["predict", Self.curvesFile, "--steps", "100", "--schedule", "cosine:peak=3e-4,total=\(v),final=0.1"]),
                Case(["predict", Self.curvesFile, "--steps", "100", "--schedule", "cosine:peak=3e-4,total=1000,final=\(v)"]),
                Case(["predict", Self.curvesFile, "--steps", "100", "--schedule", "wsd:peak=3e-4,warmup=\(v),stable=10,decay=10"]),
                Case(["optimal", chinchilla, "--compute", v]),
                Case(["plot", Self.curvesFile, "Data/curves.csv", "-o", Self.path("u.svg"), "--until", v]),
            ]
        }
        try run(cases)
    }

    /// fit and backtest: each value is parsed before the data is read, so a data file that
    /// does not exist shows that no value crashes the parse and none is accepted silently.
    func testEveryNumericFlagOfFitAndBacktest() throws {
        var cases: [Case] = []
        let missing = Self.path("no-such-file.csv")
        for v in Self.hostileNumbers {
            for flag in ["--compute-budget", "--min-step", "--max-step", "--bootstrap", "--seed", "--momentum"] {
                cases.append(Case(["fit", missing, flag, v]))
            }
            cases += [
                Case(["fit", missing, "--loss", "huber:\(v)"]),
                Case(["fit", missing, "--formula", "E + A*N^-alpha", "--start", "E=\(v),A=1,alpha=0.3"]),
                Case(["fit", missing, "--formula", "E + A*N^-alpha", "--start", "E=1,A=1,alpha=0:1:\(v)"]),
                Case(["fit", missing, "--formula", "E + A*N^-alpha", "--bounds", "E=\(v):1"]),
                Case(["fit", missing, "--formula", "E + A*N^\(v)"]),
                Case(["backtest", missing, "--holdout", "largest:\(v)"]),
                Case(["backtest", missing, "--holdout", "compute>\(v)"]),
                Case(["backtest", missing, "--seed", v]),
            ]
        }
        try run(cases)
        // Values that parse run on real data (the power law fits in milliseconds).
        try run([
            Case(["fit", "Data/runs.csv", "--law", "power", "--min-step", "1e309"]),
            Case(["fit", "Data/runs.csv", "--law", "power", "--loss", "huber:1e-320"]),
            Case(["fit", "Data/runs.csv", "--law", "power", "--loss", "huber:1e308"]),
        ])
    }

    // MARK: - The release binary under a 2 GB address-space limit

    func testReleaseBinaryUnderAMemoryLimit() throws {
        let exe = CLITests.root.appendingPathComponent(".build/release/scalefit").path
        guard FileManager.default.isExecutableFile(atPath: exe) else { throw XCTSkip("no release build at \(exe)") }
        let fit = Self.curvesFile
        let cases: [(String, Set<Int32>)] = [
            ("predict \(fit) --steps 9223372036854775807 --run constant", [64]),
            ("predict \(fit) --steps 0:999999:1 --format csv > /dev/null", [0]),
            ("predict \(fit) --steps 100 --schedule constant:peak=3e-4,total=1000000000000", [64]),
            ("fit Data/runs.csv --bootstrap 1000000000", [64]),
            ("fit \(Self.path("zero.json")) ", [65]),
            ("fit Data/runs.csv > /dev/full", [74]),
        ]
        try? FileManager.default.removeItem(atPath: Self.path("zero.json"))
        try FileManager.default.createSymbolicLink(atPath: Self.path("zero.json"), withDestinationPath: "/dev/zero")
        for (command, expected) in cases {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "ulimit -v 2000000; exec timeout 30 '\(exe)' \(command)"]
            p.currentDirectoryURL = CLITests.root
            p.standardError = FileHandle.nullDevice
            if !command.contains(">") { p.standardOutput = FileHandle.nullDevice }
            let start = Date()
            try p.run()
            p.waitUntilExit()
            XCTAssertTrue(expected.contains(p.terminationStatus), "\(command): exit \(p.terminationStatus)")
            XCTAssertLessThan(Date().timeIntervalSince(start), 20, command)
        }
        // A JSON document that never ends, on a pipe: refused at the document limit.
        let endless = "(echo '{\"log_history\": ['; yes '{\"loss\": 1.5, \"step\": 1},') | (ulimit -v 2000000; timeout 60 '\(exe)' fit - --input-format trainer_state)"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", endless + "; echo $? >&2"]
        p.currentDirectoryURL = CLITests.root
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertTrue(text.hasSuffix("65\n") && text.contains("256 MiB"), text)
    }
}

/// Data strings in every output medium: a run name cannot shift a table, reach the page as
/// markup, make the page invalid XML, or reach the terminal as an escape sequence.
final class HostileStringTests: XCTestCase {
    static let names = ["evil|name", "new\nline", "<script>alert(1)</script>", "\u{1B}[31mred\u{1B}[0m", "ctl\u{1}\u{2}", "a&b\\|c"]

    static let data: String = {
        let lines = try! String(contentsOfFile: CLITests.root.appendingPathComponent("Data/runs.csv").path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var out = [lines[0]]
        for (i, line) in lines.dropFirst().enumerated() {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if i < names.count { fields[0] = "\"" + names[i].replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            out.append(fields.joined(separator: ","))
        }
        return HostileInputTests.write(out.joined(separator: "\n") + "\n", "evil.csv")
    }()

    func testRunNamesAreEscapedInTablesMarkdownAndTheReportPage() throws {
        let dir = HostileInputTests.path("report")
        try? FileManager.default.removeItem(atPath: dir)
        let r = try CLITests.scalefit(["fit", Self.data, "--report", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The table: one line per run, control characters visible, never raw.
        XCTAssertFalse(r.stdout.contains("\u{1B}") || r.stderr.contains("\u{1B}"))
        XCTAssertTrue(r.stdout.contains("\\u{1B}[31mred\\u{1B}[0m  "), r.stdout)
        XCTAssertTrue(r.stdout.contains("new\\u{A}line  "), r.stdout)
        // Markdown: seven cells on every run's row, whatever its name holds.
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        XCTAssertFalse(md.contains("<script>"), md)
        XCTAssertTrue(md.contains("| evil\\|name | 5.000e+07 |"), md)
        XCTAssertTrue(md.contains("| &lt;script&gt;alert(1)&lt;/script&gt; |"), md)
        XCTAssertTrue(md.contains("| a&amp;b\\\\\\|c |"), md)
        // The page is well-formed XML and shows the names as they were.
        let html = try Data(contentsOf: URL(fileURLWithPath: dir + "/index.html"))
        XCTAssertTrue(XMLParser(data: html).parse(), "index.html is not well-formed")
        let page = String(decoding: html, as: UTF8.self)
        XCTAssertTrue(page.contains("<td>evil|name</td>"), page)
        XCTAssertTrue(page.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), page)
        XCTAssertTrue(page.contains("<td>a&amp;b\\|c</td>"), page)
        XCTAssertTrue(page.contains("<td>ctl\\u{1}\\u{2}</td>"), page)
        let svg = try Data(contentsOf: URL(fileURLWithPath: dir + "/fit.svg"))
        XCTAssertTrue(XMLParser(data: svg).parse(), "fit.svg is not well-formed")
        let markdown = try CLITests.scalefit(["fit", Self.data, "--format", "markdown"])
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        for line in markdown.stdout.split(separator: "\n") where line.hasPrefix("| 5.000e+07") || Self.names.contains(where: { line.contains($0.prefix(3)) }) {
            // Unescaped pipes: the row's cells are the header's.
            let pipes = line.indices.filter { line[$0] == "|" && ($0 == line.startIndex || line[line.index(before: $0)] != "\\") }
            XCTAssertTrue(pipes.count == 8 || pipes.count == 3, "\(line)")
        }
    }
}
