import Foundation
import XCTest
import ScaleFit
@testable import ScaleFitCLI

/// The library names its arguments and options; the command line reports its flags
/// (`ArgumentFlags`). And data strings on stderr and in CSV cannot forge lines or carry
/// control characters (`CommandOutput.note`, `TextTable.csvField`).
final class MessageNamingTests: XCTestCase {
    func testLibraryArgumentNamesBecomeTheFlagsThatGiveThem() {
        XCTAssertEqual(ArgumentFlags.naming(.badArgument(flag: "minRatio", position: 0, expected: "a ratio", found: "2")),
                       .badArgument(flag: "--min-ratio", position: 0, expected: "a ratio", found: "2"))
        XCTAssertEqual(ArgumentFlags.naming(.badArgument(flag: "mix", position: 0, expected: "a family", found: "xx")),
                       .badArgument(flag: "--current", position: 0, expected: "a family", found: "xx"))
        XCTAssertEqual(ArgumentFlags.naming(.badArgument(flag: "my option", position: 0, expected: "x", found: "y")),
                       .badArgument(flag: "my option", position: 0, expected: "x", found: "y"))
        XCTAssertEqual(ArgumentFlags.naming(.invalidData(file: "c.csv", reason: "drop them (LogReadOptions.minStep) or give the warmup (LoggedSchedule.Before.linearFromZero)")),
                       .invalidData(file: "c.csv", reason: "drop them (--min-step) or give the warmup (--warmup linear)"))
        XCTAssertEqual(ArgumentFlags.naming(.missingColumn(file: "c.csv", name: "lr (learning_rate), or give a schedule (the schedules argument)", available: ["step"])),
                       .missingColumn(file: "c.csv", name: "lr (learning_rate), or give --schedule", available: ["step"]))
    }

    /// No library error text names a flag of the command line.
    func testTheLibraryNamesNoFlag() throws {
        let wrongFormat = #"{"history": [{"step": 1, "loss": 2.0}]}"#
        XCTAssertThrowsError(try LogReader.read(data: Data(wrongFormat.utf8), fileName: "run.json",
                                                options: LogReadOptions(format: .trainerState))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("LogReadOptions.format names another format"), text)
            XCTAssertFalse(text.contains("--"), text)
        }
        XCTAssertThrowsError(try LRSchedule(spec: "cosine:peak=1")) { error in
            guard case let .badArgument(flag, _, _, _)? = error as? ScaleFitError else { return XCTFail("\(error)") }
            XCTAssertEqual(flag, "spec")
        }
    }

    func testTheCommandLineNamesItsFlagsWhereTheLibraryNamesOptions() throws {
        let path = HostileInputTests.write(#"{"history": [{"step": 1, "loss": 2.0}]}"#, "naming-run.json")
        let r = try CLITests.scalefit(["fit", path, "--input-format", "trainer_state"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("(a W&B run dump has \"history\"; --input-format names another format)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("LogReadOptions"), r.stderr)
    }

    func testAnEmptyTrainerLogSaysSoInPlainWords() throws {
        let path = HostileInputTests.write(#"{"global_step": 0, "log_history": [], "max_steps": 100}"#, "trainer_state.json")
        let r = try CLITests.scalefit(["fit", path])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertEqual(r.stderr, "scalefit: \(path): log_history is empty: the trainer logged nothing\n")
    }

    /// A newline in a cell cannot start a line of its own on stderr, and a control
    /// character in a run name does not reach CSV on stdout raw.
    func testDataStringsStayOnOneLineOnStderrAndEscapedInCSV() throws {
        let log = HostileInputTests.write("step,loss,lr\n1,3.0,1e-3\n2,\"oops\nscalefit: forged\",1e-3\n3,2.5,1e-3\n4,2.4,1e-3\n", "forge.csv")
        let r = try CLITests.scalefit(["fit", log, "--law", "annealing"])
        XCTAssertTrue(r.stderr.contains("loss=\"oops\\u{A}scalefit: forged\""), r.stderr)
        XCTAssertFalse(r.stderr.split(separator: "\n").contains { $0.hasPrefix("scalefit: forged") }, r.stderr)

        let curves = try String(contentsOfFile: CLITests.root.appendingPathComponent("Data/curves.csv").path, encoding: .utf8)
            .replacingOccurrences(of: "\nconstant,", with: "\n\"\u{1B}[31mred\",")
            .replacingOccurrences(of: "\ncosine,", with: "\nctl\u{1},")
            .replacingOccurrences(of: "\nwsd,", with: "\n\"new\nline\",")
        let csv = try CLITests.scalefit(["fit", HostileInputTests.write(curves, "evil-curves.csv"), "--law", "annealing",
                                         "--format", "csv", "--residuals"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertFalse(csv.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, csv.stdout)
        XCTAssertTrue(csv.stdout.contains("\n\\u{1B}[31mred,2,400,"), csv.stdout)
        XCTAssertTrue(csv.stdout.contains("\nctl\\u{1},74,400,"), csv.stdout)
        // A newline is data that a quoted CSV field holds (RFC 4180).
        XCTAssertTrue(csv.stdout.contains("\n\"new\nline\",146,400,"), csv.stdout)
    }
}
