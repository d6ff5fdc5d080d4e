import Foundation
import XCTest
@testable import ScaleFit

/// Every reader error: the exact `ScaleFitError` value (file, line, column, what was
/// expected), its message, and exit status 65.
final class ReaderErrorTests: XCTestCase {
    private func assertError(_ text: String, fileName: String = "t.csv", format: RunTableFormat? = nil,
                             _ expected: ScaleFitError, message: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        for chunkSize in [1, 3, 1 << 20] {
            do {
                let table = try RunTableReader.read(data: Data(text.utf8), fileName: fileName, format: format,
                                                    chunkSize: chunkSize)
                XCTFail("expected \(expected), read \(table.rowCount) rows", file: file, line: line)
            } catch let error as ScaleFitError {
                XCTAssertEqual(error, expected, "chunk size \(chunkSize)", file: file, line: line)
                XCTAssertEqual(error.exitCode, 65, file: file, line: line)
                if let message { XCTAssertEqual(error.description, message, file: file, line: line) }
            } catch {
                XCTFail("not a ScaleFitError: \(error)", file: file, line: line)
            }
        }
    }

    // MARK: CSV

    func testEmptyFile() {
        assertError("", .emptyFile(file: "t.csv"), message: "t.csv: the file is empty")
        assertError("\u{FEFF}\n  \r\n# only a comment\n", .emptyFile(file: "t.csv"))
    }

    func testHeaderOnly() {
        assertError("step,loss\n", .headerOnly(file: "t.csv"), message: "t.csv: the file has a header but no data rows")
        assertError("step,loss\n\n# nothing logged\n", .headerOnly(file: "t.csv"))
    }

    func testDuplicateColumn() {
        assertError("step,loss,step\n1,2,3\n", .duplicateColumn(file: "t.csv", line: 1, column: 11, name: "step"),
                    message: "t.csv:1:11: duplicate column name \"step\"")
    }

    func testUnterminatedQuote() {
        assertError("name,loss\n\"a,1\n2,3\n", .badValue(file: "t.csv", line: 2, column: 1,
                                                        expected: "a closing quote for the field opened here",
                                                        found: "the end of the file"),
                    message: "t.csv:2:1: expected a closing quote for the field opened here, found \"the end of the file\"")
    }

    func testRaggedRows() {
        assertError("a,b,c\n1,2,3\n1,2\n", .badValue(file: "t.csv", line: 3, column: 4,
                                                    expected: "3 fields as in the header", found: "2 fields"),
                    message: "t.csv:3:4: expected 3 fields as in the header, found \"2 fields\"")
        assertError("a,b\n1,2,3\n", .badValue(file: "t.csv", line: 2, column: 5,
                                             expected: "2 fields as in the header", found: "3 fields"))
        assertError("a,b\r\n1,2\r\n3", .badValue(file: "t.csv", line: 3, column: 2,
                                                expected: "2 fields as in the header", found: "1 field"))
    }

    func testTextAfterAClosingQuote() {
        assertError("a,b\n\"x\"y,1\n", .badValue(file: "t.csv", line: 2, column: 4,
                                                expected: "a comma or the end of the line after a closing quote",
                                                found: "y"))
    }

    func testMissingColumnListsTheAvailableOnes() throws {
        let table = try RunTableReader.read(string: "N,loss\n1,2\n", fileName: "t.csv")
        XCTAssertThrowsError(try table.requireColumn(named: "D")) { error in
            XCTAssertEqual(error as? ScaleFitError, .missingColumn(file: "t.csv", name: "D", available: ["N", "loss"]))
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
            XCTAssertEqual((error as? ScaleFitError)?.description, "t.csv: no column \"D\" (columns: N, loss)")
        }
    }

