import Foundation
import XCTest
@testable import ScaleFit

/// JSON Lines and Hugging Face trainer_state.json.
final class JSONReaderTests: XCTestCase {
    private func read(_ text: String, fileName: String = "log.jsonl", chunkSize: Int = 1 << 20) throws -> RunTable {
        try RunTableReader.read(data: Data(text.utf8), fileName: fileName, format: nil, chunkSize: chunkSize)
    }

    func testJSONLinesFlattensNestedKeysAndUnitesColumns() throws {
        let text = """
        {"step": 1, "loss": 3.5, "lr": 1e-4, "run": "a"}

        {"step": 2, "loss": null, "eval": {"loss": 3.9, "acc": [0.1, 0.2]}, "done": false}\r
        {"step": 3, "loss": NaN, "lr": Infinity, "note": "70M", "done": true}
        """
        let table = try read(text)
        XCTAssertEqual(table.columnNames, ["step", "loss", "lr", "run", "eval.loss", "eval.acc.0", "eval.acc.1", "done", "note"])
        XCTAssertEqual(table.lineNumbers, [1, 3, 4])
        XCTAssertEqual(table.column(named: "step")?.values, [1, 2, 3])
        let loss = try XCTUnwrap(table.column(named: "loss"))
        XCTAssertTrue(loss.isEmpty(at: 1))
        XCTAssertEqual(loss.text(at: 2), "NaN")
        XCTAssertEqual(table.column(named: "lr")?.values[2], .infinity)
        XCTAssertTrue(try XCTUnwrap(table.column(named: "eval.loss")).isEmpty(at: 0))
        XCTAssertEqual(table.column(named: "eval.loss")?.values[1], 3.9)
        XCTAssertEqual(table.column(named: "eval.acc.1")?.values[1], 0.2)
        XCTAssertEqual(table.column(named: "run")?.strings, ["a", "", ""])
        XCTAssertEqual(table.column(named: "done")?.strings, ["", "false", "true"])
        // A size suffix is a number only in a size column.
        XCTAssertEqual(table.column(named: "note")?.strings, ["", "", "70M"])
    }

    func testJSONLinesStringsEscapesAndUnicode() throws {
        let table = try read(#"{"name": "a\"b\\c\u00e9\ud83d\ude00\n", "x": -0.5e-2}"#)
        XCTAssertEqual(table.column(named: "name")?.strings, ["a\"b\\c\u{e9}\u{1F600}\n"])
        XCTAssertEqual(table.column(named: "x")?.values, [-0.005])
    }

    func testJSONLinesIsTheSameInEveryChunkSize() throws {
        let text = "\u{FEFF}{\"a\": 1, \"b\": {\"c\": \"x\"}}\r\n\n{\"a\": 2}\n{\"d\": [true, null]}"
        let whole = try read(text)
        for size in 1...7 { XCTAssertEqual(try read(text, chunkSize: size), whole, "chunk size \(size)") }
        XCTAssertEqual(whole.lineNumbers, [1, 3, 4])
    }

    func testTrainerStateLogHistoryBecomesRows() throws {
        let text = """
        {
          "best_metric": null,
          "epoch": 1.0,
          "log_history": [
            {"epoch": 0.1, "learning_rate": 5e-05, "loss": 2.31, "step": 10},
            {"epoch": 0.2, "learning_rate": 4e-05, "loss": 2.05, "step": 20},
            {"epoch": 0.2, "eval_loss": 2.2, "eval_runtime": 1.5, "step": 20},
            {"epoch": 0.3, "step": 30, "total_flos": 1.2e15, "train_loss": 2.1}
          ],
          "trial_params": {"a": [1, {"b": "c"}]},
          "max_steps": 30
        }
        """
        let table = try read(text, fileName: "trainer_state.json")
        // The eval entry at step 20 joins the train entry of step 20; the summary is skipped.
        XCTAssertEqual(table.columnNames, ["epoch", "learning_rate", "loss", "step", "eval_loss", "eval_runtime"])
        XCTAssertEqual(table.lineNumbers, [5, 6])
        XCTAssertEqual(table.column(named: "step")?.values, [10, 20])
        XCTAssertEqual(table.column(named: "loss")?.values, [2.31, 2.05])
        XCTAssertEqual(table.column(named: "eval_loss")?.isEmpty(at: 0), true)
        XCTAssertEqual(table.column(named: "eval_loss")?.values[1], 2.2)
        XCTAssertEqual(table.skipped, [SkippedEntries(kind: "trainer summary entry", count: 1)])
        XCTAssertEqual(table.superseded, [])
        let mapping = try ColumnMapping.detect(in: table)
        XCTAssertEqual(mapping[.loss], "eval_loss")
        XCTAssertEqual(mapping.alternatives[.loss], ["loss"])
        XCTAssertEqual(mapping[.lr], "learning_rate")
        XCTAssertEqual(mapping[.step], "step")
    }

    func testTrainerStateFormatOverrideAndChunks() throws {
        let text = "{\"log_history\": [{\"step\": 1, \"loss\": 1}]}"
        let table = try RunTableReader.read(data: Data(text.utf8), fileName: "state.txt", format: .trainerState, chunkSize: 3)
        XCTAssertEqual(table.column(named: "loss")?.values, [1])
    }

    func testTrainerStateWithoutLogHistory() {
        XCTAssertThrowsError(try read("{\"epoch\": 1}", fileName: "trainer_state.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(
                file: "trainer_state.json", reason: "no \"log_history\" array: not a Hugging Face trainer_state.json (a W&B run dump has \"history\"; LogReadOptions.format names another format)"))
        }
        XCTAssertThrowsError(try read("{\"log_history\": []}", fileName: "trainer_state.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: "trainer_state.json",
                                                                 reason: "log_history is empty: the trainer logged nothing"))
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
    }
}

extension JSONReaderTests {
    /// Found by the fuzzer: objects without a single value give no columns, which is an
    /// error rather than a table of rows with nothing in them.
    func testObjectsWithoutValues() {
        XCTAssertThrowsError(try read("{\"a\": {}}\n{}\n")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: "log.jsonl", reason: "no values: every object is empty"))
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
        XCTAssertThrowsError(try read("{\"log_history\": [{}]}", fileName: "trainer_state.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: "trainer_state.json",
                                                                 reason: "no values: every object is empty"))
        }
    }

    /// Keys are matched by their bytes against the previous rows' keys at the same place;
    /// a row that orders, nests or spells them differently still lands in the right columns.
    func testKeysInChangingOrderAndNesting() throws {
        let text = """
        {"a": 1, "b": {"c": 2}, "d": 3}
        {"b": {"c": 4}, "a": 5, "d": 6}
        {"a": 7, "b": 8, "d": 9}
        {"a": 10, "e": {"c": 11}, "b": {"c": 12}, "\\u0064": 13}
        """
        let table = try read(text)
        XCTAssertEqual(table.columnNames, ["a", "b.c", "d", "b", "e.c"])
        XCTAssertEqual(table.column(named: "a")?.values, [1, 5, 7, 10])
        XCTAssertEqual(table.column(named: "b.c")?.values.map { $0.isNaN ? -1 : $0 }, [2, 4, -1, 12])
        XCTAssertEqual(table.column(named: "d")?.values, [3, 6, 9, 13])
        XCTAssertEqual(table.column(named: "b")?.values.map { $0.isNaN ? -1 : $0 }, [-1, -1, 8, -1])
        XCTAssertEqual(table.column(named: "e.c")?.values.map { $0.isNaN ? -1 : $0 }, [-1, -1, -1, 11])
    }
}
