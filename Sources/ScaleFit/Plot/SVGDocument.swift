/// The SVG being written: one element per line, in the order drawn, nothing that depends
/// on dictionary order or locale.
struct SVGDocument {
    private(set) var lines: [String] = []
    private var depth = 0

    /// `<name a="v" …/>` (or with text content), attributes in the order given.
    mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        let attrs = Self.attributes(attributes)
        if let text {
            add("<\(name)\(attrs)>\(Self.escape(text))</\(name)>")
        } else {
            add("<\(name)\(attrs)/>")
        }
    }

    /// `<name …>`, then `body`, then `</name>`.
    mutating func group(_ name: String, _ attributes: [(String, String)], _ body: (inout SVGDocument) -> Void) {
        add("<\(name)\(Self.attributes(attributes))>")
        depth += 1
        body(&self)
        depth -= 1
        add("</\(name)>")
    }

    mutating func add(_ line: String) {
        lines.append(String(repeating: " ", count: depth) + line)
    }

    var text: String { lines.joined(separator: "\n") + "\n" }

    static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// XML escaping of text and attribute values: & < > " '.
    static func escape(_ text: String) -> String { text.xmlEscaped() }

    static func number(_ x: Double) -> String { PlotNumber.coordinate(x) }
}

/// Estimated advance width of text in a sans-serif face (DejaVu Sans metrics, the widest
/// of the common ones, rounded up): enough to lay out labels and legends without measuring glyphs.
enum TextWidth {
    static func of(_ text: String, size: Double) -> Double {
        var em = 0.0
        for c in text.unicodeScalars {
            switch c {
            case "i", "j", "l", ".", ",", ":", ";", "'", "|", "!", " ", "(", ")", "[", "]", "/", "t", "f", "r", "I":
                em += 0.34
            case "m", "w", "M", "W":
                em += 0.92
            case "0"..."9", "a"..."z", "*", "^", "=", "+", "-", "−", "–", "_", "?":
                em += 0.62
            case "A"..."Z":
                em += 0.72
            default:
                em += 0.66
            }
        }
        return em * size
    }
}
