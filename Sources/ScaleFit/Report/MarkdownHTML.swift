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
            if !paragraph.isEmpty { out.append("<p>" + paragraph.map { escape(plainText($0)) }.joined(separator: "<br/>") + "</p>") }
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
                out.append("<h\(level + 1)>\(escape(plainText(String(text))))</h\(level + 1)>")
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

    /// The cells of a table row, split at the `|` that are not escaped (`\|` is a `|` in a
    /// cell, `String.markdownCellEscaped`), each still in Markdown.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for c in line {
            if escaped { cell.append(c); escaped = false; continue }
            if c == "\\" { cell.append(c); escaped = true; continue }
            if c == "|" { cells.append(cell); cell = ""; continue }
            cell.append(c)
        }
        cells.append(cell)
        // The text before the leading `|` and after the trailing one is not a cell.
        if line.hasPrefix("|") { cells.removeFirst() }
        if cells.count > 1, cell.trimmingWhitespace().isEmpty, line.hasSuffix("|") { cells.removeLast() }
        return cells.map { $0.trimmingWhitespace() }
    }

    /// Markdown text as the text it shows: backslash escapes of punctuation (`\|`, `\\`) and
    /// the entities `&lt;` `&gt;` `&amp;` `&quot;` resolved, as `markdownCellEscaped` writes them.
    static func plainText(_ markdown: String) -> String {
        guard markdown.contains("\\") || markdown.contains("&") else { return markdown }
        var out = ""
        var rest = Substring(markdown)
        let entities = [("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"), ("&quot;", "\"")]
        while let c = rest.first {
            if c == "\\", let next = rest.dropFirst().first, next.isASCII, next.isPunctuation || next.isSymbol {
                out.append(next)
                rest = rest.dropFirst(2)
                continue
            }
            if c == "&", let (entity, text) = entities.first(where: { rest.hasPrefix($0.0) }) {
                out += text
                rest = rest.dropFirst(entity.count)
                continue
            }
            out.append(c)
            rest = rest.dropFirst()
        }
        return out
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
                return "<\(tag)\(right[j] ? " class=\"num\"" : "")>\(escape(plainText(v)))</\(tag)>"
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
