/// The `index.html` of a report directory: a title, the figures (`<img src="fit.svg">`, so
/// the page and the SVG stay separate files), the report's Markdown rendered by
/// `MarkdownHTML`, and links to the other files. Written as XHTML (well-formed XML) with
/// inline CSS and no scripts; the same input gives the same bytes.
package struct HTMLReportPage: Sendable, Equatable {
    package var title: String
    /// Image file names relative to the page, shown in order above the tables.
    package var images: [String]
    package var markdown: String
    /// Other files of the directory to link to, relative to the page.
    package var files: [String]

    package init(title: String, images: [String], markdown: String, files: [String]) {
        self.title = title
        self.images = images
        self.markdown = markdown
        self.files = files
    }

    static let style = """
    body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
    h1 { font-size: 22px; margin: 0 0 12px; }
    h2 { font-size: 18px; margin: 24px 0 8px; }
    p { margin: 8px 0; line-height: 1.45; }
    figure { margin: 12px 0 20px; }
    figure img { width: 820px; max-width: 100%; height: auto; border: 1px solid #ddd; }
    table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
    th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
    th { background: #f3f3f3; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; font-family: Menlo, Consolas, monospace; }
    tbody tr:nth-child(even) { background: #fafafa; }
    ul.files { padding-left: 20px; }
    """

    /// The page.
    package func xhtml() -> String {
        let e = MarkdownHTML.escape
        var lines = [
            "<!DOCTYPE html>",
            "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\"/>",
            "<title>\(e(title))</title>",
            "<style>",
            Self.style,
            "</style>",
            "</head>",
            "<body>",
            "<h1>\(e(title))</h1>",
        ]
        for image in images {
            lines.append("<figure><img src=\"\(e(image))\" alt=\"\(e(title))\"/></figure>")
        }
        lines.append(MarkdownHTML.render(markdown).trimmingTrailingNewline())
        if !files.isEmpty {
            lines.append("<h2>Files</h2>")
            lines.append("<ul class=\"files\">")
            lines += files.map { "<li><a href=\"\(e($0))\">\(e($0))</a></li>" }
            lines.append("</ul>")
        }
        lines += ["</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingNewline() -> String {
        var s = Substring(self)
        while s.hasSuffix("\n") { s = s.dropLast() }
        return String(s)
    }
}
