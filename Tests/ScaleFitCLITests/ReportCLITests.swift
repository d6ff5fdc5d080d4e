import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `--report DIR` on fit and backtest: the files, a well-formed index.html that shows the
/// figure, and the same bytes from the same input.
final class ReportCLITests: XCTestCase {
    func directory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-report-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static let files = ["fit.json", "fit.svg", "index.html", "parameters.csv", "report.md", "residuals.csv"]

    /// Parses index.html as XML and returns its `<img src>` values.
    func checkIndex(_ dir: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), Self.files, file: file, line: line)
        final class Images: NSObject, XMLParserDelegate {
            var sources: [String] = []
            var tables = 0
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if name == "img", let s = attributes["src"] { sources.append(s) }
                if name == "table" { tables += 1 }
            }
        }
        let parser = XMLParser(data: try Data(contentsOf: dir.appendingPathComponent("index.html")))
        let images = Images()
        parser.delegate = images
        XCTAssertTrue(parser.parse(), "index.html is not well-formed: \(String(describing: parser.parserError))", file: file, line: line)
        XCTAssertGreaterThanOrEqual(images.tables, 2, file: file, line: line)
        XCTAssertTrue(XMLParser(data: try Data(contentsOf: dir.appendingPathComponent("fit.svg"))).parse(), file: file, line: line)
        return images.sources
    }

    func testFitReportOnRunsIsCompleteWellFormedAndDeterministic() throws {
        let a = directory("fit-a"), b = directory("fit-b")
        let r = try CLITests.scalefit(["fit", "Data/runs.csv", "--report", a.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try checkIndex(a), ["fit.svg"])
        let residuals = try String(contentsOf: a.appendingPathComponent("residuals.csv"), encoding: .utf8)
        XCTAssertTrue(residuals.hasPrefix("run,params,tokens,observed,fitted,residual,rel_residual,role\nn50M-r5,"), residuals)
        XCTAssertEqual(residuals.split(separator: "\n").count, 31)
        let params = try String(contentsOf: a.appendingPathComponent("parameters.csv"), encoding: .utf8)
        XCTAssertTrue(params.hasPrefix("parameter,estimate,std_error\nE,"), params)
        let fit = try JSONSerialization.jsonObject(with: Data(contentsOf: a.appendingPathComponent("fit.json"))) as? [String: Any]
        XCTAssertEqual(fit?["law"] as? String, "chinchilla")
        XCTAssertTrue(try String(contentsOf: a.appendingPathComponent("report.md"), encoding: .utf8).contains("| parameter | estimate |"))

        _ = try CLITests.scalefit(["fit", "Data/runs.csv", "--report", b.path])
        for name in Self.files {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(name)), try Data(contentsOf: b.appendingPathComponent(name)), name)
        }
    }

    func testAllocationReportsAreWellFormedDeterministicAndEscapeRunNames() throws {
        let a = directory("iso-a"), b = directory("iso-b")
        for dir in [a, b] {
            let r = try CLITests.scalefit(["fit", LawFlagTableTests.isoflopRuns, "--law", "isoflop", "--bootstrap", "20", "--report", dir.path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertEqual(try checkIndex(a), ["fit.svg"])
        for name in Self.files {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(name)), try Data(contentsOf: b.appendingPathComponent(name)), name)
        }
        let runs = try String(contentsOf: a.appendingPathComponent("residuals.csv"), encoding: .utf8)
        XCTAssertTrue(runs.hasPrefix("line,params,compute,budget,loss,parabola,residual,rel_residual,role\n"), runs)

        // Run names with Markdown and XML metacharacters: escaped in report.md, index.html and the CSV.
        let original = try String(contentsOfFile: LawFlagTableTests.envelopeCurves, encoding: .utf8)
        let hostile = original.replacingOccurrences(of: "\nm2,", with: "\n\"m2|<b>&x\",")
        let path = LawFlagTableTests.write("envelope-hostile.csv", hostile)
        let e = directory("envelope")
        let r = try CLITests.scalefit(["fit", path, "--law", "envelope", "--tokens-per-step", "2048", "--bootstrap", "20", "--report", e.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try checkIndex(e), ["fit.svg"])
        let markdown = try String(contentsOf: e.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("| m2\\|&lt;b&gt;&amp;x |"), markdown)
        XCTAssertFalse(markdown.contains("<b>"))
        let budgets = try String(contentsOf: e.appendingPathComponent("residuals.csv"), encoding: .utf8)
        XCTAssertTrue(budgets.contains(",m2|<b>&x,"), budgets)
    }

    func testBacktestAndCurveReports() throws {
        let power = directory("backtest")
        let r = try CLITests.scalefit(["backtest", "Data/runs.csv", "--holdout", "largest", "--report", power.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try checkIndex(power), ["fit.svg"])
        let residuals = try String(contentsOf: power.appendingPathComponent("residuals.csv"), encoding: .utf8)
        XCTAssertEqual(residuals.split(separator: "\n").filter { $0.hasSuffix(",held_out") }.count, 5)
        XCTAssertEqual(residuals.split(separator: "\n").filter { $0.hasSuffix(",fitted") }.count, 25)
        let svg = try String(contentsOf: power.appendingPathComponent("fit.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains(">held out<") && svg.contains(">D/N = 5<") && !svg.contains("= held out"), svg)

        let curves = directory("curves")
        let c = try CLITests.scalefit(["backtest", "Data/curves.csv", "--law", "annealing", "--warmup", "linear", "--fit-runs", "constant,cosine",
                                       "--report", curves.path])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertEqual(try checkIndex(curves), ["fit.svg"])
        let points = try String(contentsOf: curves.appendingPathComponent("residuals.csv"), encoding: .utf8)
        XCTAssertTrue(points.hasPrefix("curve,line,step,lr,observed,predicted,residual,rel_residual,role\n"), points)
        XCTAssertEqual(points.split(separator: "\n").filter { $0.hasPrefix("wsd,") && $0.hasSuffix(",scored") }.count, 72)
    }

    /// A formula fit's folder is every law's (fit.json included); a NIST .dat fit's is the
    /// same but for fit.json, which a .dat fit does not write. Same input, same bytes.
    func testFormulaAndNISTReports() throws {
        let formula = directory("formula"), again = directory("formula-again")
        let args = ["fit", "Data/runs.csv", "--formula", "E + A*N^-alpha + B*D^-beta", "--start", "E=2,A=400,B=400,alpha=0.3,beta=0.3"]
        let r = try CLITests.scalefit(args + ["--report", formula.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try checkIndex(formula), ["fit.svg"])
        let residuals = try String(contentsOf: formula.appendingPathComponent("residuals.csv"), encoding: .utf8)
        XCTAssertTrue(residuals.hasPrefix("run,N,D,observed,fitted,residual,rel_residual,role\nn50M-r5,"), residuals)
        XCTAssertEqual(residuals.split(separator: "\n").filter { $0.hasSuffix(",fitted") }.count, 30)
        let fit = try JSONSerialization.jsonObject(with: Data(contentsOf: formula.appendingPathComponent("fit.json"))) as? [String: Any]
        XCTAssertEqual(fit?["law"] as? String, "formula")
        XCTAssertTrue(try String(contentsOf: formula.appendingPathComponent("report.md"), encoding: .utf8)
            .hasPrefix("# loss ~ E + A * N^-alpha + B * D^-beta fitted to runs.csv\n\n![figure](fit.svg)\n\n## formula: "))
        XCTAssertEqual(try CLITests.scalefit(args + ["--report", again.path]).status, 0)
        for name in Self.files {
            XCTAssertEqual(try Data(contentsOf: formula.appendingPathComponent(name)), try Data(contentsOf: again.appendingPathComponent(name)), name)
        }

        let nist = directory("nist")
        let n = try CLITests.scalefit(["fit", "Data/example.dat", "--report", nist.path])
        XCTAssertEqual(n.status, 0, n.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: nist.path).sorted(), Self.files.filter { $0 != "fit.json" })
        let rows = try String(contentsOf: nist.appendingPathComponent("residuals.csv"), encoding: .utf8)
        XCTAssertTrue(rows.hasPrefix("row,x,observed,fitted,residual,role\n1,"), rows)
        XCTAssertEqual(rows.split(separator: "\n").count, 15)
        XCTAssertTrue(try String(contentsOf: nist.appendingPathComponent("parameters.csv"), encoding: .utf8).hasPrefix("parameter,estimate,std_error,rel_error\nb1,"))
        XCTAssertTrue(XMLParser(data: try Data(contentsOf: nist.appendingPathComponent("index.html"))).parse())
    }

    func testAnUnwritableReportDirectoryIsRefusedBeforeTheFit() throws {
        let r = try CLITests.scalefit(["fit", "Data/runs.csv", "--report", "Data/runs.csv/sub"])
        XCTAssertEqual(r.status, 74)
        XCTAssertTrue(r.stderr.hasSuffix("law: chinchilla (chosen from the columns; --law to choose)\nscalefit: --report: cannot write Data/runs.csv/sub: \(CLITests.root.path)/Data/runs.csv is not a directory\n"), r.stderr)
    }
}
