import Foundation
import XCTest
@testable import ScaleFit

/// Hostile input, seeded: random bytes and mutations of valid files through every reader.
/// Each outcome must be a table or a `ScaleFitError` (a crash fails the whole run), and the
/// same seed gives the same outcomes. The long version is `Scripts/fuzz-readers.sh`.
final class ReaderRobustnessTests: XCTestCase {
    /// SplitMix64 (Steele et al. 2014): a tiny seeded generator, so the inputs never change.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D1_33EB_2311_EB49
            return z ^ (z >> 31)
        }
    }

    private static let seeds: [String] = [
        "step,lr,loss\n1,3e-4,4.1\n2,3e-4,\n3,2e-4,nan\n",
        "\u{FEFF}# c\r\nname,\"N\",loss\r\n\"a,\"\"q\"\"\nb\",70M,1.3B\r\n\r\nx,1.4T,inf\n",
        "Step,\"a - loss\",\"a - loss__MIN\",\"b - loss\"\n1,2,1,3\n2,,,2.5\n",
        "{\"step\": 1, \"loss\": 3.5, \"eval\": {\"loss\": [1, 2e5, null]}, \"ok\": true}\n{\"run\": \"a\\u00e9\\\"\"}\n",
        "{\"log_history\": [{\"loss\": 2.3, \"step\": 10}, {\"eval_loss\": NaN, \"step\": -Infinity}], \"x\": {}}",
    ]
    private static let interesting: [UInt8] = Array(",\"\n\r#{}[]:\\ .-+eE0123456789nulltrueNaNInfinityKMBT\u{FEFF}".utf8)

    private func input(_ rng: inout SplitMix64) -> [UInt8] {
        if rng.next() % 4 == 0 {
            let count = Int(rng.next() % 64)
            return (0..<count).map { _ in rng.next() % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next())
                                                             : Self.interesting.randomElement(using: &rng)! }
        }
        var bytes = Array(Self.seeds.randomElement(using: &rng)!.utf8)
        for _ in 0...(rng.next() % 6) {
            let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 5 {
            case 0 where !bytes.isEmpty: bytes.remove(at: position)
            case 1: bytes.insert(Self.interesting.randomElement(using: &rng)!, at: position)
            case 2 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            case 3: bytes = Array(bytes.prefix(position))
            default:
                let other = Array(Self.seeds.randomElement(using: &rng)!.utf8)
                bytes.insert(contentsOf: other.prefix(Int(rng.next() % 24)), at: position)
            }
        }
        return bytes
    }

    /// A short fingerprint of an outcome, to check determinism.
    private func outcome(_ bytes: [UInt8], format: RunTableFormat, chunkSize: Int) -> String {
        do {
            let table = try RunTableReader.read(data: Data(bytes), fileName: "fuzz", format: format, chunkSize: chunkSize)
            XCTAssertGreaterThan(table.rowCount, 0)
            // Exercise what consumers do next: roles, grouping, dropping.
            let mapping = try ColumnMapping.detect(in: table)
            _ = try table.groups(by: table.columnNames[0])
            _ = try table.usableRows(numericColumns: Array(table.columnNames.prefix(2)),
                                     optionalColumns: Array(table.columnNames.dropFirst(2).prefix(1)))
            return "table \(table.rowCount)x\(table.columns.count) \(mapping)"
        } catch let error as ScaleFitError {
            XCTAssertEqual(error.exitCode, 65)
            return "error \(error)"
        } catch {
            XCTFail("not a ScaleFitError: \(error)")
            return "bad"
        }
    }

    func testTwentyThousandSeededHostileInputs() {
        var rng = SplitMix64(state: 20_240_611)
        var tables = 0
        var errors = 0
        var digest: [String] = []
        for index in 0..<20_000 {
            let bytes = input(&rng)
            let format = RunTableFormat.allCases[index % RunTableFormat.allCases.count]
            let chunkSize = [1, 2, 7, 1 << 20][Int(rng.next() % 4)]
            let result = outcome(bytes, format: format, chunkSize: chunkSize)
            if result.hasPrefix("table") { tables += 1 } else { errors += 1 }
            if index % 1000 == 0 { digest.append(result) }
        }
        XCTAssertEqual(tables + errors, 20_000)
        // Both outcomes occur, so the mutations reach past the first byte.
        XCTAssertGreaterThan(tables, 500)
        XCTAssertGreaterThan(errors, 1000)
        // Determinism: the same seed replays to the same outcomes.
        var replay = SplitMix64(state: 20_240_611)
        for index in 0..<2001 {
            let bytes = input(&replay)
            let format = RunTableFormat.allCases[index % RunTableFormat.allCases.count]
            let chunkSize = [1, 2, 7, 1 << 20][Int(replay.next() % 4)]
            let result = outcome(bytes, format: format, chunkSize: chunkSize)
            if index % 1000 == 0 { XCTAssertEqual(result, digest[index / 1000]) }
        }
    }

    func testChunkSizeNeverChangesTheOutcome() {
        var rng = SplitMix64(state: 7)
        for index in 0..<500 {
            let bytes = input(&rng)
            let format = RunTableFormat.allCases[index % RunTableFormat.allCases.count]
            XCTAssertEqual(outcome(bytes, format: format, chunkSize: 1), outcome(bytes, format: format, chunkSize: 1 << 20))
        }
    }
}
