import Foundation
import XCTest
import ScaleFit
@testable import ScaleFitCLI

/// The short, seeded version of the `arguments` fuzz target (`Scripts/fuzz-readers.sh`):
/// random command lines of flags, values and stray words, each parsed by a subcommand's
/// declarations, every value checked and the combinations validated. Each must end in a
/// usage, data or output error or pass; anything else (or a trap) is a bug.
final class ArgumentFuzzTests: XCTestCase {
    static let words = [
        "--law", "chinchilla", "annealing", "--steps", "0:200000:10", "9223372036854775807", "--schedule",
        "cosine:peak=3e-4,total=100", "wsd:peak=1", "--bootstrap", "abc", "1e309", "--seed", "-0", "--format", "csv",
        "--start", "alpha=0:1:1e-20", "--bounds", "a=2:1", "--x", "N", "--formula", "E + A*N^-", "--min-step", "nan",
        "--max-step=", "--runs", ",", "--y", "eval_loss", "--input-format", "hf", "--strict", "--help", "-o", "-", "-x",
        "--unknown", "--steps=", "=", "", "runs.csv", "\u{1B}[31m", "--until", "inf", "--holdout", "largest:0",
        "--weights", "en=1,en=2", "--current", "x=2", "--compute", "1e24", "--mix", "--peak", "-1", "--warmup", "linear",
    ]

    func testRandomCommandLinesEndInANamedError() throws {
        var g = SeededGenerator(seed: 16)
        var outcomes: [String: Int] = [:]
        for _ in 0..<3000 {
            let command = ScaleFitCLI.subcommands[Int(g.next() % UInt64(ScaleFitCLI.subcommands.count))].type
            let words = (0..<Int(g.next() % 9)).map { _ in Self.words[Int(g.next() % UInt64(Self.words.count))] }
            do {
                let args = try ParsedArguments(words, declarations: command.spec.declarations)
                if args.help { XCTAssertFalse(command.spec.helpText.isEmpty); continue }
                try args.checkValues()
                try command.validate(args)
                outcomes["passed", default: 0] += 1
            } catch is UsageError {
                outcomes["usage", default: 0] += 1
            } catch let error as ScaleFitError {
                XCTAssertEqual(error.exitCode, 64, "\(words): \(error)")
                outcomes["badArgument", default: 0] += 1
            } catch is OutputError {
                outcomes["output", default: 0] += 1
            } catch {
                XCTFail("\(command.spec.name) \(words): not a usage, data or output error: \(error)")
            }
        }
        // Every kind of ending is reached, so the generator explores beyond the first flag.
        XCTAssertGreaterThan(outcomes["passed", default: 0], 100, "\(outcomes)")
        XCTAssertGreaterThan(outcomes["usage", default: 0], 100, "\(outcomes)")
        XCTAssertGreaterThan(outcomes["badArgument", default: 0], 10, "\(outcomes)")
    }
}
