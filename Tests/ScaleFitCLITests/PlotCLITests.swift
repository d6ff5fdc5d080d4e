import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `scalefit plot FIT DATA -o FIG.svg` end to end: both figure kinds, well-formed and
/// deterministic, and its usage errors.
final class PlotCLITests: XCTestCase {
    func temporary(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-plot-cli-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    func wellFormed(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let parser = XMLParser(data: data)
        XCTAssertTrue(parser.parse(), "\(path): \(String(describing: parser.parserError))")
        return String(decoding: data, as: UTF8.self)
    }

    func testChinchillaFitDrawnOverItsRuns() throws {
        let fit = temporary("runs.fit.json")
        XCTAssertEqual(try CLITests.scalefit(["fit", "Data/runs.csv", "-o", fit]).status, 0)
        let a = temporary("a.svg"), b = temporary("b.svg")
        let r = try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", a])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", b]).status, 0)
        let svg = try wellFormed(a)
        XCTAssertEqual(svg, try String(contentsOfFile: b, encoding: .utf8), "same input, same bytes")
        for label in ["D/N = 5", "D/N = 80", "compute-optimal frontier", "100M", "1B"] {
            XCTAssertTrue(svg.contains(label), "missing \(label)")
        }
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 65, "30 runs in the loss and the residual panels, 5 legend markers")
        let tokens = try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", a, "--group-by", "tokens"])
        XCTAssertEqual(tokens.status, 0, tokens.stderr)
        XCTAssertTrue(try wellFormed(a).contains("D = "), "grouped by tokens")
    }

    func testCurveFitDrawnWithContinuationAndAnotherSchedule() throws {
        let fit = temporary("curves.fit.json")
        let f = try CLITests.scalefit(["fit", "Data/curves.csv", "--law", "annealing", "--warmup", "linear", "-o", fit])
        XCTAssertEqual(f.status, 0, f.stderr)
        let out = temporary("curves.svg")
        let r = try CLITests.scalefit(["plot", fit, "Data/curves.csv", "-o", out, "--warmup", "linear", "--until", "6000",
                                       "--schedule", "wsd:peak=3e-4,warmup=400,stable=4600,decay=1000,shape=1-sqrt,final=0.1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let svg = try wellFormed(out)
        for label in ["constant", "cosine", "wsd", "given schedule", "prediction", "learning rate", "6k"] {
            XCTAssertTrue(svg.contains(label), "missing \(label)")
        }
        // Three fitted lines, three dashed continuations and the given schedule's prediction.
        XCTAssertEqual(svg.components(separatedBy: "stroke-dasharray").count - 1 >= 4, true)
    }

    func testPlotUsageErrors() throws {
        let missing = try CLITests.scalefit(["plot", "x.json", "Data/runs.csv"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("plot needs -o FIG.svg"), missing.stderr)
        let formula = temporary("formula.fit.json")
        XCTAssertEqual(try CLITests.scalefit(["fit", "Data/runs.csv", "--formula", "E + A*params^-alpha", "--start", "E=1,A=100,alpha=0.3", "-o", formula]).status, 0)
        let other = try CLITests.scalefit(["plot", formula, "Data/runs.csv", "-o", temporary("f.svg")])
        XCTAssertEqual(other.status, 65)
        XCTAssertTrue(other.stderr.contains("holds the formula law"), other.stderr)
    }
}
