import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import ScaleFit

/// The report page: Markdown tables as HTML tables, escaping, and well-formed XHTML.
final class HTMLReportPageTests: XCTestCase {
    func testMarkdownTablesBecomeHTMLTablesWithNumericColumnsRightAligned() {
        let table = TextTable(header: ["run", "loss"], rows: [["a<b", "2.5"], ["c&d", "3"]])
        let html = MarkdownHTML.render("## fit: L = E + A/N^alpha\nline one\nline two\n\n" + table.render(.markdown) + "after\n")
        XCTAssertEqual(html, """
        <h3>fit: L = E + A/N^alpha</h3>
        <p>line one<br/>line two</p>
        <table>
        <thead><tr><th>run</th><th class="num">loss</th></tr></thead>
        <tbody>
        <tr><td>a&lt;b</td><td class="num">2.5</td></tr>
        <tr><td>c&amp;d</td><td class="num">3</td></tr>
        </tbody>
        </table>
        <p>after</p>

        """)
    }

    func testPageIsWellFormedXMLAndShowsTheFigure() throws {
        let page = HTMLReportPage(title: "fit of \"runs\" <N, D>", images: ["fit.svg"],
                                  markdown: "## x\n| a | b |\n| --- | ---: |\n| 1 | 2 |\n", files: ["fit.json", "report.md"]).xhtml()
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String: Int] = [:]
            var imageSources: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                elements[name, default: 0] += 1
                if name == "img", let src = attributes["src"] { imageSources.append(src) }
            }
        }
        let parser = XMLParser(data: Data(page.utf8))
        let collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "") in\n\(page)")
        XCTAssertEqual(collector.imageSources, ["fit.svg"])
        XCTAssertEqual(collector.elements["table"], 1)
        XCTAssertEqual(collector.elements["td"], 2)
        XCTAssertEqual(collector.elements["a"], 2)
        XCTAssertFalse(page.contains("<script"))
        XCTAssertTrue(page.contains("<title>fit of &quot;runs&quot; &lt;N, D&gt;</title>"), page)
    }
}
