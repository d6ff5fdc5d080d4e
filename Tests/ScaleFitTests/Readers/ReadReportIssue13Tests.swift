import Foundation
import XCTest
@testable import ScaleFit

/// What remained of the readers' issue: a W&B run dump whose history is a dictionary of
/// columns, drops and restarts of several files naming their file, the read report's
/// wording (runs of a table of runs, arguments not flags), and two wrong reads of the
/// JSON fast paths (an escaped key, numbers at the eight-digit steps).
final class ReadReportIssue13Tests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/wandb")
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "scalefit-issue13-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: W&B history as columns

    func testRunDumpWithHistoryAsColumnLists() throws {
        let read = try LogReader.read(inputs: [Self.fixtures.appendingPathComponent("run-columns.json").path])
        let report = read.reports[0]
        XCTAssertEqual(report.format, .wandbRun)
        XCTAssertEqual(read.table.columnNames, ["_runtime", "_step", "train/global_step", "train/loss", "optimizer/lr", "val/loss", "run"])
        XCTAssertEqual(read.mapping[.step], "train/global_step")
        XCTAssertEqual(read.mapping[.loss], "val/loss")
        XCTAssertEqual(read.mapping[.lr], "optimizer/lr")
        XCTAssertEqual(report.runs, ["olmo-1b-cosine"])
        XCTAssertEqual(try read.table.values(of: "train/global_step"), [0, 1000, 2000, 3000])
        XCTAssertEqual(try read.table.values(of: "train/loss"), [10.91, 3.88, 3.31, 3.02])
        XCTAssertEqual(try read.table.values(of: "optimizer/lr"), [0.0004, 0.00038, 0.00031, 0.00022])
        let val = try read.table.requireColumn(named: "val/loss")
        XCTAssertTrue(val.isEmpty(at: 0))
        XCTAssertEqual(val.text(at: 1), "NaN")
        XCTAssertEqual(val.values[2...], [3.40, 3.12])
        // A row is where its cell in the first column is.
        XCTAssertEqual((0..<4).map(read.table.position(of:)),
                       ["line 7 column 18", "line 7 column 24", "line 7 column 31", "line 7 column 38"])
        XCTAssertEqual(report.skipped, [SkippedEntries(kind: "W&B summary object", count: 1),
                                        SkippedEntries(kind: "W&B config object", count: 1)])
        XCTAssertEqual(report.badCells, DroppedRows(count: 1, examples: ["line 7 column 24 val/loss=\"NaN\""]))
    }

    func testRunDumpWithHistoryAsColumnsKeyedByRow() throws {
        let read = try LogReader.read(inputs: [Self.fixtures.appendingPathComponent("run-columns-keyed.json").path])
        XCTAssertEqual(read.reports[0].format, .wandbRun)
        XCTAssertEqual(read.table.columnNames, ["_step", "train/global_step", "train/loss", "run"])
        XCTAssertEqual(try read.table.values(of: "train/global_step"), [0, 1000, 2000])
        XCTAssertEqual(try read.table.values(of: "train/loss").prefix(2), [10.91, 3.88])
        // A text cell in the loss column is a reported bad cell, not a text column.
        XCTAssertEqual(read.table.column(named: "train/loss")?.kind, .numeric)
        XCTAssertEqual(read.reports[0].badCells.count, 1)
        XCTAssertEqual(read.reports[0].badCells.examples, ["line 1 column 71 train/loss=\"oops\""])
    }

    func testAHistoryFrameWrittenByColumnsIsReadAsRecords() throws {
        let lists = #"{"_step": [0, 1, 2], "trainer/global_step": [0, 500, 1000], "train/loss": [9.5, 4.1, 3.6]}"#
        let read = try LogReader.read(data: Data(lists.utf8), fileName: "history.json")
        XCTAssertEqual(read.reports[0].format, .jsonRecords)
        XCTAssertEqual(read.mapping[.step], "trainer/global_step")
        XCTAssertEqual(try read.table.values(of: "train/loss"), [9.5, 4.1, 3.6])
        let keyed = "{\"_step\": {\"0\": 0, \"1\": 1},\n \"train/loss\": {\"0\": 9.5, \"1\": 4.1}}"
        let byRow = try LogReader.read(data: Data(keyed.utf8), fileName: "history.json")
        XCTAssertEqual(byRow.reports[0].format, .jsonRecords)
        XCTAssertEqual(try byRow.table.values(of: "train/loss"), [9.5, 4.1])
        XCTAssertEqual(byRow.table.position(of: 1), "line 1 column 25")
        // Still a trainer state when it says so, and rows when the array holds objects.
        XCTAssertEqual(RunTableFormat.detect(name: "t.json", prefix: Array(#"{"log_history": [{"step": 1}]}"#.utf8)), .trainerState)
        XCTAssertEqual(RunTableFormat.detect(name: "t.json", prefix: Array(#"{"runs": [{"step": 1}]}"#.utf8)), .trainerState)
    }

    func testHistoryColumnsOfUnequalLengthOrKeysAreRefusedWhereTheyStart() {
        let short = #"{"history": {"_step": [0, 1, 2], "loss": [3.0, 2.5]}}"#
        XCTAssertThrowsError(try RunTableReader.read(string: short, fileName: "run.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .badValue(file: "run.json", line: 1, column: 42,
                                                              expected: "3 values, as column \"_step\" has", found: "2"))
        }
        let keys = #"{"history": {"_step": {"0": 0, "1": 1}, "loss": {"0": 3.0, "2": 2.5}}}"#
        XCTAssertThrowsError(try RunTableReader.read(string: keys, fileName: "run.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .badValue(file: "run.json", line: 1, column: 60,
                                                              expected: "the row key \"1\", as in column \"_step\"", found: "\""))
        }
        let mixed = #"{"history": {"_step": [0, 1], "loss": {"0": 3.0, "1": 2.5}}}"#
        XCTAssertThrowsError(try RunTableReader.read(string: mixed, fileName: "run.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .badValue(file: "run.json", line: 1, column: 39,
                                                              expected: "an array, as column \"_step\" has", found: "an object"))
        }
        let scalar = #"{"history": {"_step": 3}}"#
        XCTAssertThrowsError(try RunTableReader.read(string: scalar, fileName: "run.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .badValue(file: "run.json", line: 1, column: 23,
                                                              expected: "an array of the column's values (a history of columns)", found: "3"))
        }
    }

    // MARK: Several files

    func testDropsAndRestartsOfSeveralFilesNameTheirFile() throws {
        let a = try file("a.jsonl", "{\"step\": 1, \"loss\": 3.0, \"lr\": 1e-3}\n{\"step\": 2, \"loss\": 2.5, \"lr\": 1e-3}\n")
        let b = try file("b.jsonl", """
            {"step": 1, "loss": 3.5, "lr": 1e-3}
            {"step": 2, "loss": "oops", "lr": 1e-3}
            {"step": 1, "loss": 3.4, "lr": 1e-3}
            {"step": 2, "loss": 3.1, "lr": 1e-3}
            {"step": 3, "loss": "oops", "lr": 1e-3}

            """)
        let read = try LogReader.read(inputs: [a, b])
        XCTAssertEqual(read.table.sourceFiles, [a, b])
        XCTAssertEqual(read.table.rowFiles, [0, 0, 1, 1, 1])
        XCTAssertEqual(read.table.position(of: 4), "\(b) line 5")
        XCTAssertEqual(read.table.file(ofRow: 0), a)
        XCTAssertEqual(read.table.superseded, [Supersession(run: "b", step: 1, rows: 2, position: "\(b) line 3")])
        XCTAssertEqual(read.table.superseded.first?.description, "2 rows superseded at step 1 in run \"b\" (\(b) line 3)")
        // The per-file report keeps its own lines: the file is its first word.
        XCTAssertEqual(read.reports[1].superseded, [Supersession(run: "", step: 1, rows: 2, position: "line 3")])
        XCTAssertTrue(read.reports[1].description.hasPrefix("\(b): jsonl, 1 run (b)"), read.reports[1].description)
        let set = try LossCurveSet(table: read.table, mapping: read.mapping)
        XCTAssertEqual(set.dropped, DroppedRows(count: 1, examples: ["\(b) line 5 loss=\"oops\""]))
        // Selected rows keep their files.
        let later = read.table.selecting(rows: [4, 0])
        XCTAssertEqual([later.position(of: 0), later.position(of: 1)], ["\(b) line 5", "\(a) line 1"])
        let (_, dropped) = try read.table.usableRows(numericColumns: ["step", "loss"])
        XCTAssertEqual(dropped.examples, ["\(b) line 5 loss=\"oops\""])
    }

    func testEachFileIsReadWithTheColumnsItsReportNames() throws {
        let a = try file("a.jsonl", "{\"step\": 1, \"loss\": 3.0, \"lr\": 1e-3}\n{\"step\": 2, \"loss\": 2.5, \"lr\": 1e-3}\n")
        let b = try file("b.json", """
            {"log_history": [{"step": 10, "loss": 2.9, "learning_rate": 2e-3},
                             {"step": 10, "eval_loss": 3.1},
                             {"step": 20, "loss": 2.7, "learning_rate": 1e-3},
                             {"step": 20, "eval_loss": 2.95}]}
            """)
        let read = try LogReader.read(inputs: [a, b])
        XCTAssertEqual(read.reports.map { $0.columns[.loss] }, ["loss", "eval_loss"])
        XCTAssertEqual(read.reports.map { $0.columns[.lr] }, ["lr", "learning_rate"])
        XCTAssertEqual(read.mapping[.loss], "loss")
        XCTAssertEqual(read.mapping[.lr], "lr")
        XCTAssertEqual(read.table.columnNames, ["step", "loss", "lr", "loss (not chosen in \(b))", "run"])
        let set = try LossCurveSet(table: read.table, mapping: read.mapping)
        XCTAssertEqual(set.curves.map(\.name), ["a", "b"])
        XCTAssertEqual(set.curves[0].losses, [3.0, 2.5])
        XCTAssertEqual(set.curves[1].steps, [10, 20])
        XCTAssertEqual(set.curves[1].losses, [3.1, 2.95])
        XCTAssertEqual(try read.table.values(of: "lr"), [1e-3, 1e-3, 2e-3, 1e-3])
        // With the column named, every file reads that one.
        let train = try LogReader.read(inputs: [a, b], options: LogReadOptions(lossColumn: "loss"))
        XCTAssertEqual(try LossCurveSet(table: train.table, mapping: train.mapping).curves[1].losses, [2.9, 2.7])
    }

    func testOneFileKeepsPlainLines() throws {
        let read = try LogReader.read(inputs: [try file("a.jsonl", "{\"step\": 1, \"loss\": \"x\"}\n")])
        XCTAssertEqual(read.table.rowFiles, [])
        XCTAssertEqual(read.table.position(of: 0), "line 1")
    }

    // MARK: The report's wording

    func testATableOfRunsIsARunPerRow() throws {
        let text = "params,tokens,loss\n1e8,2e9,3.1\n4e8,8e9,2.8\n1e9,2e10,2.6\n"
        let report = try LogReader.read(data: Data(text.utf8), fileName: "runs.csv").reports[0]
        XCTAssertTrue(report.description.hasPrefix("runs.csv: csv, 3 runs, a row each; "), report.description)
        let one = try LogReader.read(data: Data("params,tokens,loss\n1e8,2e9,3.1\n".utf8), fileName: "one.csv").reports[0]
        XCTAssertTrue(one.description.hasPrefix("one.csv: csv, 1 run, a row each; "), one.description)
        let log = try LogReader.read(data: Data("step,loss\n1,3.0\n2,2.9\n".utf8), fileName: "log.csv").reports[0]
        XCTAssertTrue(log.description.hasPrefix("log.csv: csv, 1 run; "), log.description)
    }

    func testTheLibraryNamesArgumentsAndTheCommandLineItsFlags() throws {
        var text = "run,step,loss,val_loss,lr\n"
        for run in ["a", "b"] { for step in stride(from: 0, through: 400, by: 100) { text += "\(run),\(step),3.0,3.1,1e-3\n" } }
        let read = try LogReader.read(data: Data(text.utf8), fileName: "runs.csv",
                                      options: LogReadOptions(minStep: 100, maxStep: 300, runs: ["a"]))
        let report = read.reports[0]
        XCTAssertEqual(report.dropped.map(\.reason), ["run not among the runs asked for: a", "step below the minimum step 100",
                                                      "step above the maximum step 300"])
        XCTAssertEqual(report.dropped.map(\.selection), [.runs(["a"]), .minStep(100), .maxStep(300)])
        let library = report.description
        XCTAssertTrue(library.contains("loss=\"val_loss\" (validation loss by default; not \"loss\": lossColumn = \"loss\" picks it)"), library)
        XCTAssertTrue(library.contains("1 row dropped: step below the minimum step 100 (line 2 run=\"a\" step=\"0\")"), library)
        XCTAssertFalse(library.contains("--"), library)
        let flags = LogReadReport.ArgumentNames(runs: "--runs", minStep: "--min-step", maxStep: "--max-step",
                                                columnChoice: [.loss: "--y"], areFlags: true)
        let cli = report.description(naming: flags)
        XCTAssertTrue(cli.contains("(validation loss by default; not \"loss\": --y loss picks it)"), cli)
        XCTAssertTrue(cli.contains("5 rows dropped: run not among --runs a ("), cli)
        XCTAssertTrue(cli.contains("1 row dropped: step below --min-step 100 ("), cli)
        XCTAssertTrue(cli.contains("1 row dropped: step above --max-step 300 ("), cli)
        // A selection is never an error under strict; an unreadable step is.
        XCTAssertNoThrow(try LogReader.read(data: Data(text.utf8), fileName: "runs.csv",
                                            options: LogReadOptions(minStep: 100, runs: ["a"], strict: true)))
    }

    // MARK: JSON fast paths

    func testAnEscapedKeyIsNeverTakenForTheKeyCachedAtItsPlace() throws {
        let text = "{\"a\": 1, \"b\": 2}\n{\"a\": 3, \"\\u0062x\": 4}\n{\"a\": 5, \"b\": 6}\n"
        let table = try RunTableReader.read(string: text, fileName: "k.jsonl")
        XCTAssertEqual(table.columnNames, ["a", "b", "bx"])
        XCTAssertEqual(table.column(named: "b")?.values.map { $0.isNaN ? -1 : $0 }, [2, -1, 6])
        XCTAssertEqual(table.column(named: "bx")?.values.map { $0.isNaN ? -1 : $0 }, [-1, 4, -1])
        // A key that only starts like the cached one, or is the cached one's start.
        let prefix = "{\"loss\": 1}\n{\"losses\": 2}\n{\"los\": 3}\n{\"loss\": 4}\n"
        let t2 = try RunTableReader.read(string: prefix, fileName: "p.jsonl")
        XCTAssertEqual(t2.columnNames, ["loss", "losses", "los"])
        XCTAssertEqual(t2.column(named: "loss")?.values.map { $0.isNaN ? -1 : $0 }, [1, -1, -1, 4])
        XCTAssertEqual(t2.column(named: "los")?.values.map { $0.isNaN ? -1 : $0 }, [-1, -1, 3, -1])
        // The same key under another parent is another column.
        let nested = "{\"train\": {\"loss\": 1}}\n{\"eval\": {\"loss\": 2}}\n{\"train\": {\"loss\": 3}}\n"
        let t3 = try RunTableReader.read(string: nested, fileName: "n.jsonl")
        XCTAssertEqual(t3.columnNames, ["train.loss", "eval.loss"])
        XCTAssertEqual(t3.column(named: "train.loss")?.values.map { $0.isNaN ? -1 : $0 }, [1, -1, 3])
    }

    func testJSONNumbersAroundTheEightDigitStepsEqualStrtod() throws {
        var generator = SystemRandomNumberGenerator()
        var texts = ["12345678", "123456789", "1234567890123456", "12345678901234567", "1234567890123456789",
                     "12345678901234567890", "99999999999999999999", "0.12345678", "0.1234567890123456",
                     "0.00000000000000000001", "18446744073709551615", "18446744073709551616",
                     "184467440737.09551615", "2.9123456789012345", "0.00029999999999999997", "1e-7", "-0.0",
                     "12345678.87654321e-3", "1844674407370955161.5"]
        for _ in 0..<3000 {
            let whole = String((0..<Int.random(in: 1...21, using: &generator)).map { _ in "0123456789".randomElement(using: &generator)! })
                .drop(while: { $0 == "0" })
            let fraction = String((0..<Int.random(in: 0...24, using: &generator)).map { _ in "0123456789".randomElement(using: &generator)! })
            var text = (whole.isEmpty ? "0" : String(whole)) + (fraction.isEmpty ? "" : "." + fraction)
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            texts.append(text)
        }
        for text in texts {
            let bytes = Array((text + ",").utf8)
            let parsed = bytes.withUnsafeBufferPointer { CellValue.parseJSONNumber($0, from: 0) }
            XCTAssertEqual(parsed?.end, text.utf8.count, text)
            XCTAssertEqual(parsed?.value.bitPattern, strtod(text, nil).bitPattern, text)
        }
    }
}
