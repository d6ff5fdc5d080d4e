import Foundation
import XCTest
@testable import ScaleFit

/// TensorBoard event files written by the real writers (Scripts/make-tensorboard-fixtures.py:
/// tensorboardX for TF1-style simple_value, tensorboard's EventFileWriter for TF2-style
/// tensors), compared bit for bit with what tensorboard's EventAccumulator returned for them.
final class TensorBoardReaderTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tensorboard")

    private func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    /// expected.json: file → tag → [[step, wall_time, value, value bits in hex]].
    private func expected() throws -> [String: [String: [[Any]]]] {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("expected.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: [String: [[Any]]]])
    }

    func testValuesEqualTensorBoardsOwnReaderBitForBit() throws {
        for (file, tags) in try expected() {
            let table = try RunTableReader.read(path: fixture(file))
            XCTAssertEqual(Set(table.columnNames), Set(["step", "wall_time"] + tags.keys), file)
            let steps = try table.values(of: "step"), walls = try table.values(of: "wall_time")
            for (tag, points) in tags {
                let values = try table.values(of: tag)
                let rows = values.indices.filter { !values[$0].isNaN }
                XCTAssertEqual(rows.count, points.count, "\(file) \(tag)")
                for (row, point) in zip(rows, points) {
                    XCTAssertEqual(steps[row], (point[0] as! NSNumber).doubleValue, "\(file) \(tag)")
                    XCTAssertEqual(walls[row].bitPattern, (point[1] as! NSNumber).doubleValue.bitPattern, "\(file) \(tag)")
                    let bits = UInt64(point[3] as! String, radix: 16)!
                    XCTAssertEqual(values[row].bitPattern, bits, "\(file) \(tag) step \(steps[row])")
                }
            }
        }
    }

    func testEveryChunkSizeGivesTheSameTable() throws {
        for file in ["tf1/events.out.tfevents.tf1", "tf2/events.out.tfevents.tf2"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture(file)))
            let whole = try RunTableReader.read(data: bytes, fileName: "e", format: .tensorboard, chunkSize: 1 << 20)
            for size in [1, 5, 11, 12, 13, 64, 100] {
                XCTAssertEqual(try RunTableReader.read(data: bytes, fileName: "e", format: .tensorboard, chunkSize: size),
                               whole, "\(file) chunk size \(size)")
            }
        }
    }

    func testTF1FileWithARestart() throws {
        let path = fixture("tf1/events.out.tfevents.tf1")
        let raw = try RunTableReader.read(path: path)
        XCTAssertEqual(raw.rowCount, 18)
        XCTAssertEqual(raw.columnNames, ["step", "wall_time", "train/loss", "lr"])
        XCTAssertTrue(raw.position(of: 0).hasPrefix("byte "))
        let read = try LogReader.read(inputs: [path])
        let report = read.reports[0]
        XCTAssertEqual(report.format, .tensorboard)
        XCTAssertEqual(read.mapping[.loss], "train/loss")
        XCTAssertEqual(read.mapping[.lr], "lr")
        XCTAssertEqual(try read.table.values(of: "step"), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120])
        XCTAssertEqual(report.superseded.map(\.rows), [5])
        XCTAssertEqual(report.superseded.first?.step, 50)
        XCTAssertEqual(report.superseded.first?.position, raw.position(of: 10))
    }

    func testTF2TensorsAndSkippedHistogram() throws {
        let table = try RunTableReader.read(path: fixture("tf2/events.out.tfevents.tf2"))
        XCTAssertEqual(table.columnNames, ["step", "wall_time", "train/loss", "eval/loss", "lr"])
        XCTAssertEqual(table.rowCount, 6)
        XCTAssertEqual(table.skipped, [SkippedEntries(kind: "non-scalar summary value", count: 6)])
        XCTAssertEqual(try table.values(of: "eval/loss"), (0..<6).map { 1.0 / Double($0 * 10 + 3) })
        XCTAssertEqual(try ColumnMapping.detect(in: table)[.loss], "eval/loss")
    }

    func testADirectoryOfRunsMakesARunPerSubfolder() throws {
        let read = try LogReader.read(inputs: [Self.fixtures.path])
        XCTAssertEqual(read.reports.map(\.format), [.tensorboard, .tensorboard])
        XCTAssertEqual(try read.table.groups(by: "run").map(\.key), ["tf1", "tf2"])
        XCTAssertEqual(read.mapping[.run], "run")
        XCTAssertEqual(read.skippedFiles, 1)  // expected.json: a TensorBoard log directory reads event files only
        XCTAssertEqual(read.table.rowCount, 13 + 6)  // tf1 after its restart is resolved
    }

    func testTruncatedFileNamesTheByteOffset() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture("tf1/events.out.tfevents.tf1")))
        let cut = bytes.count - 7
        XCTAssertThrowsError(try RunTableReader.read(data: bytes.prefix(cut), fileName: "e.tfevents", format: nil)) { error in
            guard case let .badBytes(file, offset, expected, found)? = error as? ScaleFitError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(file, "e.tfevents")
            XCTAssertEqual(found, "the end of the file after \(cut - offset) bytes")
            XCTAssertTrue(expected.hasPrefix("a record of "), expected)
            XCTAssertLessThan(offset, cut)
            XCTAssertGreaterThan(offset, cut - 100)
        }
    }

    func testFlippedCRCBytesNameTheByteOffset() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("tf1/events.out.tfevents.tf1"))))
        let firstLength = Int(bytes[0]) | Int(bytes[1]) << 8
        let secondRecord = 12 + firstLength + 4
        // A flipped bit in the second record's data CRC.
        var data = bytes
        data[secondRecord + 12 + Int(bytes[secondRecord]) + 1] ^= 0x01
        XCTAssertThrowsError(try RunTableReader.read(data: Data(data), fileName: "e", format: .tensorboard)) { error in
            guard case let .badBytes(_, offset, expected, _)? = error as? ScaleFitError else { return XCTFail("\(error)") }
            XCTAssertEqual(offset, secondRecord + 12 + Int(bytes[secondRecord]))
            XCTAssertEqual(expected, "the masked CRC-32C of the \(bytes[secondRecord]) data bytes at byte \(secondRecord + 12)")
        }
        // A flipped bit in the second record's length CRC.
        var header = bytes
        header[secondRecord + 9] ^= 0x80
        XCTAssertThrowsError(try RunTableReader.read(data: Data(header), fileName: "e", format: .tensorboard)) { error in
            guard case let .badBytes(_, offset, expected, _)? = error as? ScaleFitError else { return XCTFail("\(error)") }
            XCTAssertEqual(offset, secondRecord + 8)
            XCTAssertEqual(expected, "the masked CRC-32C of the record length")
            XCTAssertTrue((error as! ScaleFitError).description.hasPrefix("e: byte \(secondRecord + 8): expected the masked CRC-32C"))
        }
    }

    func testCRC32CCheckValue() {
        let check = Array("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0) }
        XCTAssertEqual(check, 0xE306_9283)
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        // Slicing-by-8 agrees with byte-at-a-time over every length and alignment.
        for start in 0..<9 {
            for end in stride(from: start, through: 60, by: 7) {
                let sliced = long.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                var crc: UInt32 = 0xFFFF_FFFF
                for byte in long[start..<end] {
                    crc ^= UInt32(byte)
                    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
                }
                XCTAssertEqual(sliced, crc ^ 0xFFFF_FFFF)
            }
        }
    }

    /// Records whose Event bytes are mutated and re-framed with valid CRCs reach the
    /// protobuf decoder: every outcome is a table or a ScaleFitError, never a trap.
    func testMutatedEventsDecodeOrFailCleanly() throws {
        var records: [[UInt8]] = []
        for file in ["tf1/events.out.tfevents.tf1", "tf2/events.out.tfevents.tf2"] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(file))))
            var offset = 0
            while offset + 12 <= bytes.count {
                let length = bytes[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
                records.append(Array(bytes[offset + 12..<offset + 12 + length]))
                offset += 16 + length
            }
        }
        var state: UInt64 = 99
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var tables = 0, errors = 0
        for _ in 0..<3000 {
            var event = records[next() % records.count]
            for _ in 0..<(1 + next() % 3) where !event.isEmpty {
                let at = next() % event.count
                switch next() % 3 {
                case 0: event[at] = UInt8(truncatingIfNeeded: next())
                case 1: event.remove(at: at)
                default: event.insert(UInt8(truncatingIfNeeded: next()), at: at)
                }
            }
            var framed: [UInt8] = []
            withUnsafeBytes(of: UInt64(event.count).littleEndian) { framed += $0 }
            let lengthCRC = framed.withUnsafeBytes { CRC32C.masked($0) }
            withUnsafeBytes(of: lengthCRC.littleEndian) { framed += $0 }
            framed += event
            withUnsafeBytes(of: event.withUnsafeBytes { CRC32C.masked($0) }.littleEndian) { framed += $0 }
            do {
                _ = try RunTableReader.read(data: Data(framed), fileName: "m", format: .tensorboard)
                tables += 1
            } catch is ScaleFitError {
                errors += 1
            }
        }
        XCTAssertEqual(tables + errors, 3000)
        XCTAssertGreaterThan(tables, 100)
        XCTAssertGreaterThan(errors, 100)
    }
}
