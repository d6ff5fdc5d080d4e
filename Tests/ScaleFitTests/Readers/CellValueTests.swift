import Foundation
import XCTest
@testable import ScaleFit

/// Cell classification and number parsing: the fast exact path agrees with strtod.
final class CellValueTests: XCTestCase {
    func testClassifies() {
        XCTAssertEqual(CellValue.classify(""), .empty)
        XCTAssertEqual(CellValue.classify("  "), .empty)
        XCTAssertEqual(CellValue.classify(" 3.5 "), .number(3.5))
        XCTAssertEqual(CellValue.classify("-0"), .number(-0.0))
        XCTAssertEqual(CellValue.classify("1e400"), .nonFinite(.infinity))
        XCTAssertEqual(CellValue.classify("-inf"), .nonFinite(-.infinity))
        XCTAssertEqual(CellValue.classify("+Infinity"), .nonFinite(.infinity))
        XCTAssertEqual(CellValue.classify("4.9e-324"), .number(.leastNonzeroMagnitude))
        XCTAssertEqual(CellValue.classify("1.7976931348623157e308"), .number(.greatestFiniteMagnitude))
        for text in ["abc", "1e", "e5", ".", "-", "+.e1", "1.2.3", "0x10", "1,5", "1 5", "70MB", "1e5M5", "-nan5", "--1"] {
            XCTAssertEqual(CellValue.classify(text), .text, text)
        }
        for word in ["nan", "NaN", "NA", "n/a", "None", "null"] {
            guard case let .nonFinite(value) = CellValue.classify(word) else { return XCTFail(word) }
            XCTAssertTrue(value.isNaN, word)
        }
    }

    func testSizeSuffixes() {
        XCTAssertEqual(CellValue.classify("70M"), .number(70e6))
        XCTAssertEqual(CellValue.classify("1.3B"), .number(1.3e9))
        XCTAssertEqual(CellValue.classify("1.4t"), .number(1.4e12))
        XCTAssertEqual(CellValue.classify("500K"), .number(500e3))
        XCTAssertEqual(CellValue.classify("2.5e3k"), .number(2.5e6))
        XCTAssertEqual(CellValue.classify("-7G"), .number(-7e9))
        // Long mantissas take strtod and then the multiplier.
        XCTAssertEqual(CellValue.classify("1.23456789012345678M"), .number(1.23456789012345678 * 1e6))
    }

    func testFastPathAgreesWithStrtodOnSeededDecimals() {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        for _ in 0..<20_000 {
            let digits = String(next() % 10_000_000_000_000_000)  // up to 16 digits
            let point = Int(next() % UInt64(digits.count + 1))
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if text == "." { text = "0" }
            if next() % 2 == 0 { text += "e\(Int(next() % 60) - 30)" }
            if next() % 3 == 0 { text = "-" + text }
            XCTAssertEqual(CellValue.classify(text), .number(Double(text)!), text)
        }
    }

    /// The 17–19-digit mantissas logs write take the Float80 path; it must agree with
    /// strtod (correct rounding) on every one, midpoints included.
    func testLongMantissasAgreeWithStrtod() {
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 1
        }
        for _ in 0..<50_000 {
            let digits = String(next() % 10_000_000_000_000_000_000)
            let point = Int(next() % UInt64(digits.count + 1))
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if text == "." { text = "0" }
            if next() % 2 == 0 { text += "e\(Int(next() % 50) - 25)" }
            XCTAssertEqual(CellValue.classify(text), .number(strtod(text, nil)), text)
        }
        // Exact midpoints between two doubles: 2^53 + 1 and friends, written out in full.
        for text in ["9007199254740993", "9007199254740995", "18014398509481986", "1.8014398509481986e16",
                     "4611686018427387905", "2.9123456789012345", "0.00029999999999999997", "1e-300"] {
            XCTAssertEqual(CellValue.classify(text), .number(strtod(text, nil)), text)
        }
    }

    /// The JSON scanner's one-pass number parse gives strtod's value and stops where the
    /// JSON grammar does (the scanner reports what follows).
    func testJSONNumbersInOnePass() {
        for text in ["0", "-0", "0.1", "2.9123456789012345", "-1.5e-7", "12345678901234567890", "1e400", "4.9e-324"] {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { CellValue.parseJSONNumber($0, from: 0) }
            XCTAssertEqual(parsed?.end, text.utf8.count, text)
            XCTAssertEqual(parsed?.value.bitPattern, strtod(text, nil).bitPattern, text)
        }
        for (text, end) in [("01", 1), ("1.5x", 3), ("-", -1), (".5", -1), ("1.", -1), ("1e", -1), ("-Infinity", -1)] {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { CellValue.parseJSONNumber($0, from: 0) }
            XCTAssertEqual(parsed?.end ?? -1, end, text)
        }
    }
}
