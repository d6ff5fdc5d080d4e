import Foundation
import XCTest
@testable import ScaleFit

/// `LogReader`: several inputs, directories, standard input, selection and the report.
final class LogReaderTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "scalefit-logreader-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    private func file(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testSeveralFilesBecomeRunsNamedByTheirFiles() throws {
        let a = try file("a.jsonl", "{\"step\": 1, \"loss\": 3.0, \"lr\": 1e-3}\n{\"step\": 2, \"loss\": 2.5, \"lr\": 1e-3}\n")
        let b = try file("b.csv", "iter,train_loss,lr\n1,3.5,2e-3\n2,3.0,2e-3\n3,2.75,2e-3\n")
        let read = try LogReader.read(inputs: [a, b])
        XCTAssertEqual(read.reports.map(\.format), [.jsonLines, .csv])
        XCTAssertEqual(read.mapping[.run], "run")
        XCTAssertEqual(try read.table.groups(by: "run").map(\.key), ["a", "b"])
        // b's iter and train_loss are its step and loss, so they join a's under a's names.
        XCTAssertEqual(read.table.columnNames, ["step", "loss", "lr", "run"])
        XCTAssertEqual(try read.table.values(of: "step"), [1, 2, 1, 2, 3])
        XCTAssertEqual(try read.table.values(of: "loss"), [3.0, 2.5, 3.5, 3.0, 2.75])
        XCTAssertEqual(read.table.fileName, "2 inputs")
        XCTAssertEqual(read.reports.map(\.runs), [["a"], ["b"]])
        let onlyB = try LogReader.read(inputs: [a, b], options: LogReadOptions(runs: ["b"]))
        XCTAssertEqual(try onlyB.table.groups(by: "run").map(\.key), ["b"])
        XCTAssertEqual(onlyB.reports[0].rowsUsed, 0)
        XCTAssertEqual(onlyB.reports[0].dropped.map(\.reason), ["run not among the runs asked for: b"])
        XCTAssertEqual(onlyB.reports[0].dropped.first?.rows.count, 2)
    }

    func testADirectoryReadsEveryLogInIt() throws {
        try file("sweep/small.jsonl", "{\"step\": 1, \"loss\": 3.0}\n{\"step\": 2, \"loss\": 2.5}\n")
        try file("sweep/big/metrics.jsonl", "{\"step\": 1, \"loss\": 2.0}\n")
        try file("sweep/README.md", "notes\n")
        let read = try LogReader.read(inputs: [directory + "/sweep"])
        XCTAssertEqual(read.skippedFiles, 1)
        XCTAssertEqual(try read.table.groups(by: "run").map(\.key), ["big/metrics", "small"])
        XCTAssertEqual(try read.table.values(of: "loss"), [2.0, 3.0, 2.5])
    }

    func testStandardInputIsReadOnceAndDetectedByContent() throws {
        let text = "{\"log_history\": [{\"step\": 5, \"loss\": 2.0}, {\"step\": 5, \"eval_loss\": 2.2}]}"
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let saved = dup(STDIN_FILENO)
        defer {
            dup2(saved, STDIN_FILENO)
            close(saved)
        }
        _ = text.withCString { write(fds[1], $0, strlen($0)) }
        close(fds[1])
        dup2(fds[0], STDIN_FILENO)
        close(fds[0])
        let read = try LogReader.read(inputs: ["-"])
        XCTAssertEqual(read.reports[0].input, "<stdin>")
        XCTAssertEqual(read.reports[0].format, .trainerState)
        XCTAssertEqual(read.table.rowCount, 1)
        XCTAssertEqual(read.table.column(named: "eval_loss")?.values, [2.2])
        XCTAssertEqual(read.table.rowColumns, [18])
        XCTAssertThrowsError(try LogReader.read(inputs: ["-", "-"])) { error in
            XCTAssertEqual(error as? ScaleFitError, .badArgument(flag: "-", position: 0, expected: "standard input given once",
                                                                 found: "- twice"))
        }
    }

    func testSelectionAndItsReport() throws {
        var text = "run,step,loss,lr\n"
        for run in ["a", "b"] { for step in stride(from: 0, through: 400, by: 100) { text += "\(run),\(step),\(3.0 - Double(step) / 1000),1e-3\n" } }
        text += "a,oops,2.0,1e-3\nb,500,bad,1e-3\n"
        let options = LogReadOptions(minStep: 100, maxStep: 300, runs: ["a"])
        let read = try LogReader.read(data: Data(text.utf8), fileName: "runs.csv", options: options)
        XCTAssertEqual(try read.table.values(of: "step"), [100, 200, 300])
        let report = read.reports[0]
        XCTAssertEqual(report.rowsRead, 12)
        XCTAssertEqual(report.rowsUsed, 3)
        XCTAssertEqual(report.dropped.map(\.reason), ["step \"step\" is not a number", "run not among the runs asked for: a",
                                                      "step below the minimum step 100", "step above the maximum step 300"])
        XCTAssertEqual(report.dropped.map(\.rows.count), [1, 6, 1, 1])
        XCTAssertEqual(report.dropped[0].rows.examples, ["line 12 run=\"a\" step=\"oops\""])
        XCTAssertEqual(report.description, """
            runs.csv: csv, 1 run (a); step="step", loss="loss", lr="lr", run="run"; 3 of 12 rows used; \
            1 row dropped: step "step" is not a number (line 12 run="a" step="oops"); \
            6 rows dropped: run not among the runs asked for: a (line 7 run="b" step="0", line 8 run="b" step="100", \
            line 9 run="b" step="200", line 10 run="b" step="300", line 11 run="b" step="400", …); \
            1 row dropped: step below the minimum step 100 (line 2 run="a" step="0"); \
            1 row dropped: step above the maximum step 300 (line 6 run="a" step="400")
            """)
        XCTAssertThrowsError(try LogReader.read(data: Data(text.utf8), fileName: "runs.csv",
                                                options: LogReadOptions(strict: true))) { error in
            XCTAssertEqual(error as? ScaleFitError, .droppedRows(file: "runs.csv", count: 1, first: "line 12 run=\"a\" step=\"oops\""))
        }
    }

    func testColumnOverridesAndFormatOverride() throws {
        let text = "{\"iter\": 1, \"train\": {\"loss\": 3.0, \"lr\": 0.1}, \"val\": {\"loss\": 3.2}, \"lr-AdamW\": 0.2}\n"
        let detected = try LogReader.read(data: Data(text.utf8), fileName: "m.txt")
        XCTAssertEqual(detected.reports[0].format, .jsonLines)
        XCTAssertEqual(detected.mapping[.loss], "val.loss")
        XCTAssertEqual(detected.mapping[.lr], "train.lr")
        XCTAssertEqual(detected.mapping.alternatives[.lr], ["lr-AdamW"])
        let chosen = try LogReader.read(data: Data(text.utf8), fileName: "m.txt",
                                        options: LogReadOptions(lossColumn: "train.loss", lrColumn: "lr-AdamW"))
        XCTAssertEqual(chosen.mapping[.loss], "train.loss")
        XCTAssertEqual(chosen.mapping[.lr], "lr-AdamW")
        XCTAssertThrowsError(try LogReader.read(data: Data(text.utf8), fileName: "m.txt", options: LogReadOptions(format: .csv))) { error in
            XCTAssertEqual(error as? ScaleFitError, .headerOnly(file: "m.txt"))
        }
    }
}
