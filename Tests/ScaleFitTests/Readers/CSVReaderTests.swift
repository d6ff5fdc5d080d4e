import Foundation
import XCTest
@testable import ScaleFit

/// The CSV reader on RFC 4180 features, numbers, text columns and chunk boundaries.
final class CSVReaderTests: XCTestCase {
    private func read(_ text: String, chunkSize: Int = 1 << 20, format: RunTableFormat? = .csv) throws -> RunTable {
        try RunTableReader.read(data: Data(text.utf8), fileName: "t.csv", format: format, chunkSize: chunkSize)
    }

    func testReadsHeaderAndNumericColumns() throws {
        let table = try read("N,D,loss\n1e8,2e9,3.5\n4e8,8e9,3.1\n")
        XCTAssertEqual(table.columnNames, ["N", "D", "loss"])
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(table.column(named: "N")?.values, [1e8, 4e8])
        XCTAssertEqual(table.column(named: "loss")?.values, [3.5, 3.1])
        XCTAssertEqual(table.lineNumbers, [2, 3])
        XCTAssertEqual(table.fileName, "t.csv")
        XCTAssertTrue(table.columns.allSatisfy { $0.kind == .numeric })
    }

    func testQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let table = try read("name,loss\n\"a, \"\"big\"\" run\",2.5\n\"two\nlines\",2.4\nplain,2.3\n")
        XCTAssertEqual(table.column(named: "name")?.strings, ["a, \"big\" run", "two\nlines", "plain"])
        XCTAssertEqual(table.column(named: "loss")?.values, [2.5, 2.4, 2.3])
        // A row's line is where it starts; the embedded newline moves the next row down.
        XCTAssertEqual(table.lineNumbers, [2, 3, 5])
    }

    func testCRLFLoneCRAndMissingFinalNewline() throws {
        let crlf = try read("a,b\r\n1,2\r\n3,4")
        XCTAssertEqual(crlf.column(named: "b")?.values, [2, 4])
        XCTAssertEqual(crlf.lineNumbers, [2, 3])
        let cr = try read("a,b\r1,2\r3,4\r")
        XCTAssertEqual(cr.column(named: "a")?.values, [1, 3])
        XCTAssertEqual(cr.lineNumbers, [2, 3])
        let quotedCRLF = try read("a,b\r\n\"x\r\ny\",1\r\n")
        XCTAssertEqual(quotedCRLF.column(named: "a")?.strings, ["x\r\ny"])
    }

    func testByteOrderMarkCommentsAndBlankLines() throws {
        let text = "\u{FEFF}# produced by sweep.py\nstep,loss\n\n1,4.0\n# restarted here\n   \n2,3.5\n"
        let table = try read(text)
        XCTAssertEqual(table.columnNames, ["step", "loss"])
        XCTAssertEqual(table.column(named: "step")?.values, [1, 2])
        XCTAssertEqual(table.lineNumbers, [4, 7])
        XCTAssertEqual(table.commentLines, 2)
    }

    func testNumbersAndSizeSuffixes() throws {
        let table = try read("size,x\n70M,1.4e12\n1.3B,-.5E-3\n1.4T,+2\n500k,0\n2g,1e+2\n")
        XCTAssertEqual(table.column(named: "size")?.values, [70e6, 1.3e9, 1.4e12, 500e3, 2e9])
        XCTAssertEqual(table.column(named: "x")?.values, [1.4e12, -0.5e-3, 2, 0, 100])
    }

    func testNonFiniteAndMissingWordsKeepAColumnNumeric() throws {
        let table = try read("loss\n1.5\nnan\ninf\n-Infinity\nNA\nnull\n\"\"\n2\n")
        let loss = try XCTUnwrap(table.column(named: "loss"))
        XCTAssertEqual(loss.kind, .numeric)
        XCTAssertEqual(loss.values.count, 8)
        XCTAssertTrue(loss.values[1].isNaN)
        XCTAssertEqual(loss.values[2], .infinity)
        XCTAssertEqual(loss.values[3], -.infinity)
        XCTAssertEqual((0..<8).map { loss.text(at: $0) }, ["1.5", "nan", "inf", "-Infinity", "NA", "null", "", "2"])
        XCTAssertEqual((0..<8).map { loss.isEmpty(at: $0) }, [false, false, false, false, false, false, true, false])
    }

    func testAColumnWithTextIsATextColumnAndKeepsEveryCell() throws {
        var text = "run,loss\n"
        for i in 0..<(ColumnBuilder.sampleLimit + 10) { text += "\(i % 3 == 0 ? "007" : String(i)),1\n" }
        text += "big-run,2\n"
        let table = try read(text)
        let run = try XCTUnwrap(table.column(named: "run"))
        XCTAssertEqual(run.kind, .text)
        XCTAssertEqual(run.strings?.first, "007")   // inside the sample: the raw text
        XCTAssertEqual(run.strings?.last, "big-run")
        XCTAssertEqual(run.values.first, 7)          // numbers in a text column keep their value
        XCTAssertTrue(run.values.last!.isNaN)
        // A run column keeps every cell as written, past the sample too.
        XCTAssertEqual(run.strings?[ColumnBuilder.sampleLimit + 2], "007")
    }

    func testSpacesAroundCellsAndEmptyHeaderNames() throws {
        let table = try read(" ,  a , b\n0, 1 , x y \n")
        XCTAssertEqual(table.columnNames, ["column_1", "a", "b"])
        XCTAssertEqual(table.column(named: "a")?.values, [1])
        XCTAssertEqual(table.column(named: "b")?.strings, ["x y"])
    }

    func testEveryChunkSizeGivesTheSameTable() throws {
        let text = "\u{FEFF}# c\r\nname,\"N\",loss\r\n\"a,\"\"q\"\"\nb\",70M,nan\r\n\r\nplain,1.3B,2.5\n\"\" ,1,\n"
        let whole = try read(text)
        for size in 1...9 {
            XCTAssertEqual(try read(text, chunkSize: size), whole, "chunk size \(size)")
        }
        XCTAssertEqual(whole.rowCount, 3)
        XCTAssertEqual(whole.commentLines, 1)
    }

    func testStrayQuoteInsideUnquotedFieldIsKept() throws {
        let table = try read("name,x\nsay \"hi\",1\n\"q\"  ,2\n")
        XCTAssertEqual(table.column(named: "name")?.strings, ["say \"hi\"", "q"])
    }

    func testReadsAFileFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-csv-\(getpid()).csv")
        try Data("step,lr,loss\n1,0.1,3\n2,0.1,\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let table = try RunTableReader.read(path: url.path)
        XCTAssertEqual(table.fileName, url.path)
        XCTAssertEqual(table.column(named: "loss")?.isEmpty(at: 1), true)
    }

    func testReadsTheChinchillaData() throws {
        let url = sharedData("chinchilla/svg_extracted_data.csv")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared/data/chinchilla/svg_extracted_data.csv not found: \(url.path)")
        }
        let table = try RunTableReader.read(path: url.path)
        XCTAssertEqual(table.columnNames, ["x", "y", "color", "Model Size", "Training FLOP", "hex_color", "loss"])
        XCTAssertGreaterThan(table.rowCount, 200)
        XCTAssertEqual(table.column(named: "color")?.kind, .text)
        XCTAssertEqual(table.column(named: "model size")?.values.first, 6795600349.289497)
        let mapping = try ColumnMapping.detect(in: table)
        XCTAssertEqual(mapping.description, "columns: params=\"Model Size\", compute=\"Training FLOP\", loss=\"loss\"")
    }

    private func sharedData(_ relative: String) -> URL {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/",
              !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        return directory.deletingLastPathComponent().appendingPathComponent("shared/data/\(relative)")
    }
}
