import Foundation
import XCTest
@testable import ScaleFit

/// The W&B layouts, each from a small hand-written fixture in Fixtures/wandb/ following the
/// layout documented in its reader (`WandBExport`, `WandBRunReader`, `ColumnMapping`).
final class WandBLayoutTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/wandb")

    private func read(_ name: String, options: LogReadOptions = LogReadOptions()) throws -> LogReader.Result {
        try LogReader.read(inputs: [Self.fixtures.appendingPathComponent(name).path], options: options)
    }

    func testAPIHistoryCSVTakesTheTrainerStepNotTheLogCallCount() throws {
        let read = try read("api-history.csv")
        XCTAssertEqual(read.reports[0].format, .csv)
        XCTAssertEqual(read.mapping[.step], "iter")
        XCTAssertEqual(read.mapping.alternatives[.step], ["_step"])
        XCTAssertEqual(read.mapping[.loss], "val/loss")
        XCTAssertEqual(read.mapping.alternatives[.loss], ["train/loss"])
        XCTAssertEqual(read.mapping[.lr], "lr")
        let set = try LossCurveSet(table: read.table, mapping: read.mapping)
        XCTAssertEqual(set.curves[0].steps, [10000, 20000, 30000, 40000, 50000])
        XCTAssertEqual(set.curves[0].losses.last, 3.12)
        XCTAssertTrue(read.reports[0].description.contains("step=\"iter\" (not \"_step\": stepColumn = \"_step\" picks it)"),
                      read.reports[0].description)
    }

    func testAPIHistoryJSONRecords() throws {
        let read = try read("api-history.json")
        XCTAssertEqual(read.reports[0].format, .jsonRecords)
        XCTAssertEqual(read.mapping[.step], "train/global_step")
        XCTAssertEqual(read.mapping[.lr], "optimizer/lr")
        XCTAssertEqual(read.mapping[.loss], "val/loss")
        XCTAssertEqual(try read.table.values(of: "train/global_step"), [0, 10000, 20000])
        XCTAssertEqual(read.table.lineNumbers, [1, 2, 3])
    }

    func testRunDumpIsNotATrainerState() throws {
        let read = try read("run.json")
        let report = read.reports[0]
        XCTAssertEqual(report.format, .wandbRun)
        XCTAssertEqual(read.mapping[.step], "trainer/global_step")
        XCTAssertEqual(read.mapping[.loss], "val.loss")
        XCTAssertEqual(read.mapping.alternatives[.loss], ["train.loss"])
        XCTAssertEqual(read.mapping[.lr], "train.lr")
        XCTAssertEqual(read.mapping[.run], "run")
        XCTAssertEqual(report.runs, ["gpt2-124M-lr6e-4"])
        XCTAssertEqual(try read.table.values(of: "train.loss"), [10.95, 3.71, 3.35, 3.18])
        XCTAssertEqual(report.skipped, [SkippedEntries(kind: "W&B summary object", count: 1),
                                        SkippedEntries(kind: "W&B config object", count: 1)])
    }

    func testChartExportJoinsRestartSegmentsAndReportsCompanions() throws {
        let read = try read("chart-export.csv")
        let report = read.reports[0]
        XCTAssertEqual(report.format, .wandb)
        XCTAssertEqual(read.mapping[.step], "trainer/global_step")
        XCTAssertEqual(read.mapping[.loss], "eval/c4_en/CrossEntropyLoss")
        XCTAssertEqual(report.runs, ["OLMo-7B-run", "OLMo-1B"])
        XCTAssertEqual(report.skipped, [SkippedEntries(kind: "W&B __MIN/__MAX column", count: 4)])
        XCTAssertEqual(report.superseded, [Supersession(run: "OLMo-7B-run", step: 3000, rows: 2, position: "line 4")])
        let set = try LossCurveSet(table: read.table, mapping: read.mapping, schedules: ["": try LRSchedule(spec: "constant:peak=1e-3,total=6000")])
        XCTAssertEqual(set.curves.map(\.name), ["OLMo-7B-run", "OLMo-1B"])
        XCTAssertEqual(set.curves[0].steps, [1000, 2000, 3000, 4000, 5000])
        XCTAssertEqual(set.curves[0].losses, [3.9, 3.5, 3.31, 3.21, 3.1])
        XCTAssertEqual(set.curves[1].losses, [4.2, 3.9, 3.7, 3.6])
        XCTAssertEqual(read.table.column(named: "segment")?.strings?.prefix(5),
                       ["OLMo-7B-run-001", "OLMo-7B-run-001", "OLMo-7B-run-002", "OLMo-7B-run-002", "OLMo-7B-run-002"])
    }

    func testSegmentsKeptApartOnRequest() throws {
        let read = try read("chart-export.csv", options: LogReadOptions(keepSegmentsApart: true))
        XCTAssertEqual(read.reports[0].runs, ["OLMo-7B-run-001", "OLMo-7B-run-002", "OLMo-1B"])
        XCTAssertEqual(read.reports[0].superseded, [])
        XCTAssertNil(read.table.column(named: "segment"))
    }

    func testSegmentRule() {
        XCTAssertEqual(WandBExport.segmentsJoined(["a-run-002", "b", "a-run-001", "c_7", "d-1", "d-2", "d"]).map { "\($0.name)<\($0.run)" },
                       ["a-run<a-run-001", "a-run<a-run-002", "b<b", "c_7<c_7", "d-1<d-1", "d-2<d-2", "d<d"])
    }

    func testACSVThatOnlyLooksLikeAnExportHasAWayOut() throws {
        let text = "Step,price - cost,loss\n1,2,3.5\n2,3,3.25\n"
        XCTAssertEqual(try LogReader.read(data: Data(text.utf8), fileName: "t.csv").reports[0].format, .wandb)
        let plain = try LogReader.read(data: Data(text.utf8), fileName: "t.csv", options: LogReadOptions(format: .csv))
        XCTAssertEqual(plain.table.columnNames, ["Step", "price - cost", "loss"])
        XCTAssertEqual(try plain.table.values(of: "loss"), [3.5, 3.25])
    }

    // MARK: The table layout {"columns": [...], "data": [[...], ...]}

    func testHistoryInPandasSplitOrientation() throws {
        let read = try read("history-split.json")
        let report = read.reports[0]
        XCTAssertEqual(report.format, .jsonRecords)
        XCTAssertEqual(read.table.columnNames, ["_step", "_runtime", "trainer/global_step", "train/loss", "train/lr", "eval/loss"])
        XCTAssertEqual(read.mapping[.step], "trainer/global_step")
        XCTAssertEqual(read.mapping.alternatives[.step], ["_step"])
        XCTAssertEqual(read.mapping[.loss], "eval/loss")
        XCTAssertEqual(read.mapping.alternatives[.loss], ["train/loss"])
        XCTAssertEqual(read.mapping[.lr], "train/lr")
        XCTAssertEqual(try read.table.values(of: "trainer/global_step"), [1000, 2000, 3000, 4000])
        XCTAssertEqual(try read.table.values(of: "train/loss"), [4.21, 3.87, 3.64, 3.49])
        let eval = try read.table.requireColumn(named: "eval/loss")
        XCTAssertTrue(eval.isEmpty(at: 0))
        XCTAssertEqual(eval.values[3], 3.58)
        // A row is where its array opens.
        XCTAssertEqual(read.table.position(of: 0), "line 1 column 121")
        XCTAssertEqual(report.skipped, [SkippedEntries(kind: "pandas index", count: 1)])
    }

    func testWandBTableJSONWithItsBookkeepingKeys() throws {
        let read = try read("loss-curve.table.json")
        XCTAssertEqual(read.reports[0].format, .jsonRecords)
        XCTAssertEqual(read.table.columnNames, ["step", "loss", "lr", "run"])
        XCTAssertEqual(read.mapping[.run], "run")
        XCTAssertEqual(read.reports[0].runs, ["pythia-160m"])
        XCTAssertEqual(try read.table.values(of: "loss"), [5.12, 4.37, 3.98])
        XCTAssertEqual(read.table.lineNumbers, [6, 7, 8])
        let set = try LossCurveSet(table: read.table, mapping: read.mapping)
        XCTAssertEqual(set.curves[0].steps, [100, 200, 300])
    }

    func testRunDumpWithHistoryInTheTableLayout() throws {
        let text = #"{"display_name": "gpt2-small", "summary": {}, "history": {"data": [[0, 10, 4.5], [1, 20, 4.1]], "columns": ["_step", "iter", "train/loss"]}}"#
        let read = try LogReader.read(data: Data(text.utf8), fileName: "run.json")
        XCTAssertEqual(read.reports[0].format, .wandbRun)
        XCTAssertEqual(read.mapping[.step], "iter")
        XCTAssertEqual(try read.table.values(of: "train/loss"), [4.5, 4.1])
        XCTAssertEqual(read.reports[0].runs, ["gpt2-small"])
    }

    func testTableLayoutRowsOfTheWrongLengthAndBadNamesAreRefusedWhereTheyAre() {
        func error(_ text: String) -> ScaleFitError? {
            do { _ = try RunTableReader.read(string: text, fileName: "t.json"); return nil } catch { return error as? ScaleFitError }
        }
        XCTAssertEqual(error(#"{"columns": ["step", "loss"], "data": [[1, 3.0], [2]]}"#),
                       .badValue(file: "t.json", line: 1, column: 50, expected: "2 values, one per column in \"columns\"", found: "1"))
        XCTAssertEqual(error(#"{"columns": ["step", "loss"], "data": [[1, 3.0, 7]]}"#),
                       .badValue(file: "t.json", line: 1, column: 49, expected: "the end of the row: \"columns\" names 2 columns", found: "7"))
        XCTAssertEqual(error(#"{"columns": ["step", 5], "data": [[1, 3.0]]}"#),
                       .badValue(file: "t.json", line: 1, column: 22, expected: "a column name in double quotes", found: "5"))
        XCTAssertEqual(error(#"{"columns": ["step", "step"], "data": [[1, 3.0]]}"#),
                       .duplicateColumn(file: "t.json", line: 1, column: 22, name: "step"))
        XCTAssertEqual(error(#"{"columns": ["step"], "data": [1, 2]}"#),
                       .badValue(file: "t.json", line: 1, column: 32, expected: "a row: an array of 1 value, one per column", found: "1"))
        XCTAssertEqual(error(#"{"columns": ["step", "loss"], "data": []}"#),
                       .invalidData(file: "t.json", reason: "the history is empty: the run logged nothing"))
    }
}
