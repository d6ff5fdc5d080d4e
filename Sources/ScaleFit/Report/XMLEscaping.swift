extension String {
    /// The string with the five XML special characters escaped: & < > " and ', the last as
    /// `apostrophe` (`&apos;` in SVG; `&#39;` in HTML pages, which older HTML parsers read),
    /// and the characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF)
    /// written as the text `\u{1B}`, so any data string gives well-formed XML.
    func xmlEscaped(apostrophe: String = "&apos;") -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += apostrophe
            default:
                // XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF even as references.
                if c.unicodeScalars.contains(where: Self.forbiddenInXML) {
                    for s in c.unicodeScalars {
                        if Self.forbiddenInXML(s) { out += "\\u{\(String(s.value, radix: 16, uppercase: true))}" } else { out.unicodeScalars.append(s) }
                    }
                } else {
                    out.append(c)
                }
            }
        }
        return out
    }
}

extension String {
    static func forbiddenInXML(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF
    }
}
