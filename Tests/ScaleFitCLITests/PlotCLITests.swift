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

    /// The power law and Kaplan's: `fit --plot` and `plot` draw the same figure (same bytes),
    /// the power law against its x column with one law line, Kaplan's per D/N (or per D)
    /// with a line per group and no frontier.
    func testPowerAndKaplanFitsDrawn() throws {
        for (law, labels, lines) in [("power", ["runs", "params", "E = 1.74"], 1), ("kaplan", ["D/N = 5", "D/N = 80", "parameters N"], 5)] {
            let fit = temporary("\(law).fit.json"), a = temporary("\(law)-fit.svg"), b = temporary("\(law)-plot.svg")
            let f = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", law, "-o", fit, "--plot", a])
            XCTAssertEqual(f.status, 0, f.stderr)
            let r = try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", b])
            XCTAssertEqual(r.status, 0, r.stderr)
            let fitted = try wellFormed(a), plotted = try wellFormed(b)
            for label in labels {
                XCTAssertTrue(fitted.contains(label), "\(law) fit --plot: missing \(label)")
                XCTAssertTrue(plotted.contains(label), "\(law) plot: missing \(label)")
            }
            XCTAssertFalse(plotted.contains("compute-optimal frontier"), "\(law) has no frontier of its own")
            XCTAssertEqual(fitted.components(separatedBy: "<circle").count - 1, 60 + (law == "power" ? 1 : 5),
                           "\(law): 30 runs in the loss and residual panels and the legend markers")
            XCTAssertEqual(plotted.components(separatedBy: "<polyline").count, fitted.components(separatedBy: "<polyline").count)
            XCTAssertGreaterThanOrEqual(plotted.components(separatedBy: "<polyline").count - 1, lines, "\(law): the law's lines")
        }
        let tokens = try CLITests.scalefit(["plot", temporary("kaplan.fit.json"), "Data/runs.csv", "-o", temporary("k.svg"), "--group-by", "tokens"])
        XCTAssertEqual(tokens.status, 0, tokens.stderr)
        XCTAssertTrue(try wellFormed(temporary("k.svg")).contains("D = "), "grouped by tokens")
        let refused = try CLITests.scalefit(["plot", temporary("power.fit.json"), "Data/runs.csv", "-o", temporary("p.svg"), "--group-by", "tokens"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("--group-by does not apply to the power law"), refused.stderr)
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

    /// `fit --formula … --plot` and `fit FILE.dat --plot`: a formula of one column against it
    /// (log x: N spans 50M to 1.6B), of two as observed against fitted, a NIST problem with
    /// its certified model dashed; well-formed, and the same bytes from the same input.
    func testFormulaAndNISTFitsDrawn() throws {
        let cases: [(name: String, args: [String], labels: [String], polylines: Int)] = [
            ("one", ["Data/runs.csv", "--formula", "E + A*N^-alpha", "--x", "N", "--start", "E=2,A=400,alpha=0.3"],
             ["runs.csv: loss ~ E + A * N^-α", "fitted", "50M", "1B", "fit − obs"], 1),
            ("two", ["Data/runs.csv", "--formula", "E + A*N^-alpha + B*D^-beta", "--start", "E=2,A=400,B=400,alpha=0.3,beta=0.3"],
             ["y = x", "fitted loss", "observed loss"], 1),
            ("nist", ["Data/example.dat"], ["certified values", "fitted", "b1 = 240, b2 = 5.5e-4", "x", "y"], 2),
        ]
        for c in cases {
            let a = temporary("\(c.name)-a.svg"), b = temporary("\(c.name)-b.svg")
            let r = try CLITests.scalefit(["fit"] + c.args + ["--plot", a])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("wrote \(a)"), r.stderr)
            XCTAssertEqual(try CLITests.scalefit(["fit"] + c.args + ["--plot", b]).status, 0)
            let svg = try wellFormed(a)
            XCTAssertEqual(svg, try String(contentsOfFile: b, encoding: .utf8), "\(c.name): same input, same bytes")
            for label in c.labels { XCTAssertTrue(svg.contains(">\(label)<"), "\(c.name): missing \(label)") }
            let points = c.name == "nist" ? 14 : 30
            XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 2 * points + 1, "\(c.name): every point twice, one legend marker")
            XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, c.polylines, c.name)
        }
    }

    func testPlotUsageErrors() throws {
        let missing = try CLITests.scalefit(["plot", "x.json", "Data/runs.csv"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("plot needs -o FIG.svg"), missing.stderr)
        // A file of a law this build does not know is bad data naming the laws it reads.
        let runsFit = temporary("runs-for-unknown.fit.json")
        XCTAssertEqual(try CLITests.scalefit(["fit", "Data/runs.csv", "-o", runsFit]).status, 0)
        let text = try String(contentsOfFile: runsFit, encoding: .utf8)
            .replacingOccurrences(of: "\"law\" : \"chinchilla\"", with: "\"law\" : \"nist\"")
        let unknown = temporary("nist.fit.json")
        try text.write(toFile: unknown, atomically: true, encoding: .utf8)
        let other = try CLITests.scalefit(["plot", unknown, "Data/runs.csv", "-o", temporary("m.svg")])
        XCTAssertEqual(other.status, 65, other.stderr)
        XCTAssertTrue(other.stderr.hasSuffix("law: unknown law \"nist\" (this build reads chinchilla, kaplan, power, annealing, multipower, formula, multilingual, isoflop, envelope)\n"), other.stderr)
    }

    /// `plot FORMULA.fit.json DATA`: the data reread from DATA, the figure the same bytes as
    /// `fit --formula --plot` drew; `--x` names the variables' columns in the fit's order, a
    /// wrong count is a usage error, a missing column bad data.
    func testAFormulaFitFileIsRedrawnOverItsDataAsTheFitDrewIt() throws {
        for (name, formula, start) in [("one", "E + A*N^-alpha", "E=2,A=400,alpha=0.3"),
                                       ("two", "E + A*N^-alpha + B*D^-beta", "E=2,A=400,B=400,alpha=0.3,beta=0.3")] {
            let fit = temporary("\(name).formula.fit.json"), drawn = temporary("\(name)-fit.svg"), again = temporary("\(name)-plot.svg")
            let made = try CLITests.scalefit(["fit", "Data/runs.csv", "--formula", formula, "--start", start, "-o", fit, "--plot", drawn])
            XCTAssertEqual(made.status, 0, made.stderr)
            let r = try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", again])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stderr, "columns: N=\"params\"" + (name == "two" ? ", D=\"tokens\"" : "") + ", observed=\"loss\"\nwrote \(again)\n")
            XCTAssertEqual(try wellFormed(again), try String(contentsOfFile: drawn, encoding: .utf8), "\(name): the fit's own figure")
        }
        let fit = temporary("one.formula.fit.json"), svg = temporary("x.svg")
        let byX = try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", svg, "--x", "tokens"])
        XCTAssertEqual(byX.status, 0, byX.stderr)
        XCTAssertTrue(byX.stderr.hasPrefix("columns: N=\"tokens\", observed=\"loss\"\n"), byX.stderr)
        let count = try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", svg, "--x", "params,tokens"])
        XCTAssertEqual(count.status, 64)
        XCTAssertEqual(count.stderr, "scalefit: --x: expected 1 column for the formula's variables (N), found \"params,tokens\"\n")
        let missing = try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", svg, "--x", "width"])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.stderr.contains("width"), missing.stderr)
        let refused = try CLITests.scalefit(["plot", fit, "Data/runs.csv", "-o", svg, "--group-by", "tokens"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.hasSuffix("scalefit: --group-by does not apply to the formula law (it applies to: chinchilla, kaplan)\n"), refused.stderr)
    }

    func testAllocationFitFilesAreRefusedWithTheWayToTheirFigure() throws {
        // The file keeps k·C^a and its draws, not the parabolas or the envelope: plot refuses it
        // (it would have to refit the data) and names `fit --plot`, which draws the figure.
        for (law, args, first) in [("isoflop", [LawFlagTableTests.isoflopRuns], "parabolas"),
                                   ("envelope", [LawFlagTableTests.envelopeCurves, "--tokens-per-step", "2048"], "envelope")] {
            let fit = temporary("\(law).fit.json"), svg = temporary("\(law)-plot.svg")
            let made = try CLITests.scalefit(["fit"] + args + ["--law", law, "--bootstrap", "10", "-o", fit, "--plot", svg])
            XCTAssertEqual(made.status, 0, made.stderr)
            let figure = try wellFormed(svg)
            XCTAssertTrue(figure.contains(">compute C (FLOPs)</text>"), law)
            let r = try CLITests.scalefit(["plot", fit, args[0], "-o", temporary("\(law)-again.svg")])
            XCTAssertEqual(r.status, 65)
            XCTAssertEqual(r.stderr, "scalefit: \(fit): plot cannot redraw an \(law) fit: the file keeps the fitted N_opt = k*C^a and its bootstrap, not the per-budget \(first) the figure shows; 'scalefit fit DATA --law \(law) --plot FIG.svg' draws it\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: temporary("\(law)-again.svg")))
        }
    }
}
