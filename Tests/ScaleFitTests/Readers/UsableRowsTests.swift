import XCTest
@testable import ScaleFit

/// Dropping unusable rows: counted, quoted with the original cell text, strict mode.
final class UsableRowsTests: XCTestCase {
    private let text = "N,loss,run\n1e8,3.0,a\n2e8,nan,a\n,2.8,b\n4e8,inf,\n5e8,2.5,b\n6e8,diverged,b\n"

    func testDropsAndReportsRowsWithMissingOrNonFiniteCells() throws {
        let table = try RunTableReader.read(string: text, fileName: "runs.csv")
        let (usable, dropped) = try table.usableRows(numericColumns: ["N", "loss"], labelColumns: ["run"])
        XCTAssertEqual(usable.rowCount, 2)
        XCTAssertEqual(usable.lineNumbers, [2, 6])
        XCTAssertEqual(usable.column(named: "N")?.values, [1e8, 5e8])
        XCTAssertEqual(dropped.count, 4)
        XCTAssertEqual(dropped.examples, ["line 3 loss=\"nan\"", "line 4 N=\"\"", "line 5 loss=\"inf\" run=\"\"",
                                          "line 7 loss=\"diverged\""])
        XCTAssertEqual(dropped.description,
                       "dropped 4 rows: line 3 loss=\"nan\", line 4 N=\"\", line 5 loss=\"inf\" run=\"\", line 7 loss=\"diverged\"")
    }

    func testNothingDroppedGivesAnEmptyReport() throws {
        let table = try RunTableReader.read(string: "x,y\n1,2\n", fileName: "a.csv")
        let (usable, dropped) = try table.usableRows(numericColumns: ["x", "y"], strict: true)
        XCTAssertEqual(usable, table)
        XCTAssertTrue(dropped.isEmpty)
        XCTAssertEqual(dropped.description, "")
    }

    func testStrictThrows() throws {
        let table = try RunTableReader.read(string: text, fileName: "runs.csv")
        XCTAssertThrowsError(try table.usableRows(numericColumns: ["N", "loss"], strict: true)) { error in
            XCTAssertEqual(error as? ScaleFitError, .droppedRows(
                file: "runs.csv", count: 4,
                first: "line 3 loss=\"nan\", line 4 N=\"\", line 5 loss=\"inf\", line 7 loss=\"diverged\""))
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
    }

    func testReportKeepsOnlyTheFirstFewExamples() throws {
        var csv = "x\n"
        for _ in 0..<8 { csv += "nan\n" }
        let (_, dropped) = try RunTableReader.read(string: csv, fileName: "a.csv").usableRows(numericColumns: ["x"])
        XCTAssertEqual(dropped.count, 8)
        XCTAssertEqual(dropped.examples.count, DroppedRows.exampleLimit)
        XCTAssertTrue(dropped.description.hasSuffix("line 6 x=\"nan\", …"))
    }

    func testOptionalColumnsKeepRowsWhereTheyAreNotLogged() throws {
        // A full-resolution curve: lr on every step, loss every other step, one bad loss.
        let curve = "step,lr,loss\n1,0.1,4.0\n2,0.1,\n3,0.1,3.5\n4,0.1,\n5,0.05,nan\n6,0.05,3.0\n"
        let table = try RunTableReader.read(string: curve, fileName: "curve.csv")
        let (usable, dropped) = try table.usableRows(numericColumns: ["step", "lr"], optionalColumns: ["loss"])
        XCTAssertEqual(usable.rowCount, 6)
        XCTAssertEqual(dropped.count, 1)
        XCTAssertEqual(dropped.examples, ["line 6 loss=\"nan\""])
        let loss = try XCTUnwrap(usable.column(named: "loss"))
        XCTAssertEqual(loss.values.filter(\.isFinite), [4.0, 3.5, 3.0])
        XCTAssertTrue(loss.values[4].isNaN)
        XCTAssertThrowsError(try table.usableRows(numericColumns: ["step", "lr"], optionalColumns: ["loss"], strict: true))
    }

    func testAMissingUsedColumn() throws {
        let table = try RunTableReader.read(string: "x,y\n1,2\n", fileName: "a.csv")
        XCTAssertThrowsError(try table.usableRows(numericColumns: ["x", "loss"])) { error in
            XCTAssertEqual(error as? ScaleFitError, .missingColumn(file: "a.csv", name: "loss", available: ["x", "y"]))
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
    }
}
