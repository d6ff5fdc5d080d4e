/// The small Markdown subset scalefit's reports are written in, as XHTML: `#`/`##`/`###`
/// headings, pipe tables (`| a | b |` with a `| --- | ---: |` alignment row: `---:` right-
/// aligns the column) and paragraphs (consecutive lines joined by `<br/>`, blank lines
/// between paragraphs). Text is escaped, so any input gives well-formed XML.
package enum MarkdownHTML {
    /// The body fragment for `markdown`, one element per line of output.
    package static func render(_ markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var table: [String] = []
        func flushParagraph() {
            if !paragraph.isEmpty { out.append("<p>" + paragraph.map(escape).joined(separator: "<br/>") + "</p>") }
            paragraph = []
        }
        func flushTable() {
            if !table.isEmpty { out.append(renderTable(table)) }
            table = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw).trimmingTrailingWhitespace()
            if line.hasPrefix("|") {
                flushParagraph()
                table.append(line)
                continue
            }
            flushTable()
            if line.isEmpty { flushParagraph(); continue }
            if let level = headingLevel(line) {
                flushParagraph()
                let text = line.dropFirst(level).drop { $0 == " " }
                out.append("<h\(level + 1)>\(escape(String(text)))</h\(level + 1)>")
                continue
            }
            paragraph.append(line)
        }
        flushTable()
        flushParagraph()
        return out.joined(separator: "\n") + (out.isEmpty ? "" : "\n")
    }

    /// `#`–`###` followed by a space; rendered one level down (`#` → `<h2>`) under the page's `<h1>`.
    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...3).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    static func cells(_ line: String) -> [String] {
        var s = Substring(line)
        if s.hasPrefix("|") { s = s.dropFirst() }
        if s.hasSuffix("|") { s = s.dropLast() }
        return s.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
    }

    static func renderTable(_ lines: [String]) -> String {
        let header = cells(lines[0])
        var body = Array(lines.dropFirst())
        var right = header.map { _ in false }
        if let first = body.first, cells(first).allSatisfy({ !$0.isEmpty && $0.allSatisfy { "-: ".contains($0) } }) {
            let marks = cells(first)
            right = header.indices.map { $0 < marks.count && marks[$0].hasSuffix(":") && !marks[$0].hasPrefix(":") }
            body.removeFirst()
        }
        func row(_ values: [String], tag: String) -> String {
            "<tr>" + header.indices.map { j in
                let v = j < values.count ? values[j] : ""
                return "<\(tag)\(right[j] ? " class=\"num\"" : "")>\(escape(v))</\(tag)>"
            }.joined() + "</tr>"
        }
        var out = ["<table>", "<thead>" + row(header, tag: "th") + "</thead>", "<tbody>"]
        out += body.map { row(cells($0), tag: "td") }
        out += ["</tbody>", "</table>"]
        return out.joined(separator: "\n")
    }

    /// Escapes the five XML special characters.
    package static func escape(_ s: String) -> String { s.xmlEscaped(apostrophe: "&#39;") }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }

    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }).trimmingTrailingWhitespace()
    }
}
