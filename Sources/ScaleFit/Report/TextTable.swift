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
            // O(rows·cols), on bytes: the cells escaped, and widths and alignment found, once
            // each; a cell's width is its byte count when it is ASCII (every number), else
            // its characters.
            let head = header.map(\.terminalEscaped)
            let body = rows.map { $0.map(\.terminalEscaped) }
            let numeric = header.indices.map(numeric)
            let headWidths = head.map(Self.width)
            let bodyWidths = body.map { $0.map(Self.width) }
            var widths = headWidths
            for r in bodyWidths { for j in header.indices where j < r.count { widths[j] = max(widths[j], r[j]) } }
            var out: [UInt8] = []
            out.reserveCapacity((rows.count + 2) * (widths.reduce(0, +) + 2 * widths.count + 1))
            let space = UInt8(ascii: " ")
            func line(_ cells: [String], _ cellWidths: [Int]) {
                let start = out.count
                for j in header.indices {
                    let c = j < cells.count ? cells[j] : ""
                    let pad = widths[j] - (j < cells.count ? cellWidths[j] : 0)
                    if j > 0 { out.append(space); out.append(space) }
                    if numeric[j] { out.append(contentsOf: repeatElement(space, count: pad)) }
                    out.append(contentsOf: c.utf8)
                    if !numeric[j] { out.append(contentsOf: repeatElement(space, count: pad)) }
                }
                while out.count > start, out[out.count - 1] == space { out.removeLast() }
                out.append(UInt8(ascii: "\n"))
            }
            line(head, headWidths)
            for (j, w) in widths.enumerated() {
                if j > 0 { out.append(space); out.append(space) }
                out.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: w))
            }
            out.append(UInt8(ascii: "\n"))
            for (r, w) in zip(body, bodyWidths) { line(r, w) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A cell's width on a terminal: its bytes when ASCII, else its characters.
    private static func width(_ s: String) -> Int {
        var copy = s
        let ascii = copy.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
        return ascii ? s.utf8.count : s.count
    }

    /// Whether `s` is a decimal number as `formatSignificant` writes one
    /// (`[+-]digits[.digits][e[+-]digits]`), checked on bytes; anything else is left to `Double`.
    private static func isPlainDecimal(_ s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { b in
            var i = 0, digits = 0
            if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            while i < b.count, b[i] &- 48 < 10 { i += 1; digits += 1 }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count, b[i] &- 48 < 10 { i += 1; digits += 1 }
            }
            guard digits > 0 else { return false }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
                var exponent = 0
                while i < b.count, b[i] &- 48 < 10 { i += 1; exponent += 1 }
                guard exponent > 0 else { return false }
            }
            return i == b.count
        }
    }

    /// A column is numeric when every non-empty cell parses as a number.
    private func numeric(_ j: Int) -> Bool {
        var any = false
        for r in rows where j < r.count && !r[j].isEmpty {
            let c = r[j]
            guard Self.isPlainDecimal(c) || Double(c) != nil || c == "inf" || c == "nan" else { return false }
            any = true
        }
        return any
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
    return scientificFromShortestDigits(v, digits: digits) ?? printfFormat(v, "%.\(digits - 1)e")
}

/// `String(format: "%.(digits−1)e", v)` from Swift's shortest round-trip digits, by the
/// argument of `fixedFromShortestDigits` (the kept digits far coarser than the double's
/// spacing; nil when the digits cut off are exactly 5, for printf to settle the tie).
func scientificFromShortestDigits(_ v: Double, digits: Int) -> String? {
    guard v.isFinite, v != 0, digits >= 1, digits <= 15 else { return nil }
    var text = abs(v).description
    return text.withUTF8 { src -> String? in
        let zero = UInt8(ascii: "0")
        // The digits without the point, where the point was, and the exponent after "e".
        var all: [UInt8] = []
        all.reserveCapacity(24)
        var point: Int?
        var exponent = 0
        var i = 0
        while i < src.count, src[i] != UInt8(ascii: "e") {
            if src[i] == UInt8(ascii: ".") { point = all.count } else {
                guard src[i] &- zero < 10 else { return nil }
                all.append(src[i])
            }
            i += 1
        }
        if i < src.count {
            i += 1
            var negative = false
            if i < src.count, src[i] == UInt8(ascii: "-") || src[i] == UInt8(ascii: "+") { negative = src[i] == UInt8(ascii: "-"); i += 1 }
            guard i < src.count else { return nil }
            while i < src.count {
                guard src[i] &- zero < 10 else { return nil }
                exponent = exponent * 10 + Int(src[i] &- zero)
                i += 1
            }
            if negative { exponent = -exponent }
        }
        guard let first = all.firstIndex(where: { $0 != zero }) else { return nil }
        var e10 = (point ?? all.count) - 1 - first + exponent
        // Only where the last kept digit is far coarser than the double's spacing.
        guard pow(10, Double(e10 - (digits - 1))) > 1e3 * abs(v).ulp else { return nil }
        var kept = Array(all[first...])
        if kept.count > digits {
            if kept[digits] == UInt8(ascii: "5") && kept[(digits + 1)...].allSatisfy({ $0 == zero }) { return nil }
            let up = kept[digits] >= UInt8(ascii: "5")
            kept.removeSubrange(digits...)
            if up {
                var k = digits - 1
                while k >= 0, kept[k] == UInt8(ascii: "9") { kept[k] = zero; k -= 1 }
                if k >= 0 { kept[k] += 1 } else { kept.insert(UInt8(ascii: "1"), at: 0); kept.removeLast(); e10 += 1 }
            }
        } else {
            kept += repeatElement(zero, count: digits - kept.count)
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits + 8)
        if v < 0 { out.append(UInt8(ascii: "-")) }
        out.append(kept[0])
        if digits > 1 { out.append(UInt8(ascii: ".")); out += kept[1...] }
        out.append(UInt8(ascii: "e"))
        out.append(e10 < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = abs(e10)
        if magnitude < 10 { out.append(zero) }
        out += String(magnitude).utf8
        return String(decoding: out, as: UTF8.self)
    }
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
    let text: String? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
        let n = withVaList([v]) { vsnprintf(buffer.baseAddress, 64, format, $0) }
        guard n >= 0, n < 64 else { return nil }
        return String(cString: buffer.baseAddress!)
    }
    return text ?? String(format: format, v)
}

import Foundation
