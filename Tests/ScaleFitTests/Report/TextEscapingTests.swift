import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import ScaleFit

/// One escaping per medium, and tables rendered in time linear in their cells.
final class TextEscapingTests: XCTestCase {
    func testTerminalEscapingShowsControlCharacters() {
        XCTAssertEqual("\u{1B}[31mred".terminalEscaped, "\\u{1B}[31mred")
        XCTAssertEqual("a\nb\tc\u{7F}\u{9B}\u{202E}".terminalEscaped, "a\\u{A}b\\u{9}c\\u{7F}\\u{9B}\\u{202E}")
        XCTAssertEqual("a\nb\tc\u{1B}".terminalMessageEscaped, "a\nb\tc\\u{1B}")
        XCTAssertEqual("plain – ünïcode".terminalEscaped, "plain – ünïcode")
    }

    func testMarkdownCellsCannotSplitOrCarryHTML() {
        XCTAssertEqual("a|b".markdownCellEscaped, "a\\|b")
        XCTAssertEqual("<script>&".markdownCellEscaped, "&lt;script&gt;&amp;")
        XCTAssertEqual("x\\|y\nz".markdownCellEscaped, "x\\\\\\|y\\u{A}z")
        let table = TextTable(header: ["run", "loss"], rows: [["a|b\nc", "1.5"], ["<b>", "2"]]).render(.markdown)
        XCTAssertEqual(table, "| run | loss |\n| --- | ---: |\n| a\\|b\\u{A}c | 1.5 |\n| &lt;b&gt; | 2 |\n")
        // The page shows the cells as they were, in two columns.
        let html = MarkdownHTML.render(table)
        XCTAssertTrue(html.contains("<tr><td>a|b\\u{A}c</td><td class=\"num\">1.5</td></tr>"), html)
        XCTAssertTrue(html.contains("<tr><td>&lt;b&gt;</td><td class=\"num\">2</td></tr>"), html)
    }

    func testXMLEscapingGivesWellFormedXMLForAnyString() {
        XCTAssertEqual("a\u{0}b\u{1B}c\td\u{FFFE}".xmlEscaped(), "a\\u{0}b\\u{1B}c\td\\u{FFFE}")
        let text = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined()
        let xml = "<a t=\"\(text.xmlEscaped())\">\(text.xmlEscaped())</a>"
        XCTAssertTrue(XMLParser(data: Data(xml.utf8)).parse(), xml)
    }

    func testTableCellsAreEscapedAndAligned() {
        let t = TextTable(header: ["run", "x"], rows: [["\u{1B}[0m", "1"], ["b", "10"]]).render(.table)
        XCTAssertEqual(t, "run         x\n---------  --\n\\u{1B}[0m   1\nb          10\n")
    }

    /// 20,000 rows: the aligned table within 3× the CSV (it was O(rows²·cols)).
    func testTableRenderingIsLinear() {
        let rows = (0..<20_000).map { i in ["run\(i)", "\(Double(i) * 1.5)", "\(i)", "x", "\(1.0 / Double(i + 1))"] }
        let t = TextTable(header: ["run", "a", "b", "c", "d"], rows: rows)
        func time(_ style: TextTable.Style) -> Double {
            let start = Date()
            _ = t.render(style)
            return Date().timeIntervalSince(start)
        }
        let csv = time(.csv), table = time(.table), markdown = time(.markdown)
        XCTAssertLessThan(table, max(3 * csv, 0.05) * 2, "table \(table) s, csv \(csv) s")
        XCTAssertLessThan(markdown, max(3 * csv, 0.05) * 2, "markdown \(markdown) s, csv \(csv) s")
    }

    func testTickLabelsOfNonFiniteValues() {
        XCTAssertEqual(TickLabel.significant(.nan), "nan")
        XCTAssertEqual(TickLabel.significant(.infinity), "inf")
        XCTAssertEqual(TickLabel.si(.nan), "nan")
        XCTAssertEqual(TickLabel.scientific(-.infinity), "-inf")
    }
}

