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

    func write(to dir: String) throws {
        let url = URL(fileURLWithPath: dir, isDirectory: true)
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw ScaleFitError.invalidData(file: dir, reason: "--report: cannot create the directory: \(error.localizedDescription)")
        }
        var files: [String] = []
        func put(_ name: String, _ text: String) throws {
            do { try Data(text.utf8).write(to: url.appendingPathComponent(name)) } catch {
                throw ScaleFitError.invalidData(file: url.appendingPathComponent(name).path, reason: "--report: cannot write: \(error.localizedDescription)")
            }
            if name != "index.html" && name != "fit.svg" { files.append(name) }
        }
        if let fitFile {
            try fitFile.write(to: url.appendingPathComponent("fit.json").path)
            files.append("fit.json")
        }
        try put("report.md", "# \(title)\n\n![figure](fit.svg)\n\n" + markdown)
        try put("parameters.csv", parameters.render(.csv))
        try put("residuals.csv", residuals.render(.csv))
        try put("fit.svg", svg)
        try put("index.html", HTMLReportPage(title: title, images: ["fit.svg"], markdown: markdown, files: files).xhtml())
        eprint("wrote \(dir)/index.html (with \((files + ["fit.svg"]).joined(separator: ", ")))")
    }
}

extension TextTable {
    /// The table with one more column holding `value` in every row.
    func appending(column name: String, value: String) -> TextTable {
        TextTable(header: header + [name], rows: rows.map { $0 + [value] })
    }
}
