import Foundation
import XCTest

/// The exit-status policy for fits that are not sound, and the diagnostics of the fits that
/// have no `Fit<L>` of their own (multilingual, NIST): an unsound fit prints its NOT SOUND
/// line and a warning and exits 0, or 1 under `--strict`; a fit that did not converge is
/// exit 1 either way.
final class SoundnessCLITests: XCTestCase {
    /// The power law on `Data/runs.csv` (D varies, so only A·α is determined): exit 0 with
    /// the warning, exit 1 under --strict with the reason; a sound Kaplan fit is exit 0 under
    /// --strict too.
    func testStrictMakesAnUnsoundFitExitOne() throws {
        let plain = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "power"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("warning: the fit is not sound: a is not identified"), plain.stderr)
        XCTAssertTrue(plain.stdout.contains("NOT SOUND: a is not identified"), plain.stdout)
        let strict = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "power", "--strict"])
        XCTAssertEqual(strict.status, 1, strict.stderr)
        XCTAssertTrue(strict.stderr.hasSuffix("scalefit: the fit is not sound (above), and --strict makes that a failure\n"), strict.stderr)
        XCTAssertEqual(strict.stdout, plain.stdout, "the same report, only the exit status differs")
        let sound = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "kaplan", "--strict"])
        XCTAssertEqual(sound.status, 0, sound.stderr)
        XCTAssertFalse(sound.stderr.contains("not sound"), sound.stderr)
    }

    /// A figure is one more place a fit is shown: an unsound fit's says so under its title
    /// (in red, and in the SVG's <title>), fit --plot and plot alike; a sound fit's does not.
    func testTheFigureOfAnUnsoundFitSaysSo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-soundness-\(getpid())-figures").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let unsound = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "power", "--plot", dir + "/power.svg", "-o", dir + "/power.fit.json"])
        XCTAssertEqual(unsound.status, 0, unsound.stderr)
        let svg = try String(contentsOfFile: dir + "/power.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("fill=\"#b00020\">NOT SOUND: a is not identified"), svg)
        XCTAssertTrue(svg.contains("— NOT SOUND: a is not identified"), "the <title> says it too")
        let redrawn = try CLITests.scalefit(["plot", dir + "/power.fit.json", "Data/runs.csv", "-o", dir + "/power-again.svg"])
        XCTAssertEqual(redrawn.status, 0, redrawn.stderr)
        XCTAssertTrue(try String(contentsOfFile: dir + "/power-again.svg", encoding: .utf8).contains(">NOT SOUND: a is not identified"))
        let sound = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "kaplan", "--plot", dir + "/kaplan.svg"])
        XCTAssertEqual(sound.status, 0, sound.stderr)
        XCTAssertFalse(try String(contentsOfFile: dir + "/kaplan.svg", encoding: .utf8).contains("NOT SOUND"))
    }

    /// Two language families whose token counts span 4%: B and β of a family cannot be told
    /// apart, and the multilingual report names them (in the table, on stderr, in JSON).
    func testMultilingualFitNamesTheParametersItCannotDetermine() throws {
        var text = "run,params,tokens,family,ratio,loss\n"
        var k = 0
        for n in [5e7, 2e8, 8e8] { for d in [1e9, 1.02e9, 1.04e9] { for p in [0.3, 0.5, 0.7] {
            let base = { (e: Double) in e + 400 * pow(n, -0.33) + 410 * pow(d, -0.28) }
            let w = k % 2 == 0 ? 1.001 : 0.999
            text += "m\(k),\(n),\(d),en,\(p),\(base(1.6) * pow(p, -0.1) * w)\n"
            text += "m\(k),\(n),\(d),zh,\(1 - p),\(base(1.9) * pow(1 - p, -0.15) / w)\n"
            k += 1
        } } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-soundness-\(getpid())-narrow.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLITests.scalefit(["fit", path, "--law", "multilingual"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("NOT SOUND: en.B is not identified"), r.stdout)
        XCTAssertTrue(r.stdout.contains("only a combination of en.B and en.beta is determined"), r.stdout)
        XCTAssertTrue(r.stderr.contains("warning: the fit is not sound"), r.stderr)
        let json = try CLITests.scalefit(["fit", path, "--law", "multilingual", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertFalse((object?["diagnostics"] as? [String] ?? []).isEmpty, json.stdout)
        XCTAssertEqual(try CLITests.scalefit(["fit", path, "--law", "multilingual", "--strict"]).status, 1)
    }

    /// NIST StRD files are diagnosed like every fit: ENSO's b8 has a certified standard
    /// error above its value (NIST: 0.212 ± 0.515), so the fit says it is not identified;
    /// Misra1a is clean.
    func testNISTFitsAreDiagnosed() throws {
        let clean = try CLITests.scalefit(["fit", "Data/example.dat"])
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertFalse(clean.stdout.contains("NOT SOUND"), clean.stdout)
        let path = CLITests.root.appendingPathComponent("../shared/data/nist/ENSO.dat").standardized.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is absent (../shared/data is not beside this clone)")
        }
        let enso = try CLITests.scalefit(["fit", path])
        XCTAssertEqual(enso.status, 0, enso.stderr)
        XCTAssertTrue(enso.stdout.contains("NOT SOUND: b8 is not identified by these data (relative standard error 2.4"), enso.stdout)
    }
}