/// `formatSignificant`'s fast fixed-point path gives printf's bytes.
final class FixedFormattingTests: XCTestCase {
    func testShortestDigitsRoundAsPrintfDoes() {
        var g = SeededGenerator(seed: 17)
        var values: [Double] = [0.001, 0.0015, 2.675, 1.005, 0.125, 9.9999995, 999999.95, 1234567.5, 0.00999999, 4.48644, 1.0, 3.5]
        for _ in 0..<20_000 {
            let e = -3 + 10 * g.nextUnit()
            values.append(pow(10, e) * (g.nextUnit() < 0.5 ? -1 : 1))
            values.append((pow(10, e) * 1000).rounded() / 1000)
        }
        for v in values where abs(v) >= 1e-3 && abs(v) < 1e7 {
            for decimals in 0...9 {
                let printf = String(format: "%.\(decimals)f", v)
                if let fast = fixedFromShortestDigits(v, decimals: decimals) {
                    XCTAssertEqual(fast, printf, "\(v) with \(decimals) decimals")
                }
            }
            XCTAssertEqual(formatSignificant(v), String(format: "%.\(max(0, 5 - Int(log10(abs(v)).rounded(.down))))f", v))
        }
    }
}

/// `formatSignificant`'s fast scientific path gives printf's bytes.
final class ScientificFormattingTests: XCTestCase {
    func testShortestDigitsGiveScientificAsPrintfDoes() {
        var g = SeededGenerator(seed: 29)
        var values: [Double] = [3e-4, 1e-4, 9.9995e-4, 9.99949e-4, 1e7, 1.2345e7, 9.9999995e9, 1.5e-300, 5e-324, 1.7976931348623157e308,
                                2.5e-5, 1.25e8, 6.02214076e23, 1e22, 1e23, 123456789012345678, 0.00012345]
        for _ in 0..<20_000 {
            let e = -320 + 628 * g.nextUnit()
            values.append(pow(10, e) * (g.nextUnit() < 0.5 ? -1 : 1))
            let short = -8 + 30 * g.nextUnit()
            values.append((pow(10, short) * 1e4).rounded() / 1e4)
        }
        var fast = 0
        for v in values where v.isFinite && v != 0 {
            for digits in [1, 2, 3, 4, 6, 10] {
                let printf = String(format: "%.\(digits - 1)e", v)
                if let mine = scientificFromShortestDigits(v, digits: digits) {
                    XCTAssertEqual(mine, printf, "\(v) with \(digits) digits")
                    fast += 1
                }
            }
            if !(abs(v) >= 1e-3 && abs(v) < 1e7) { XCTAssertEqual(formatSignificant(v), String(format: "%.5e", v)) }
        }
        XCTAssertGreaterThan(fast, 200_000)   // the fast path serves nearly every value
    }
}

/// CSV is a medium too: control characters from data escaped as on a terminal, the
/// newline (which a quoted field holds) and the tab kept, RFC 4180 quoting after.
final class CSVFieldEscapingTests: XCTestCase {
    func testControlCharactersAreEscapedAndNewlinesQuoted() {
        XCTAssertEqual(TextTable.csvField("\u{1B}[31mred"), "\\u{1B}[31mred")
        XCTAssertEqual(TextTable.csvField("a\rb"), "a\\u{D}b")
        XCTAssertEqual(TextTable.csvField("del\u{7F},c1\u{85}"), "\"del\\u{7F},c1\\u{85}\"")
        XCTAssertEqual(TextTable.csvField("rtl\u{202E}x"), "rtl\\u{202E}x")
        XCTAssertEqual(TextTable.csvField("new\nline"), "\"new\nline\"")
        XCTAssertEqual(TextTable.csvField("tab\there"), "tab\there")
        // Bytes that only look like a lead: é (C3), € (E2 82 AC), © (C2 A9) are kept.
        XCTAssertEqual(TextTable.csvField("é€©"), "é€©")
        XCTAssertEqual(TextTable(header: ["run", "loss"], rows: [["\u{1}x", "2.5"]]).render(.csv), "run,loss\n\\u{1}x,2.5\n")
    }
}