    func testMissingFileAndDirectory() {
        XCTAssertThrowsError(try RunTableReader.read(path: "/nonexistent/runs.csv")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: "/nonexistent/runs.csv",
                                                                 reason: "cannot open: No such file or directory"))
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
        // A directory is read as a set of logs; one without any is refused.
        let empty = NSTemporaryDirectory() + "scalefit-empty-\(getpid())"
        try? FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        XCTAssertThrowsError(try RunTableReader.read(path: empty)) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(
                file: empty, reason: "the directory holds no log (.csv, .jsonl, .json, events.out.tfevents.*)"))
        }
    }

    // MARK: JSON

    func testEmptyJSONFiles() {
        assertError("\n \n", fileName: "log.jsonl", .emptyFile(file: "log.jsonl"))
        assertError(" \n", fileName: "trainer_state.json", .emptyFile(file: "trainer_state.json"))
    }

    func testBadJSONLines() {
        assertError("{\"a\": 1}\n{\"a\": }\n", fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 2, column: 7, expected: "a value", found: "}"),
                    message: "log.jsonl:2:7: expected a value, found \"}\"")
        assertError("{\"a\": 1,}", fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 1, column: 9, expected: "a key in double quotes", found: "}"))
        assertError("[1, 2]", fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 1, column: 1, expected: "a JSON object", found: "["))
        assertError("{\"a\": 1} trailing", fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 1, column: 10,
                              expected: "the end of the line after the object", found: "trailing"))
        assertError("{\"é\": \"open", fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 1, column: 7,
                              expected: "a closing quote for the string opened here", found: "the end of the line"))
        assertError("{\"a\": tru}", fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 1, column: 7, expected: "a value", found: "tru"))
        assertError("{\"a\": 01}", fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 1, column: 8, expected: "a comma or a closing brace", found: "1"))
        assertError("{\"a\": \"\\x\"}", fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 1, column: 9,
                              expected: "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", found: "x"))
    }

    func testDuplicateJSONKeys() {
        assertError("{\"loss\": 1, \"loss\": 2}", fileName: "log.jsonl",
                    .duplicateColumn(file: "log.jsonl", line: 1, column: 13, name: "loss"))
        assertError("{\"eval.loss\": 1, \"eval\": {\"loss\": 2}}", fileName: "log.jsonl",
                    .duplicateColumn(file: "log.jsonl", line: 1, column: 27, name: "eval.loss"))
    }

    func testDeepNestingIsRefused() {
        let deep = "{\"a\": " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        assertError(deep, fileName: "log.jsonl",
                    .badValue(file: "log.jsonl", line: 1, column: 70, expected: "at most 64 levels of nesting", found: "["))
    }

    func testBadTrainerStateNamesLineAndColumn() {
        let text = "{\n  \"log_history\": [\n    {\"loss\": 1.0},\n    {\"loss\": 2.0,, }\n  ]\n}\n"
        assertError(text, fileName: "trainer_state.json",
                    .badValue(file: "trainer_state.json", line: 4, column: 18, expected: "a key in double quotes", found: ","))
        assertError("{\"log_history\": [1]}", fileName: "trainer_state.json",
                    .badValue(file: "trainer_state.json", line: 1, column: 18, expected: "a JSON object", found: "1"))
    }
}

extension ReaderErrorTests {
    /// Found by the seeded robustness test: a trailing comma at the end of the file is one
    /// more (empty) field, and the ragged-row error must point at it.
    func testTrailingCommaAtTheEndOfTheFile() throws {
        assertError("a\n1,", .badValue(file: "t.csv", line: 2, column: 3, expected: "1 field as in the header",
                                      found: "2 fields"))
        let table = try RunTableReader.read(string: "a,b\n1,", fileName: "t.csv")
        XCTAssertEqual(table.column(named: "b")?.isEmpty(at: 0), true)
    }
}

extension ReaderErrorTests {
    /// A quote left open in a large file is refused at 16 MiB, not after reading the rest.
    func testAnOpenQuoteInALargeFileStopsAtTheRecordLimit() {
        let text = "a,b\n1,\"open\n" + String(repeating: "2,3\n", count: (CSVTokenizer.maxRecordBytes / 4) + 10)
        XCTAssertThrowsError(try RunTableReader.read(string: text, fileName: "big.csv")) { error in
            XCTAssertEqual(error as? ScaleFitError, .badValue(
                file: "big.csv", line: 2, column: 3, expected: "a closing quote within 16 MiB of the opening one",
                found: "a longer one"))
        }
    }
}
