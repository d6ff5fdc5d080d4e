import Foundation
import XCTest
import ScaleFitCLI

/// The command line in-process (`ScaleFitCLI.run` with a capturing output), and a few tests
/// that run the built `scalefit` binary with `Process` and check stdout, stderr and the exit
/// status, as swift-argument-parser's own CLI tests do.
final class CLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Outcome { let status: Int32; let stdout: String; let stderr: String }

    func scalefit(_ args: [String]) throws -> Outcome { try Self.scalefit(args) }

    /// Runs one command line in-process, from the repository's root (as the binary tests do).
    static func scalefit(_ args: [String]) throws -> Outcome {
        _ = FileManager.default.changeCurrentDirectoryPath(root.path)
        let out = CommandOutput.capturing()
        let status = ScaleFitCLI.run(args, output: out)
        return Outcome(status: status, stdout: out.stdout, stderr: out.stderr)
    }

    func binary(_ args: [String], stdin: String? = nil, stdout: FileHandle? = nil) throws -> Outcome {
        try Self.binary(args, stdin: stdin, stdout: stdout)
    }

    /// Runs the built `scalefit` with `Process`: `stdin` is fed to its standard input, and
    /// `stdout` (when given) replaces the pipe its standard output goes to.
    static func binary(_ args: [String], stdin: String? = nil, stdout: FileHandle? = nil) throws -> Outcome {
        // The test bundle sits in the same build folder as the executables.
        let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent()
        var candidates = [bundleDir.appendingPathComponent("scalefit"),
                          Bundle.main.bundleURL.appendingPathComponent("scalefit")]
        for config in ["debug", "release"] {
            candidates.append(root.appendingPathComponent(".build/\(config)/scalefit"))
        }
        // The release build wins when there is one: Scripts/test.sh builds it just before the
        // tests, and the 4500-start fits are ~30x faster there than in debug.
        candidates.insert(root.appendingPathComponent(".build/release/scalefit"), at: 0)
        guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("the scalefit binary was not built (looked in \(candidates.map(\.path)))")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = root
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = stdout ?? out
        p.standardError = err
        if stdin != nil { p.standardInput = input }
        try p.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        if stdout != nil { try out.fileHandleForWriting.close() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                       stderr: String(decoding: e, as: UTF8.self))
    }

    func testMainJobFitsTheExample() throws {
        let r = try binary(["fit", "Data/example.dat"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("converged"), r.stdout)
        XCTAssertTrue(r.stdout.contains("b1") && r.stdout.contains("b2"), r.stdout)
        XCTAssertTrue(r.stdout.contains("239.97324"), r.stdout)
        XCTAssertTrue(r.stdout.contains("residual_sum_of_squares"), r.stdout)
        XCTAssertTrue(r.stdout.contains("observed"), "residual table missing")
    }

    func testOutputIsDeterministic() throws {
        let a = try scalefit(["fit", "Data/example.dat", "--format", "json"])
        let b = try scalefit(["fit", "Data/example.dat", "--format", "json"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["problem"] as? String, "Misra1a")
        XCTAssertEqual((json?["parameters"] as? [[String: Any]])?.count, 2)
    }

    func testCSVAndMarkdownFormats() throws {
        let csv = try scalefit(["fit", "Data/example.dat", "--format=csv"])
        XCTAssertEqual(csv.status, 0)
        XCTAssertTrue(csv.stdout.hasPrefix("parameter,estimate,std_error,rel_error\nb1,"), csv.stdout)
        let md = try scalefit(["fit", "Data/example.dat", "--format", "markdown"])
        XCTAssertTrue(md.stdout.contains("| parameter | estimate |"), md.stdout)
    }

    func testHelpIsTheSameBothWays() throws {
        let a = try binary(["help", "fit"])
        let b = try binary(["fit", "--help"])
        XCTAssertEqual(a.status, 0)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertTrue(a.stdout.hasPrefix("USAGE: scalefit fit"))
    }

    func testUnknownFlagSuggestsTheNearestAndExits64() throws {
        let r = try binary(["fit", "Data/example.dat", "--formt", "json"])
        XCTAssertEqual(r.status, 64)
        XCTAssertEqual(r.stderr, "scalefit: unknown option '--formt'; did you mean '--format'?\n")
        XCTAssertEqual(r.stdout, "")
    }

    func testUnknownCommandAndBadValuesExit64() throws {
        let c = try scalefit(["fitt", "x"])
        XCTAssertEqual(c.status, 64)
        XCTAssertTrue(c.stderr.hasPrefix("scalefit: unknown command 'fitt'; did you mean 'fit'?"), c.stderr)
        let l = try scalefit(["fit", "Data/example.dat", "--loss", "huber"])
        XCTAssertEqual(l.status, 64)
        XCTAssertTrue(l.stderr.contains("--loss: expected a scale after 'huber:'"), l.stderr)
        let f = try scalefit(["fit", "Data/example.dat", "--format", "xml"])
        XCTAssertEqual(f.status, 64)
        let none = try scalefit(["fit"])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("missing data file"))
    }

    func testAFullStdoutIsExit74NamingIt() throws {
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let r = try binary(["laws"], stdout: full)
        XCTAssertEqual(r.status, 74)
        XCTAssertEqual(r.stderr, "scalefit: cannot write <stdout>: No space left on device\n")
    }

    func testStandardInputIsReadOnceWithTheLawChosenFromItsColumns() throws {
        let runs = try String(contentsOf: Self.root.appendingPathComponent("Data/runs.csv"), encoding: .utf8)
        let piped = try binary(["fit", "/dev/stdin", "--law", "auto", "--x", "params", "--format", "csv", "--formula", "E + A*params^-alpha",
                                "--start", "E=1,A=100,alpha=0.3"], stdin: runs)
        let file = try binary(["fit", "Data/runs.csv", "--x", "params", "--format", "csv", "--formula", "E + A*params^-alpha",
                               "--start", "E=1,A=100,alpha=0.3"])
        XCTAssertEqual(piped.status, 64, "--law does not go with --formula")
        XCTAssertEqual(piped.stderr, "scalefit: --law does not apply to the formula law (it applies to: chinchilla, power, kaplan, annealing, multipower, multilingual, isoflop, envelope)\n")
        XCTAssertEqual(file.status, 0, file.stderr)
        let auto = try binary(["fit", "/dev/stdin", "--law", "power", "--format", "csv"], stdin: runs)
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertEqual(auto.stdout, try binary(["fit", "Data/runs.csv", "--law", "power", "--format", "csv"]).stdout)
        XCTAssertTrue(auto.stdout.hasPrefix("parameter,estimate,std_error\nE,"), auto.stdout)
        let curves = try String(contentsOf: Self.root.appendingPathComponent("Data/multilingual.csv"), encoding: .utf8)
        let detected = try binary(["fit", "/dev/stdin", "--compute-budget", "1e22"], stdin: curves)
        XCTAssertEqual(detected.status, 64)
        XCTAssertTrue(detected.stderr.hasPrefix("/dev/stdin: csv, 198 runs"), detected.stderr)
        XCTAssertTrue(detected.stderr.hasSuffix("law: multilingual (chosen from the columns; --law to choose)\n"
                       + "scalefit: --compute-budget does not apply to the multilingual law (it applies to: chinchilla, isoflop, envelope)\n"), detected.stderr)
        XCTAssertEqual(detected.stdout, "")
    }

    func testBadDataNamesTheFileAndExits65() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("broken.dat")
        var text = try String(contentsOf: Self.root.appendingPathComponent("Data/example.dat"), encoding: .utf8)
        text = text.replacingOccurrences(of: "      10.2766      80.0", with: "      10.2x66      80.0")
        try text.write(to: bad, atomically: true, encoding: .utf8)
        let r = try binary(["fit", bad.path])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("broken.dat:61:"), r.stderr)
        let missing = try binary(["fit", dir.appendingPathComponent("nope.dat").path])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.stderr.contains("nope.dat: no such file"), missing.stderr)
    }
}

