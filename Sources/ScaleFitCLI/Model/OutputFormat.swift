import ScaleFit

/// `--format`: how results print. Parsed once; every renderer takes the typed value.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv, markdown

    /// The text-table style for every format but JSON.
    var style: TextTable.Style { TextTable.Style(rawValue: rawValue) ?? .table }

    /// `## ` before a report's title in Markdown.
    var heading: String { self == .markdown ? "## " : "" }

    static func parse(_ text: String) throws -> OutputFormat {
        guard let f = OutputFormat(rawValue: text) else {
            let hint = nearest(text, in: allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "--format: expected table, json, csv or markdown, found \"\(text)\"\(hint)")
        }
        return f
    }
}
