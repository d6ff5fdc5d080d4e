import Foundation
import XCTest
@testable import ScaleFit

/// The public logs in `../shared/data/logs/` (see its PROVENANCE.md), each read to the
/// series a researcher would fit: step range, point count, first and last values.
final class RealLogTests: XCTestCase {
    /// The path of a real log, or a skip when `../shared` is not beside the package.
    private func logPath(_ name: String) throws -> String {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = package.deletingLastPathComponent().appendingPathComponent("shared/data/logs/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is absent: the real logs live in ../shared/data/logs beside the package")
        }
        return path
    }

    /// The (step, value) points of `column` where it has a value.
    private func series(_ table: RunTable, _ column: String, step: String = "step") throws -> (steps: [Double], values: [Double]) {
        let steps = try table.values(of: step), values = try table.values(of: column)
        let rows = values.indices.filter { values[$0].isFinite }
        return (rows.map { steps[$0] }, rows.map { values[$0] })
    }

    private struct Expected {
        var count: Int, first: (step: Double, value: Double), last: (step: Double, value: Double)
    }

    private func assertSeries(_ table: RunTable, _ column: String, _ expected: Expected,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let (steps, values) = try series(table, column)
        XCTAssertEqual(steps.count, expected.count, column, file: file, line: line)
        XCTAssertEqual(steps.first, expected.first.step, column, file: file, line: line)
        XCTAssertEqual(values.first, expected.first.value, column, file: file, line: line)
        XCTAssertEqual(steps.last, expected.last.step, column, file: file, line: line)
        XCTAssertEqual(values.last, expected.last.value, column, file: file, line: line)
        XCTAssertEqual(steps, steps.sorted(), "\(column) steps increase", file: file, line: line)
    }

    func testJaongTrainerStateHasTrainAndEvalSeriesAndSkipsSummaryAndPredictEntries() throws {
        let read = try LogReader.read(inputs: [try logPath("jaong-cpt.trainer_state.json")])
        let report = try XCTUnwrap(read.reports.first)
        XCTAssertEqual(report.format, .trainerState)
        XCTAssertEqual(read.mapping[.loss], "eval_loss")
        XCTAssertEqual(read.mapping.alternatives[.loss], ["loss"])
        XCTAssertEqual(read.mapping[.lr], "learning_rate")
        XCTAssertEqual(read.table.rowCount, 20)
        try assertSeries(read.table, "loss", Expected(count: 10, first: (500, 1.1409), last: (5000, 0.2645)))
        try assertSeries(read.table, "eval_loss", Expected(count: 10, first: (549, 0.6597685217857361),
                                                           last: (5490, 0.4916660189628601)))
        try assertSeries(read.table, "learning_rate", Expected(count: 10, first: (500, 1.817850637522769e-05),
                                                               last: (5000, 1.7850637522768672e-06)))
        XCTAssertEqual(report.skipped, [SkippedEntries(kind: "trainer summary entry", count: 1),
                                        SkippedEntries(kind: "predict_* entry", count: 10)])
        XCTAssertNil(read.table.column(named: "predict_loss"))
        XCTAssertNil(read.table.column(named: "train_runtime"))
        XCTAssertTrue(report.description.contains("1 trainer summary entry skipped; 10 predict_* entries skipped"),
                      report.description)
        XCTAssertTrue(report.description.contains("loss=\"eval_loss\" (validation loss by default; not \"loss\": lossColumn = \"loss\" picks it)"), report.description)
    }

    func testWhisperTrainerStateEvalAtTheStepOfATrainEntryIsOneRow() throws {
        let read = try LogReader.read(inputs: [try logPath("whisper-ja.trainer_state.json")])
        XCTAssertEqual(read.table.rowCount, 200)
        XCTAssertEqual(read.reports[0].superseded, [])
        try assertSeries(read.table, "loss", Expected(count: 200, first: (25, 0.3048), last: (5000, 0.0002)))
        try assertSeries(read.table, "eval_loss", Expected(count: 5, first: (1000, 0.320997953414917),
                                                           last: (5000, 0.4200145900249481)))
        try assertSeries(read.table, "learning_rate", Expected(count: 200, first: (25, 4.6000000000000004e-07),
                                                               last: (5000, 8.88888888888889e-09)))
        XCTAssertEqual(read.reports[0].skipped, [SkippedEntries(kind: "trainer summary entry", count: 1)])
        // The curve set a law fits reads it (it refused "step 1000 does not increase").
        let set = try LossCurveSet(table: read.table, mapping: read.mapping)
        XCTAssertEqual(set.curves.first?.steps.count, 5)
        var train = read.mapping
        train[.loss] = "loss"
        XCTAssertEqual(try LossCurveSet(table: read.table, mapping: train).curves.first?.steps.count, 200)
    }

    func testTinyLlamaTrainerState() throws {
        let read = try LogReader.read(inputs: [try logPath("tinyllama.trainer_state.json")])
        XCTAssertEqual(read.table.rowCount, 196)
        try assertSeries(read.table, "loss", Expected(count: 186, first: (15, 2.0762), last: (2790, 1.025)))
        try assertSeries(read.table, "eval_loss", Expected(count: 14, first: (200, 1.622266411781311),
                                                           last: (2800, 1.1219322681427002)))
        XCTAssertEqual(read.reports[0].skipped, [])
    }

    func testResumedRunJSONLinesLaterSegmentSupersedesTheEarlier() throws {
        let read = try LogReader.read(inputs: [try logPath("slm-training.metrics.jsonl")])
        let report = read.reports[0]
        XCTAssertEqual(report.format, .jsonLines)
        XCTAssertEqual(report.rowsRead, 398)
        XCTAssertEqual(report.rowsUsed, 388)
        XCTAssertEqual(report.superseded, [
            Supersession(run: "", step: 20, rows: 1, position: "line 2"),
            Supersession(run: "", step: 20, rows: 2, position: "line 4"),
            Supersession(run: "", step: 7520, rows: 4, position: "line 383"),
            Supersession(run: "", step: 7520, rows: 3, position: "line 386"),
        ])
        XCTAssertEqual(read.mapping[.step], "step")
        XCTAssertEqual(read.mapping[.loss], "loss")
        XCTAssertEqual(read.mapping[.lr], "lr")
        XCTAssertEqual(read.mapping[.tokens], "tokens")
        try assertSeries(read.table, "loss", Expected(count: 388, first: (20, 8.552507877349854),
                                                      last: (7760, 2.2009329944849014)))
        XCTAssertEqual(read.table.lineNumbers.first, 4)
        XCTAssertTrue(report.description.contains("10 rows superseded by restarts (1 row superseded at step 20 (line 2), 2 rows superseded at step 20 (line 4), 4 rows superseded at step 7520 (line 383), …)"), report.description)
        let set = try LossCurveSet(table: read.table, mapping: read.mapping)
        XCTAssertEqual(set.curves.first?.steps.count, 388)
    }

    func testMinifiedTrainerStatePointsAtLineAndColumn() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: try logPath("whisper-ja.trainer_state.json")))
        let object = try JSONSerialization.jsonObject(with: original)
        var text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        // A text cell in the loss of the third train entry: dropped, at its column on line 1.
        let third = text.ranges(of: "\"loss\":").dropFirst(2).first!
        let valueEnd = text[third.upperBound...].firstIndex(of: ",")!
        text.replaceSubrange(third.upperBound..<valueEnd, with: "\"oops\"")
        let entryStart = text[..<third.lowerBound].lastIndex(of: "{")!
        let column = text.distance(from: text.startIndex, to: entryStart) + 1
        let read = try LogReader.read(data: Data(text.utf8), fileName: "min.json", options: LogReadOptions(lossColumn: "loss"))
        XCTAssertEqual(read.reports[0].badCells.examples.first, "line 1 column \(column) loss=\"oops\"")
        let train = try read.table.usableRows(numericColumns: ["step", "loss"])
        XCTAssertEqual(train.dropped.examples.first, "line 1 column \(column) loss=\"oops\"")
        XCTAssertThrowsError(try LogReader.read(data: Data(text.utf8), fileName: "min.json",
                                                options: LogReadOptions(lossColumn: "loss", strict: true))) { error in
            XCTAssertEqual(error as? ScaleFitError, .droppedRows(file: "min.json", count: 1,
                                                                 first: "line 1 column \(column) loss=\"oops\""))
        }
        // A syntax error names its column too.
        let broken = text.replacingOccurrences(of: "\"oops\"", with: "oops")
        XCTAssertThrowsError(try LogReader.read(data: Data(broken.utf8), fileName: "min.json")) { error in
            XCTAssertEqual(error as? ScaleFitError, .badValue(file: "min.json", line: 1, column: text.distance(
                from: text.startIndex, to: third.upperBound) + 1, expected: "a value", found: "oops"))
        }
    }
}
