import Foundation
import ScaleFit

/// `--report DIR` on `fit` and `backtest`: the fit file (fit.json), the report as Markdown
/// (report.md), the parameter and residual tables as CSV, the figure (fit.svg) and an
/// index.html that shows them together. Same input, same bytes.
struct ReportDirectory {
    var title: String
    /// The command's `--format markdown` output.
    var markdown: String
    var fitFile: FitFile?
    var parameters: TextTable
    /// One row per data point or run, with whether it was fitted or held out.
    var residuals: TextTable
    var svg: String

    /// Writes the folder; a directory or file that cannot be written is `OutputError` (exit 74).
    func write(to dir: String, out: CommandOutput) throws {
        let url = URL(fileURLWithPath: dir, isDirectory: true)
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw OutputError(flag: "--report", path: dir, reason: OutputError.reason(error))
        }
        var files: [String] = []
        func put(_ name: String, _ text: String) throws {
            try OutputDestination.write(text, to: url.appendingPathComponent(name).path, flag: "--report")
            if name != "index.html" && name != "fit.svg" { files.append(name) }
        }
        if let fitFile {
            try OutputDestination.write(try fitFile.encoded(), to: url.appendingPathComponent("fit.json").path, flag: "--report")
            files.append("fit.json")
        }
        try put("report.md", "# \(title.markdownCellEscaped)\n\n![figure](fit.svg)\n\n" + markdown)
        try put("parameters.csv", parameters.render(.csv))
        try put("residuals.csv", residuals.render(.csv))
        try put("fit.svg", svg)
        try put("index.html", HTMLReportPage(title: title, images: ["fit.svg"], markdown: markdown, files: files).xhtml())
        out.note("wrote \(dir)/index.html (with \((files + ["fit.svg"]).joined(separator: ", ")))")
    }
}

extension TextTable {
    /// The table with one more column holding `value` in every row.
    func appending(column name: String, value: String) -> TextTable {
        TextTable(header: header + [name], rows: rows.map { $0 + [value] })
    }
}
