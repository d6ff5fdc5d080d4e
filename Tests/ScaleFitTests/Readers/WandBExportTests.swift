import Foundation
import XCTest
@testable import ScaleFit

/// Weights & Biases CSV exports reshaped to one row per (run, step).
final class WandBExportTests: XCTestCase {
    func testTwoRunsBecomeLongFormatAndCompanionsAreDropped() throws {
        let text = """
        "Step","small - train/loss","small - train/loss__MIN","small - train/loss__MAX","big - train/loss","big - lr"
        "100","3.1","3.0","3.2","3.4","0.001"
        "200","2.9","2.8","3.0","",""
        "300","","","","3.0","0.0005"
        """
        let table = try RunTableReader.read(string: text, fileName: "wandb_export.csv")
        XCTAssertEqual(table.columnNames, ["Step", "run", "train/loss", "lr"])
        XCTAssertEqual(table.column(named: "run")?.strings, ["small", "small", "big", "big"])
        XCTAssertEqual(table.column(named: "Step")?.values, [100, 200, 100, 300])
        XCTAssertEqual(table.column(named: "train/loss")?.values, [3.1, 2.9, 3.4, 3.0])
        XCTAssertEqual(table.column(named: "lr")?.isEmpty(at: 0), true)   // "small" has no lr
        XCTAssertEqual(table.column(named: "lr")?.values[3], 0.0005)
        XCTAssertEqual(table.lineNumbers, [2, 3, 2, 4])
        XCTAssertEqual(table.skipped, [SkippedEntries(kind: "W&B __MIN/__MAX column", count: 2)])
        let mapping = try ColumnMapping.detect(in: table)
        XCTAssertEqual(mapping.description, "columns: step=\"Step\", run=\"run\", loss=\"train/loss\", lr=\"lr\"")
        let groups = try table.groups(by: "run")
        XCTAssertEqual(groups, [RowGroup(key: "small", rows: [0, 1]), RowGroup(key: "big", rows: [2, 3])])
    }

    func testSlashSeparatedNamesWhenAskedForExplicitly() throws {
        let text = "Step,runA/loss,runB/loss\n1,2.0,2.5\n2,1.9,\n"
        let plain = try RunTableReader.read(string: text, fileName: "x.csv")
        XCTAssertEqual(plain.columnNames, ["Step", "runA/loss", "runB/loss"])   // not detected: could be metrics
        let table = try RunTableReader.read(string: text, fileName: "x.csv", format: .wandb)
        XCTAssertEqual(table.columnNames, ["Step", "run", "loss"])
        XCTAssertEqual(table.column(named: "run")?.strings, ["runA", "runA", "runB"])
        XCTAssertEqual(table.column(named: "loss")?.values, [2.0, 1.9, 2.5])
    }

    func testExplicitCSVKeepsTheWideTable() throws {
        let text = "Step,a - loss,a - loss__MIN\n1,2,1\n"
        let table = try RunTableReader.read(string: text, fileName: "x.csv", format: .csv)
        XCTAssertEqual(table.columnNames, ["Step", "a - loss", "a - loss__MIN"])
    }

    func testAnyFirstColumnIsTheStep() throws {
        let detected = try RunTableReader.read(string: "trainer/global_step,a - loss\n1,2\n", fileName: "w.csv")
        XCTAssertEqual(detected.columnNames, ["trainer/global_step", "run", "loss"])
        // Not detected without a step-like first column, but read so when asked.
        XCTAssertEqual(try RunTableReader.read(string: "t,a - loss\n1,2\n", fileName: "w.csv").columnNames, ["t", "a - loss"])
        XCTAssertEqual(try RunTableReader.read(string: "t,a - loss\n1,2\n", fileName: "w.csv", format: .wandb).columnNames,
                       ["t", "run", "loss"])
    }
}

extension WandBExportTests {
    /// Found by the fuzzer: an export with no series, or no values, is an error, not an
    /// empty table.
    func testNoSeriesOrNoValues() {
        XCTAssertThrowsError(try RunTableReader.read(string: "step\ntep\u{FF}\"", fileName: "w.csv", format: .wandb)) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(
                file: "w.csv", reason: "no run columns besides \"step\": not a W&B export"))
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
        XCTAssertThrowsError(try RunTableReader.read(string: "Step,a - loss\n1,\n2,\n", fileName: "w.csv")) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: "w.csv", reason: "no run has a value in any row"))
        }
    }
}
