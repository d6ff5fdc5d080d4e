import Foundation

/// How an axis writes its tick values.
///
/// - `plain`: fixed-point with one number of decimals for the whole axis, chosen from the
///   tick step (losses: `2.5`, `3.0`, `3.5`).
/// - `si`: three significant digits with an SI-style suffix, k = 10³, M = 10⁶, B = 10⁹,
///   T = 10¹² (parameters and tokens: `70M`, `1.3B`, `1.4T`); values of 10¹⁵ and above, or
///   below 10⁻³, fall back to `scientific`.
/// - `scientific`: mantissa and decimal exponent, three significant digits, no `+`
///   (FLOPs and learning rates: `1e21`, `2.5e21`, `3e-4`).
package enum TickLabelStyle: Sendable, Equatable {
    case plain
    case si
    case scientific
}

/// Tick-label text for numbers, independent of locale (always `.` as decimal point).
package enum TickLabel {
    /// `value` in `style`; `decimals` applies to `plain` only.
    ///
    /// ```swift
    /// TickLabel.format(7e7, style: .si)              // "70M"
    /// TickLabel.format(1e21, style: .scientific)     // "1e21"
    /// TickLabel.format(3, style: .plain, decimals: 1) // "3.0"
    /// ```
    package static func format(_ value: Double, style: TickLabelStyle, decimals: Int = 0) -> String {
        switch style {
        case .plain: return PlotNumber.fixed(value, decimals: decimals)
        case .si: return si(value)
        case .scientific: return scientific(value)
        }
    }

    /// `70M`, `1.3B`, `1.4T`, `500`, `0.25`; 10¹⁵ and above or under 10⁻³ as `scientific`.
    package static func si(_ value: Double) -> String {
        guard value.isFinite else { return String(describing: value) }
        let r = roundSignificant(value, digits: 3)
        let a = abs(r)
        if a == 0 { return "0" }
        if a >= 1e15 || a < 1e-3 { return scientific(value) }
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
        for (unit, suffix) in units where a >= unit {
            return significant(r / unit) + suffix
        }
        return significant(r)
    }

    /// `1e21`, `2.5e21`, `3e-4`; a value with exponent 0 is written without it (`2.5`).
    package static func scientific(_ value: Double) -> String {
        guard value.isFinite else { return String(describing: value) }
        if value == 0 { return "0" }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = roundSignificant(value / pow(10, Double(exponent)), digits: 3)
        if abs(mantissa) >= 10 { mantissa /= 10; exponent += 1 }
        let m = significant(mantissa)
        return exponent == 0 ? m : "\(m)e\(exponent)"
    }

    /// The decimals that write every multiple of `step` exactly: 0 for steps ≥ 1,
    /// 1 for 0.5, 0.2, 0.1, 2 for 0.05, …
    package static func decimals(forStep step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, -Int(floor(log10(step) + 1e-9)))
    }

    /// `value` rounded to `digits` significant digits.
    static func roundSignificant(_ value: Double, digits: Int) -> Double {
        guard value != 0, value.isFinite else { return value }
        let e = floor(log10(abs(value)))
        let f = pow(10, Double(digits - 1) - e)
        return (value * f).rounded() / f
    }

    /// Three significant digits, trailing zeros (and a bare point) removed.
    static func significant(_ value: Double) -> String {
        guard value.isFinite else { return String(describing: value) }
        let a = abs(value)
        let decimals = a == 0 ? 0 : max(0, 2 - Int(floor(log10(a) + 1e-9)))
        var text = PlotNumber.fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}

/// Fixed-point text for SVG coordinates and labels, built from integers so that neither
/// the locale nor the platform's `printf` can change a byte.
enum PlotNumber {
    /// `x` rounded half away from zero to `decimals` places; `-0.00` is written `0.00`.
    static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return "0" }
        let scaled = (abs(x) * pow(10, Double(decimals))).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return String(format: "%.\(decimals)f", x) }
        var digits = String(UInt64(scaled))
        if decimals > 0 {
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (x < 0 && scaled != 0 ? "-" : "") + digits
    }

    /// SVG coordinates: two decimals (1/100 px).
    static func coordinate(_ x: Double) -> String { fixed(x, decimals: 2) }
}
