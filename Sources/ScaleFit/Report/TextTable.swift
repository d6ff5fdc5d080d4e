/// A table of strings rendered for people (aligned text, Markdown) or machines (CSV).
///
/// Numbers are right-aligned and text left-aligned, column by column, so a terminal
/// reader can compare digits at a glance; CSV quotes fields as RFC 4180 requires.
package struct TextTable: Sendable, Equatable {
    package var header: [String]
    package var rows: [[String]]

    package init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The output forms.
    package enum Style: String, Sendable, CaseIterable {
        case table, markdown, csv
    }

    package func render(_ style: Style) -> String {
        switch style {
        case .csv:
            var out = ""
            func append(_ r: [String]) {
                for (j, field) in r.enumerated() {
                    if j > 0 { out += "," }
                    out += Self.csvField(field)
                }
                out += "\n"
            }
            append(header)
            for r in rows { append(r) }
            return out
        case .markdown:
            // Every cell escaped for Markdown: a `|` or a newline in a run name cannot shift
            // the values under the wrong headers, nor raw HTML reach the page.
            let numeric = header.indices.map(numeric)
            var out = "| " + header.map(\.markdownCellEscaped).joined(separator: " | ") + " |\n"
            out += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
            for r in rows { out += "| " + r.map(\.markdownCellEscaped).joined(separator: " | ") + " |\n" }
            return out
        case .table:
            // O(rows·cols): the cells escaped, and widths and alignment found, once each.
            let head = header.map(\.terminalEscaped)
            let body = rows.map { $0.map(\.terminalEscaped) }
            let numeric = header.indices.map(numeric)
            var widths = head.map(\.count)
            for r in body { for j in header.indices where j < r.count { widths[j] = max(widths[j], r[j].count) } }
            var out = ""
            func line(_ cells: [String]) {
                var text = ""
                for j in header.indices {
                    let c = j < cells.count ? cells[j] : ""
                    let pad = String(repeating: " ", count: widths[j] - c.count)
                    if j > 0 { text += "  " }
                    text += numeric[j] ? pad + c : c + pad
                }
                out += text.replacingTrailingSpaces() + "\n"
            }
            line(head)
            out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            for r in body { line(r) }
            return out
        }
    }

    /// A column is numeric when every non-empty cell parses as a number.
    private func numeric(_ j: Int) -> Bool {
        let cells = rows.compactMap { j < $0.count ? $0[j] : nil }.filter { !$0.isEmpty }
        return !cells.isEmpty && cells.allSatisfy { Double($0) != nil || $0 == "inf" || $0 == "nan" }
    }

    static func csvField(_ field: String) -> String {
        // A byte scan: Foundation's `contains` of a String costs a bridged search per call.
        // A byte below 0x20 (but LF and tab, which a quoted field holds), DEL, or the lead
        // byte of a C1 control (0xC2) or of a bidirectional override (0xE2) may be a control
        // character from data: escaped as on a terminal (`\u{1B}`), so no CSV that goes to
        // stdout carries one.
        let mayHoldControls = field.utf8.contains {
            ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2
        }
        let s = mayHoldControls ? field.terminalMessageEscaped : field
        if s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return end == endIndex ? self : String(self[..<end])
    }
}

/// Formats a number with `digits` significant digits: plain for moderate magnitudes,
/// scientific otherwise, so a column stays readable and copy-pastable.
package func formatSignificant(_ v: Double, digits: Int = 6) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1e-3 && a < 1e7 {
        let decimals = max(0, digits - 1 - Int((log10(a)).rounded(.down)))
        return fixedFromShortestDigits(v, decimals: decimals) ?? printfFormat(v, "%.\(decimals)f")
    }
    return printfFormat(v, "%.\(digits - 1)e")
}

/// `String(format: "%.Nf", v)` for |v| in [1e-3, 1e7), from Swift's shortest round-trip
/// digits instead of printf: the same bytes, a fraction of the cost. Rounding the shortest
/// digits goes the way rounding the exact binary value does — were a tie between them, the
/// tie (a shorter decimal) would lie in the double's interval and be the shortest digits —
/// except when the digits cut off are exactly 5: then nil, and the caller asks printf.
func fixedFromShortestDigits(_ v: Double, decimals: Int) -> String? {
    // Only where the last decimal is far coarser than the double's spacing: then the exact
    // value and its shortest digits round to the same `decimals` places (padding included).
    guard v.isFinite, decimals <= 15, pow(10, -Double(decimals)) > 1e3 * abs(v).ulp else { return nil }
    var text = abs(v).description
    return text.withUTF8 { src -> String? in
        guard let dot = src.firstIndex(of: UInt8(ascii: ".")), !src.contains(UInt8(ascii: "e")) else { return nil }
        let zero = UInt8(ascii: "0")
        let fractionCount = src.count - dot - 1
        if fractionCount > decimals {
            let cut = dot + 1 + decimals
            if src[cut] == UInt8(ascii: "5") && src[(cut + 1)...].allSatisfy({ $0 == zero }) { return nil }
        }
        // Sign, a carry digit, the integer digits, the point and the decimals.
        let capacity = 2 + dot + 1 + decimals
        return String(unsafeUninitializedCapacity: capacity) { out in
            var n = 0
            if v < 0 { out[n] = UInt8(ascii: "-"); n += 1 }
            let first = n
            out[n] = zero; n += 1 // room for a carry
            for i in 0..<dot { out[n] = src[i]; n += 1 }
            let point = n
            if decimals > 0 { out[n] = UInt8(ascii: "."); n += 1 }
            for k in 0..<decimals { out[n] = k < fractionCount ? src[dot + 1 + k] : zero; n += 1 }
            if fractionCount > decimals, src[dot + 1 + decimals] >= UInt8(ascii: "5") {
                var i = n - 1
                while true {
                    if i == point { i -= 1; continue }
                    if out[i] == UInt8(ascii: "9") { out[i] = zero; i -= 1 } else { out[i] += 1; break }
                }
            }
            // Drop the carry digit when unused.
            if out[first] == zero {
                for i in first..<(n - 1) { out[i] = out[i + 1] }
                n -= 1
            }
            return n
        }
    }
}

/// `String(format:)` for one Double through C's `vsnprintf`: the same bytes (the process
/// runs in the C locale), without Foundation's string machinery, which made a 20,000-row
/// table cost 4× its CSV.
package func printfFormat(_ v: Double, _ format: String) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let n = withVaList([v]) { args in buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, format, args) } }
    guard n >= 0, n < 64 else { return String(format: format, v) }
    return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

import Foundation
