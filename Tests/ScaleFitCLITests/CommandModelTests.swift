import Foundation
import XCTest
@testable import ScaleFitCLI
import ScaleFit

/// The command model in-process: parsing by the declarations, typed values, refusals,
/// generated help and the output sinks, each compared exactly.
final class CommandModelTests: XCTestCase {
    static let count = Option<Int>(OptionDeclaration("count", value: "N", help: "how many", laws: [.chinchilla])) {
        guard let n = Int($0) else { throw UsageError(message: "--count: expected an integer, found \"\($0)\"") }
        return n
    }
    static let at = Option<String>(OptionDeclaration("at", value: "X", arity: .repeatable, help: "a point"))
    static let verbose = Flag("verbose", help: "say more", laws: [.power, .kaplan])
    static let declarations = [count.declaration, at.declaration, verbose.declaration, OutputOptions.output.declaration]

    func parse(_ args: [String]) throws -> ParsedArguments { try ParsedArguments(args, declarations: Self.declarations) }

    func usageError(_ args: [String]) -> String? {
        do { _ = try parse(args).checkValues(); return nil } catch let e as UsageError { return e.message } catch { return "\(error)" }
    }

    /// The command line's typed laws are the registry's and NIST's, no more and no fewer, and
    /// `fit --law` takes every registry law but the formula (given by --formula).
    func testTheCommandLinesLawsAreTheRegistrys() throws {
        XCTAssertEqual(Set(FitLaw.allCases.map(\.rawValue)), Set(LawRegistry.identifiers + ["nist"]))
        for name in LawRegistry.identifiers where name != "formula" {
            XCTAssertEqual(try FitCommand.law.parse(name), FitLaw(rawValue: name), name)
        }
        XCTAssertThrowsError(try FitCommand.law.parse("formula"))
    }

    func testBothSpellingsShortNamesRepeatsAndPositionals() throws {
        let a = try parse(["file.csv", "--count=3", "-o", "out.json", "--at", "N=1", "--at=D=2", "--verbose", "--count", "4"])
        XCTAssertEqual(a.positionals, ["file.csv"])
        XCTAssertEqual(try a.value(Self.count), 4, "the last value wins")
        XCTAssertEqual(try a.values(Self.at), ["N=1", "D=2"])
        XCTAssertTrue(a.has(Self.verbose))
        XCTAssertEqual(a.text(OutputOptions.output), "out.json")
        XCTAssertEqual(a.spelling(OutputOptions.output.declaration), "-o")
        XCTAssertEqual(a.given.map(\.name), ["count", "output", "at", "verbose"])
        XCTAssertEqual(try parse(["-1.5"]).positionals, ["-1.5"], "a negative number is a positional")
    }

    func testUnknownFlagsSuggestTheNearestOfThisCommand() {
        XCTAssertEqual(usageError(["--cont", "3"]), "unknown option '--cont'; did you mean '--count'?")
        XCTAssertEqual(usageError(["--zzzzzzzz"]), "unknown option '--zzzzzzzz'")
        XCTAssertEqual(usageError(["-x"]), "unknown option '-x'")
        XCTAssertEqual(usageError(["--count"]), "option '--count' needs a value")
        XCTAssertEqual(usageError(["--verbose=yes"]), "option '--verbose' takes no value")
        XCTAssertEqual(usageError(["--count", "many"]), "--count: expected an integer, found \"many\"")
    }

    func testAnOptionOutsideItsLawsIsRefusedNamingBoth() throws {
        let a = try parse(["--verbose", "--count", "2"])
        XCTAssertThrowsError(try a.checkApplicability(to: .chinchilla)) {
            XCTAssertEqual($0 as? UsageError, UsageError(message: "--verbose does not apply to the chinchilla law (it applies to: power, kaplan)"))
        }
        XCTAssertThrowsError(try a.checkApplicability(to: .power)) {
            XCTAssertEqual($0 as? UsageError, UsageError(message: "--count does not apply to the power law (it applies to: chinchilla)"))
        }
        XCTAssertNoThrow(try parse(["--at", "x", "-o", "f"]).checkApplicability(to: .nist))
    }

    func testHelpIsGeneratedFromTheDeclarations() {
        let spec = CommandSpec(name: "demo", usage: ["FILE [--count N]", " [--verbose]"], discussion: "Does a demo.",
                               arguments: [("FILE", "the input")], groups: [("options", Self.declarations)])
        XCTAssertEqual(spec.helpText, """
        USAGE: scalefit demo FILE [--count N]
                               [--verbose]

        Does a demo.

        ARGUMENTS:
          FILE                  the input

        OPTIONS:
          --count N             how many [chinchilla]
          --at X                a point
          --verbose             say more [power, kaplan]
          -o, --output FILE     save the fit (versioned JSON) for 'predict', 'optimal' and 'plot'
          -h, --help            show this help

        """)
    }