final class FitTableCLITests: XCTestCase {
    func run(_ args: [String]) throws -> CLITests.Outcome { try CLITests.scalefit(args) }

    func testMainJobFitsChinchillaOnTheRunsExample() throws {
        let r = try run(["fit", "Data/runs.csv", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("columns: params=\"params\", tokens=\"tokens\", loss=\"loss\", run=\"run\""), r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let fit = json?["fit"] as? [String: Any]
        let params = fit?["parameters"] as? [[String: Any]]
        let alpha = params?.first { $0["name"] as? String == "alpha" }?["estimate"] as? Double
        XCTAssertEqual(alpha ?? 0, 0.34, accuracy: 0.03, "Data/runs.csv is generated with alpha = 0.34")
        XCTAssertEqual((fit?["runs"] as? [Any])?.count, 30)
        let again = try run(["fit", "Data/runs.csv", "--format", "json"])
        XCTAssertEqual(again.stdout, r.stdout, "same input, same bytes")
    }

    func testDroppedRowsAreReportedAndStrictRefusesThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-cli-t-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var text = try String(contentsOf: CLITests.root.appendingPathComponent("Data/runs.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: "n50M-r10,50000000,500000000,4.16207", with: "n50M-r10,50000000,500000000,nan")
        let file = dir.appendingPathComponent("runs.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try run(["fit", file.path, "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("dropped 1 row: line 3 loss=\"nan\""), r.stderr)
        let s = try run(["fit", file.path, "--strict"])
        XCTAssertEqual(s.status, 65, s.stderr)
        XCTAssertTrue(s.stderr.contains("runs.csv: 1 row would be dropped (line 3 loss=\"nan\")"), s.stderr)
    }

    func testMissingColumnIsADataError() throws {
        let r = try run(["fit", "Data/runs.csv", "--y", "val_loss"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("no column \"val_loss\""), r.stderr)
        let law = try run(["fit", "Data/runs.csv", "--law", "chinchila"])
        XCTAssertEqual(law.status, 64)
        XCTAssertTrue(law.stderr.contains("did you mean 'chinchilla'?"), law.stderr)
    }
}

final class PredictCLITests: XCTestCase {
    func testFitSavePredictAndOptimal() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-cli-p-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fitFile = dir.appendingPathComponent("runs.fit.json").path
        let fit = try CLITests.scalefit(["fit", "Data/runs.csv", "-o", fitFile, "--format", "csv"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stderr.contains("wrote \(fitFile)"), fit.stderr)
        let p = try CLITests.scalefit(["predict", fitFile, "--params", "7e10,70B", "--tokens", "1.4T", "--format", "csv"])
        XCTAssertEqual(p.status, 0, p.stderr)
        let lines = p.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "params,tokens,loss,lower95,upper95,mean_lower95,mean_upper95")
        XCTAssertEqual(lines.count, 3)
        // The prediction interval (noise from the fit file) contains the confidence band, and stderr says which is which.
        let cells = lines[1].split(separator: ",").compactMap { Double($0) }
        XCTAssertTrue(cells[3] < cells[5] && cells[5] < cells[2] && cells[2] < cells[6] && cells[6] < cells[4], "\(cells)")
        XCTAssertTrue(p.stderr.contains("lower95/upper95: 95% prediction interval for an observed value"), p.stderr)
        XCTAssertTrue(fit.stderr.contains("prediction noise: σ = "), fit.stderr)
        XCTAssertTrue(try String(contentsOfFile: fitFile, encoding: .utf8).contains("\"noise\""))
        XCTAssertEqual(lines[1], lines[2], "7e10 and 70B are the same size")
        let o = try CLITests.scalefit(["optimal", fitFile, "--compute", "5.76e23", "--format", "json"])
        XCTAssertEqual(o.status, 0, o.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(rows?.count, 1)
        XCTAssertNotNil(rows?.first?["tokensPerParameter"] as? Double)
    }

    func testPredictErrors() throws {
        let bad = try CLITests.scalefit(["predict", "Data/runs.csv", "--params", "1e9", "--tokens", "1e10"])
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.contains("not a scalefit fit file"), bad.stderr)
        let flag = try CLITests.scalefit(["predict", "x.json", "--params", "1e9,abc", "--tokens", "1e10"])
        XCTAssertEqual(flag.status, 64)
        XCTAssertTrue(flag.stderr.contains("--params: expected a positive number (e.g. 7e10 or 70B) at 5, found \"abc\""), flag.stderr)
        let missing = try CLITests.scalefit(["predict", "x.json", "--params", "1e9"])
        XCTAssertEqual(missing.status, 64)
    }
}

final class BootstrapCLITests: XCTestCase {
    func testBootstrapIsSeededAndPrinted() throws {
        let a = try CLITests.scalefit(["fit", "Data/runs.csv", "--bootstrap", "40", "--seed", "3", "--format", "json"])
        let b = try CLITests.scalefit(["fit", "Data/runs.csv", "--bootstrap", "40", "--seed", "3", "--format", "json"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout, "same seed, same bytes")
        let json = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any]
        let boot = json?["bootstrap"] as? [String: Any]
        XCTAssertEqual(boot?["samples"] as? Int, 40)
        XCTAssertEqual((boot?["intervals"] as? [Any])?.count, 9)
        let bad = try CLITests.scalefit(["fit", "Data/runs.csv", "--bootstrap", "3"])
        XCTAssertEqual(bad.status, 64)
        // The fit file keeps the bootstrap's summary.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("boot-\(ProcessInfo.processInfo.processIdentifier).fit.json").path
        let saved = try CLITests.scalefit(["fit", "Data/runs.csv", "--bootstrap", "40", "--seed", "3", "-o", out])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let kept = file?["bootstrap"] as? [String: Any]
        XCTAssertEqual(kept?["samples"] as? Int, 40)
        XCTAssertEqual(kept?["seed"] as? Int, 3)
        XCTAssertEqual((kept?["intervals"] as? [Any])?.count, 9)
    }
}

final class LawsCLITests: XCTestCase {
    func testLawsListsEveryLawWithItsFormula() throws {
        let r = try CLITests.scalefit(["laws", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("law,formula,cli,reference\n"), r.stdout)
        for law in ["chinchilla", "kaplan", "power", "annealing", "multipower"] {
            XCTAssertTrue(r.stdout.contains("\n\(law),"), "missing \(law)")
        }
        XCTAssertTrue(r.stdout.contains("E + A/N^alpha + B/D^beta"))
        let help = try CLITests.scalefit(["help", "laws"])
        XCTAssertEqual(help.stdout, try CLITests.scalefit(["laws", "--help"]).stdout)
    }
}
