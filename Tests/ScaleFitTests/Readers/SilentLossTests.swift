import Foundation
import XCTest
@testable import ScaleFit

/// The reads that used to lose or change data without a word (issue 13, item 5).
final class SilentLossTests: XCTestCase {
    private func read(_ text: String, fileName: String = "t.csv") throws -> RunTable {
        try RunTableReader.read(string: text, fileName: fileName)
    }

    func testHashCellAfterTheHeaderIsDataNotAComment() throws {
        let table = try read("# sweep of 2024\nrun,loss\n#3,2.5\n# restarted here\n#4,2.25\n")
        XCTAssertEqual(table.column(named: "run")?.strings, ["#3", "#4"])
        XCTAssertEqual(table.column(named: "loss")?.values, [2.5, 2.25])
        XCTAssertEqual(table.lineNumbers, [3, 5])
        XCTAssertEqual(table.commentLines, 2)
        // A quoted "#…" field is always data, even with the wrong number of fields.
        XCTAssertThrowsError(try read("a,b\n\"#x\"\n")) { error in
            XCTAssertEqual(error as? ScaleFitError, .badValue(file: "t.csv", line: 2, column: 5,
                                                              expected: "2 fields as in the header", found: "1 field"))
        }
    }

    func testTextCellInANumericColumnIsADroppedRowNotAColumnOfText() throws {
        let table = try read("step,loss\n1,3.5\n2,oops\n3,3.1\n")
        let loss = try XCTUnwrap(table.column(named: "loss"))
        XCTAssertEqual(loss.kind, .numeric)
        XCTAssertEqual(loss.text(at: 1), "oops")
        let mapping = try ColumnMapping.detect(in: table)
        XCTAssertEqual(mapping[.loss], "loss")
        let (usable, dropped) = try table.usableRows(numericColumns: ["step", "loss"])
        XCTAssertEqual(usable.column(named: "loss")?.values, [3.5, 3.1])
        XCTAssertEqual(dropped.description, "dropped 1 row: line 3 loss=\"oops\"")
        XCTAssertThrowsError(try table.usableRows(numericColumns: ["step", "loss"], strict: true)) { error in
            XCTAssertEqual(error as? ScaleFitError, .droppedRows(file: "t.csv", count: 1, first: "line 3 loss=\"oops\""))
        }
        // A column that is mostly text stays text.
        XCTAssertEqual(try read("note,loss\nx,1\ny,2\n3,3\n").column(named: "note")?.strings, ["x", "y", "3"])
    }

    func testBadRatioCellDropsItsRowAndKeepsTheColumnNumeric() throws {
        let table = try read("family,ratio,loss\nen,0.5,2.0\nde,bad,2.5\nfr,0.25,2.7\n")
        XCTAssertEqual(table.column(named: "ratio")?.kind, .numeric)
        XCTAssertEqual(try ColumnMapping.detect(in: table)[.ratio], "ratio")
        let (_, dropped) = try table.usableRows(numericColumns: ["ratio", "loss"], labelColumns: ["family"])
        XCTAssertEqual(dropped.description, "dropped 1 row: line 3 ratio=\"bad\"")
    }

    func testRunIdsAreKeptAsWritten() throws {
        let table = try read("run,step,loss\n1,1,3\n1.0,1,3\n007,1,3\n7,1,3\n")
        XCTAssertEqual(try table.groups(by: "run").map(\.key), ["1", "1.0", "007", "7"])
        let json = try read("{\"model\": 1, \"loss\": 2}\n{\"model\": 1.0, \"loss\": 2}\n", fileName: "l.jsonl")
        XCTAssertEqual(json.column(named: "model")?.strings, ["1", "1.0"])
    }

    func testJSONBooleansAreNotNumbers() throws {
        let table = try read("{\"step\": 1, \"loss\": true}\n{\"step\": 2, \"loss\": 2.5}\n{\"step\": 3, \"loss\": 2.4}\n",
                             fileName: "l.jsonl")
        let loss = try XCTUnwrap(table.column(named: "loss"))
        XCTAssertEqual(loss.kind, .numeric)
        XCTAssertTrue(loss.values[0].isNaN)
        XCTAssertEqual(loss.text(at: 0), "true")
        let (_, dropped) = try table.usableRows(numericColumns: ["loss"])
        XCTAssertEqual(dropped.description, "dropped 1 row: line 1 loss=\"true\"")
        XCTAssertEqual(try read("{\"done\": false}\n", fileName: "l.jsonl").column(named: "done")?.strings, ["false"])
    }

    func testSizeSuffixesOnlyInSizeColumns() throws {
        let table = try read("params,n_tokens,Training FLOP,loss\n70M,1.4B,1e20,3.0M\n1.3B,2T,5K,2.5\n")
        XCTAssertEqual(table.column(named: "params")?.values, [70e6, 1.3e9])
        XCTAssertEqual(table.column(named: "n_tokens")?.values, [1.4e9, 2e12])
        XCTAssertEqual(table.column(named: "Training FLOP")?.values, [1e20, 5e3])
        let loss = try XCTUnwrap(table.column(named: "loss"))
        XCTAssertTrue(loss.values[0].isNaN)
        XCTAssertEqual(loss.text(at: 0), "3.0M")
        XCTAssertEqual(loss.values[1], 2.5)
    }
}