    func testHelpTwoWaysAndUnknownCommandsInProcess() throws {
        for name in ["fit", "predict", "optimal", "backtest", "plot", "laws", "check-independence"] {
            let a = CommandOutput.capturing(), b = CommandOutput.capturing()
            XCTAssertEqual(ScaleFitCLI.run(["help", name], output: a), 0)
            XCTAssertEqual(ScaleFitCLI.run([name, "--help"], output: b), 0)
            XCTAssertEqual(a.stdout, b.stdout, name)
            XCTAssertTrue(a.stdout.hasPrefix("USAGE: scalefit \(name) "), a.stdout)
            XCTAssertTrue(a.stderr.hasSuffix(""), a.stderr)
        }
        let c = CommandOutput.capturing()
        XCTAssertEqual(ScaleFitCLI.run(["help", "fitt"], output: c), 64)
        XCTAssertTrue(c.stderr.hasSuffix("scalefit: unknown command 'fitt'; did you mean 'fit'?\n"), c.stderr)
    }

    func testBacktestSuggestsItsOwnFlag() throws {
        let r = try CLITests.scalefit(["backtest", "Data/runs.csv", "--holdot", "largest"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.hasSuffix("scalefit: unknown option '--holdot'; did you mean '--holdout'?\n"), r.stderr)
    }

    func testValuesAndDestinationsAreCheckedBeforeAnyWork() throws {
        let bootstrap = try CLITests.scalefit(["fit", "Data/runs.csv", "--bootstrap", "abc"])
        XCTAssertEqual(bootstrap.status, 64)
        XCTAssertTrue(bootstrap.stderr.hasSuffix("scalefit: option '--bootstrap' expects an integer, found \"abc\"\n"), bootstrap.stderr)
        let plot = try CLITests.scalefit(["fit", "Data/runs.csv", "--plot", "/nonexistent/x.svg"])
        XCTAssertEqual(plot.status, 74)
        XCTAssertTrue(plot.stderr.hasSuffix("law: chinchilla (chosen from the columns; --law to choose)\nscalefit: --plot: cannot write /nonexistent/x.svg: no such directory /nonexistent\n"), plot.stderr)
        let output = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "power", "-o", "Data"])
        XCTAssertEqual(output.status, 74)
        XCTAssertTrue(output.stderr.hasSuffix("scalefit: -o: cannot write Data: it is a directory\n"), output.stderr)
        let schedule = try CLITests.scalefit(["fit", "Data/curves.csv", "--law", "annealing", "--schedule", "cosine:peak=1e-3"])
        XCTAssertEqual(schedule.status, 64)
        XCTAssertTrue(schedule.stderr.hasPrefix("scalefit: --schedule"), schedule.stderr)
        let formula = try CLITests.scalefit(["fit", "Data/runs.csv", "--formula", "E + (A"])
        XCTAssertEqual(formula.status, 64)
        XCTAssertTrue(formula.stderr.hasPrefix("scalefit: --formula: expected"), formula.stderr)
        let seed = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "chinchilla", "--seed", "3"])
        XCTAssertEqual(seed.status, 64)
        XCTAssertTrue(seed.stderr.hasSuffix("scalefit: --seed goes with --bootstrap N (the seed of its resamples)\n"), seed.stderr)
    }

    func testTheREADMEFormulaExampleRunsOnTheRunsTable() throws {
        let r = try CLITests.scalefit(["fit", "Data/runs.csv", "--formula", "E + A*N^-alpha + B*D^-beta",
                                       "--start", "E=2,A=400,B=400,alpha=0:1:0.25,beta=0.3", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("\ncolumns: N=\"params\", D=\"tokens\", observed=\"loss\", run=\"run\"\n"), r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("parameter,estimate,std_error,rel_error\nE,"), r.stdout)
        // A name given a start stays a parameter.
        let n = try CLITests.scalefit(["fit", "Data/runs.csv", "--formula", "E + A*N^-alpha", "--start", "E=2,A=400,alpha=0.3,N=1"])
        XCTAssertTrue(n.stderr.contains("observed=\"loss\""), n.stderr)
        XCTAssertFalse(n.stderr.contains("N=\"params\""), n.stderr)
    }
}
