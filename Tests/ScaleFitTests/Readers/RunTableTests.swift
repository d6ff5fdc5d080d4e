import XCTest
@testable import ScaleFit

/// RunTable lookup, row selection and grouping.
final class RunTableTests: XCTestCase {
    private func sample() throws -> RunTable {
        try RunTableReader.read(string: "Run,N,loss\nb,1,3\na,2,2.5\nb,3,2.4\n,4,2.3\na,5,2.2\n", fileName: "r.csv")
    }

    func testLookupIsExactFirstThenCaseInsensitive() throws {
        let table = try RunTableReader.read(string: "loss,LOSS,N\n1,2,3\n", fileName: "x.csv")
        XCTAssertEqual(table.columnIndex(named: "LOSS"), 1)
        XCTAssertEqual(table.columnIndex(named: "Loss"), 0)
        XCTAssertEqual(table.column(named: "n")?.values, [3])
        XCTAssertNil(table.column(named: "m"))
        XCTAssertThrowsError(try table.requireColumn(named: "m")) { error in
            XCTAssertEqual(error as? ScaleFitError, .missingColumn(file: "x.csv", name: "m", available: ["loss", "LOSS", "N"]))
        }
        XCTAssertEqual(try table.values(of: "N"), [3])
    }

    func testFilterAndSelectingKeepLineNumbers() throws {
        let table = try sample()
        let large = table.filter { table.columns[1].values[$0] >= 3 }
        XCTAssertEqual(large.column(named: "N")?.values, [3, 4, 5])
        XCTAssertEqual(large.lineNumbers, [4, 5, 6])
        let picked = table.selecting(rows: [4, 0])
        XCTAssertEqual(picked.column(named: "run")?.strings, ["a", "b"])
        XCTAssertEqual(picked.lineNumbers, [6, 2])
    }

    func testGroupsInFirstAppearanceOrder() throws {
        let table = try sample()
        XCTAssertEqual(try table.groups(by: "run"), [RowGroup(key: "b", rows: [0, 2]), RowGroup(key: "a", rows: [1, 4]),
                                                    RowGroup(key: "", rows: [3])])
        let numeric = try RunTableReader.read(string: "size,x\n70M,1\n1.3B,2\n70M,3\n", fileName: "s.csv")
        XCTAssertEqual(try numeric.groups(by: "size"), [RowGroup(key: "70000000", rows: [0, 2]),
                                                         RowGroup(key: "1300000000", rows: [1])])
    }

    func testColumnTextAndFormat() {
        let column = RunTable.Column(name: "x", values: [1, 0.25, .nan, .infinity, 1e20], nonFiniteText: [3: "inf"])
        XCTAssertEqual((0..<5).map { column.text(at: $0) }, ["1", "0.25", "", "inf", "1e+20"])
        XCTAssertEqual(column.kind, .numeric)
    }
}
