/// One escaping per medium for text that comes from data (run names, file names, column
/// names, cells): a terminal, a Markdown table, XML (`xmlEscaped`, in XMLEscaping.swift), CSV
/// and one-line messages.
///
/// ```
/// terminal   control characters (C0, DEL, C1) and bidirectional overrides as \u{1B}
/// markdown   \ → \\, | → \|, < > & → &lt; &gt; &amp;, then the terminal escaping (newlines too)
/// xml        & < > " ' as entities; the characters XML 1.0 forbids (C0 but tab, LF, CR;
///            U+FFFE, U+FFFF) as \u{1B}
/// csv        as the terminal, but newlines and tabs kept (a quoted field holds them), then
///            RFC 4180 quoting (`TextTable.csvField`)
/// stderr     one line per message: as the terminal, newlines too (`CommandOutput.note`)
/// ```
///
/// The escaped forms are visible text, so nothing is lost: `\u{1B}[31m` shows what the data
/// held instead of turning the terminal red.
extension String {
    /// Control characters, newlines and tabs included, written `\u{1B}`; the rest unchanged.
    package var terminalEscaped: String { escapingControls(keeping: []) }

    /// As `terminalEscaped`, but newlines and tabs kept: for messages of several lines.
    package var terminalMessageEscaped: String { escapingControls(keeping: ["\n", "\t"]) }

    /// A Markdown table cell (or line of text) that cannot break the table or carry HTML.
    package var markdownCellEscaped: String {
        guard contains(where: { "\\|<>&".contains($0) }) || unicodeScalars.contains(where: Self.isControl) else { return self }
        var out = ""
        out.reserveCapacity(count)
        for c in self {
            switch c {
            case "\\": out += "\\\\"
            case "|": out += "\\|"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(c)
            }
        }
        return out.terminalEscaped
    }

    /// Whether `s` is a character no data string may put on a terminal or in a table as is:
    /// C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    private func escapingControls(keeping kept: Set<Unicode.Scalar>) -> String {
        // Printable ASCII (every number, most names) holds no control: the byte scan first.
        var copy = self
        if copy.withUTF8({ $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) { return self }
        guard unicodeScalars.contains(where: { Self.isControl($0) && !kept.contains($0) }) else { return self }
        var out = String.UnicodeScalarView()
        for s in unicodeScalars {
            if Self.isControl(s) && !kept.contains(s) {
                out.append(contentsOf: "\\u{\(String(s.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
