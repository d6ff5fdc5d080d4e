extension String {
    /// The string with the five XML special characters escaped: & < > " and ', the last as
    /// `apostrophe` (`&apos;` in SVG; `&#39;` in HTML pages, which older HTML parsers read).
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
            default: out.append(c)
            }
        }
        return out
    }
}
