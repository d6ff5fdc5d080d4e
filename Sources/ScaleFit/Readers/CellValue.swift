#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one cell of a log holds, decided from its bytes alone.
///
/// Numbers are decimal with an optional exponent (`3`, `-0.5`, `1.4e12`, `.5E-3`) and an
/// optional size suffix, case-insensitive, that multiplies them:
///
/// ```
/// K = 10³   M = 10⁶   B = G = 10⁹   T = 10¹²        70M = 7·10⁷,  1.3b = 1.3·10⁹
/// ```
///
/// (`m` is mega, not milli: in a log a size column is the only place a suffix appears.)
/// Readers accept a suffix only in a size column (`ColumnRole.acceptsSizeSuffix`): `3.0M`
/// in a loss column is text, so its row is dropped and reported rather than read as 3·10⁶.
/// `nan`, `inf`, `+inf`, `-inf`, `infinity` are numbers that are not finite, and `null`,
/// `none`, `na`, `n/a` are missing values; both keep the column numeric and are dropped, with
/// a report, when a law uses them. Anything else is text. Hex floats are text on purpose:
/// no training log writes them, and `0x1p3` in a run-name column must stay a name.
enum CellValue: Equatable {
    /// Nothing but white space.
    case empty
    /// A finite number.
    case number(Double)
    /// A number that is not finite, or a missing-value word; the cell text must be kept.
    case nonFinite(Double)
    /// Not a number.
    case text

    /// Classifies the cell `bytes`, which are already trimmed of surrounding white space.
    /// With `sizeSuffix` false a trailing K, M, B, G or T makes the cell text.
    static func classify(_ bytes: UnsafeBufferPointer<UInt8>, sizeSuffix: Bool = true) -> CellValue {
        if bytes.isEmpty { return .empty }
        if let value = parseDecimal(bytes, sizeSuffix: sizeSuffix) {
            return value.isFinite ? .number(value) : .nonFinite(value)
        }
        if let special = parseSpecialWord(bytes) { return .nonFinite(special) }
        return .text
    }

    /// Classifies a Swift string (JSON string values, tests).
    static func classify(_ text: String, sizeSuffix: Bool = true) -> CellValue {
        var copy = text
        return copy.withUTF8 { utf8 in classify(trimmed(utf8), sizeSuffix: sizeSuffix) }
    }

    /// `bytes` without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    // MARK: Decimal numbers

    /// The longest cell handed to `strtod`; longer digit strings are text (no log writes them).
    private static let maxNumberLength = 400

    /// A decimal number with optional exponent and size suffix, or nil when `bytes` is not one.
    ///
    /// The grammar is checked here, and the value is exact by Clinger's fast path when the
    /// digits form an integer m ≤ 2⁵³ and the decimal exponent e has |e| ≤ 22:
    ///
    /// ```
    /// value = m · 10^e  (e ≥ 0)   or   m / 10^(−e)  (e < 0)
    /// ```
    ///
    /// Both m and 10^|e| are then exact doubles, so one IEEE multiplication or division gives
    /// the correctly rounded result (Clinger 1990). Mantissas of up to 19 digits with
    /// |e| ≤ 27 take the same idea in `Float80` (`extendedFastPath`, x86-64). Other numbers
    /// (20 and more significant digits, huge exponents) go to `strtod`, which rounds
    /// correctly too; a size suffix adds 3, 6, 9 or 12
    /// to e on the fast path and multiplies after `strtod`.
    private static func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>, sizeSuffix: Bool) -> Double? {
        var end = bytes.count
        var suffixPower = 0
        if sizeSuffix, let last = bytes.last, let power = suffixExponent(last) {
            suffixPower = power
            end -= 1
        }
        guard end > 0, end <= maxNumberLength else { return nil }
        var i = 0
        var negative = false
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var exact = true
        var mantissaDigits = 0
        var fractionDigits = 0
        while i < end, isDigit(bytes[i]) {
            accumulate(bytes[i], into: &mantissa, exact: &exact)
            i += 1
            mantissaDigits += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, isDigit(bytes[i]) {
                accumulate(bytes[i], into: &mantissa, exact: &exact)
                i += 1
                mantissaDigits += 1
                fractionDigits += 1
            }
        }
        guard mantissaDigits > 0 else { return nil }
        var exponent = 0
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponentDigits = 0
            while i < end, isDigit(bytes[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] &- 0x30) }
                i += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard i == end else { return nil }

        if let value = fastCompose(mantissa: mantissa, exact: exact, decimalExponent: exponent - fractionDigits + suffixPower,
                                   negative: negative) {
            return value
        }
        let value = slowPath(UnsafeBufferPointer(rebasing: bytes[0..<end]))
        return suffixPower == 0 ? value : value * powersOfTen[suffixPower]
    }

    /// m · 10^e (negated when `negative`), correctly rounded by Clinger's fast path or the
    /// `Float80` path, or nil when neither applies (the caller then takes `strtod`).
    @inline(__always)
    private static func fastCompose(mantissa: UInt64, exact: Bool, decimalExponent: Int, negative: Bool) -> Double? {
        if exact, mantissa <= 1 << 53, abs(decimalExponent) <= 22 {
            let magnitude = decimalExponent >= 0 ? Double(mantissa) * powersOfTen[decimalExponent]
                                                 : Double(mantissa) / powersOfTen[-decimalExponent]
            return negative ? -magnitude : magnitude
        }
        #if arch(x86_64) && !os(Windows)
        if exact, abs(decimalExponent) <= 27, let magnitude = extendedFastPath(mantissa, decimalExponent) {
            return negative ? -magnitude : magnitude
        }
        #endif
        return nil
    }

    /// `strtod` of `text`; it needs a terminated string, and a stack buffer keeps this
    /// allocation-free.
    private static func slowPath(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
            for k in 0..<text.count { buffer[k] = CChar(bitPattern: text[k]) }
            buffer[text.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// A JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`) starting at `start`,
    /// scanned and valued in one pass: its end and value, or nil when `bytes[start...]`
    /// does not start with one (the scanner then reports the error).
    static func parseJSONNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, value: Double)? {
        var i = start
        let count = bytes.count
        var negative = false
        if i < count, bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < count, isDigit(bytes[i]) else { return nil }
        var mantissa: UInt64 = 0
        var exact = true
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            i += accumulateEightDigits(bytes, from: i, into: &mantissa)
            i += accumulateFourDigits(bytes, from: i, into: &mantissa)
            while i < count, isDigit(bytes[i]) {
                accumulate(bytes[i], into: &mantissa, exact: &exact)
                i += 1
            }
        }
        var fractionDigits = 0
        if i < count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < count, isDigit(bytes[i]) else { return nil }
            let fractionStart = i
            i += accumulateEightDigits(bytes, from: i, into: &mantissa)
            i += accumulateEightDigits(bytes, from: i, into: &mantissa)
            i += accumulateFourDigits(bytes, from: i, into: &mantissa)
            fractionDigits = i - fractionStart
            while i < count, isDigit(bytes[i]) {
                accumulate(bytes[i], into: &mantissa, exact: &exact)
                i += 1
                fractionDigits += 1
            }
        }
        var exponent = 0
        if i < count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < count, isDigit(bytes[i]) else { return nil }
            while i < count, isDigit(bytes[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] &- 0x30) }
                i += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard i - start <= maxNumberLength else { return nil }
        let value = fastCompose(mantissa: mantissa, exact: exact, decimalExponent: exponent - fractionDigits, negative: negative)
            ?? slowPath(UnsafeBufferPointer(rebasing: bytes[start..<i]))
        return (i, value)
    }

    /// The largest mantissa m for which m·10⁸ + 99 999 999 still fits in 64 bits.
    private static let eightDigitLimit: UInt64 = (UInt64.max - 99_999_999) / 100_000_000

    /// Takes the eight bytes at `start` as one step of `accumulate` when all eight are digits
    /// and the mantissa has room for them (m·10⁸ + d, the same value eight single steps
    /// give); returns 8, or 0 (nothing taken) when they are not or it has not. The digits
    /// are checked and valued together in one 64-bit word (SWAR, as simdjson does):
    ///
    /// ```
    /// digits      (w & 0xF0…F0) | (((w + 0x06…06) & 0xF0…F0) >> 4) == 0x33…33
    /// value       w − 0x30…30, then pairs, quads and the octet by three multiplications
    /// ```
    @inline(__always)
    private static func accumulateEightDigits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                                              into mantissa: inout UInt64) -> Int {
        guard start + 8 <= bytes.count, mantissa <= eightDigitLimit else { return 0 }
        let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + start).loadUnaligned(as: UInt64.self))
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard (word & high) | (((word &+ 0x0606_0606_0606_0606) & high) >> 4) == 0x3333_3333_3333_3333 else { return 0 }
        var value = word &- 0x3030_3030_3030_3030
        value = (value &* 10 &+ (value >> 8)) & 0x00FF_00FF_00FF_00FF
        value = (value &* 100 &+ (value >> 16)) & 0x0000_FFFF_0000_FFFF
        value = (value &* 10_000 &+ (value >> 32)) & 0xFFFF_FFFF
        mantissa = mantissa &* 100_000_000 &+ value
        return 8
    }

    /// The largest mantissa m for which m·10⁴ + 9 999 still fits in 64 bits.
    private static let fourDigitLimit: UInt64 = (UInt64.max - 9_999) / 10_000

    /// `accumulateEightDigits` for four bytes (a 32-bit word): returns 4 or 0.
    @inline(__always)
    private static func accumulateFourDigits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                                             into mantissa: inout UInt64) -> Int {
        guard start + 4 <= bytes.count, mantissa <= fourDigitLimit else { return 0 }
        let word = UInt32(littleEndian: UnsafeRawPointer(bytes.baseAddress! + start).loadUnaligned(as: UInt32.self))
        let high: UInt32 = 0xF0F0_F0F0
        guard (word & high) | (((word &+ 0x0606_0606) & high) >> 4) == 0x3333_3333 else { return 0 }
        var value = word &- 0x3030_3030
        value = (value &* 10 &+ (value >> 8)) & 0x00FF_00FF
        value = (value &* 100 &+ (value >> 16)) & 0xFFFF
        mantissa = mantissa &* 10_000 &+ UInt64(value)
        return 4
    }

    /// mantissa·10 + digit while that fits in 64 bits (19 digits); else `exact` = false.
    @inline(__always)
    private static func accumulate(_ digit: UInt8, into mantissa: inout UInt64, exact: inout Bool) {
        guard exact else { return }
        if mantissa > (UInt64.max - 9) / 10 {
            exact = false
        } else {
            mantissa = mantissa &* 10 &+ UInt64(digit &- 0x30)
        }
    }

    #if arch(x86_64) && !os(Windows)
    /// 10⁰ … 10²⁷, every one exact in `Float80` (5²⁷ < 2⁶⁴).
    private static let extendedPowersOfTen: [Float80] = (0...27).map { exponent in
        (0..<exponent).reduce(Float80(1)) { value, _ in value * 10 }
    }

    /// m · 10^e for the 17–19-digit mantissas that logs write (`2.9123456789012345`),
    /// correctly rounded without `strtod`, or nil when this path cannot promise that.
    ///
    /// m < 2⁶⁴ and 10^|e| (|e| ≤ 27) are exact in the 64-bit significand of `Float80`, so one
    /// multiplication or division rounds once, to within half an ulp of 64 bits. Rounding that
    /// to a `Double` (53 bits) is then the correct rounding of the exact value unless the
    /// `Float80` result lies exactly on a midpoint between two doubles (its low 11 bits
    /// `100 0000 0000`): only there can the two roundings differ, and there `strtod` decides.
    /// Results outside the normal range of `Double` go to `strtod` too.
    private static func extendedFastPath(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        let m = Float80(mantissa)
        let product = exponent >= 0 ? m * extendedPowersOfTen[exponent] : m / extendedPowersOfTen[-exponent]
        guard product.isNormal, product >= Float80(Double.leastNormalMagnitude),
              product <= Float80(Double.greatestFiniteMagnitude) else { return nil }
        if product.significandBitPattern & 0x7FF == 0x400 { return nil }
        return Double(product)
    }
    #endif

    /// 10⁰ … 10²², every one an exact double.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// The decimal exponent of a size suffix: K 3, M 6, B/G 9, T 12.
    private static func suffixExponent(_ byte: UInt8) -> Int? {
        switch byte | 0x20 {  // ASCII lower case
        case UInt8(ascii: "k"): return 3
        case UInt8(ascii: "m"): return 6
        case UInt8(ascii: "b"), UInt8(ascii: "g"): return 9
        case UInt8(ascii: "t"): return 12
        default: return nil
        }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    // MARK: Words

    /// NaN, ±∞ for the words that mean a non-finite or a missing value, else nil.
    private static func parseSpecialWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count <= 9 else { return nil }
        var sign = 1.0
        var word = bytes[...]
        if let first = word.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? -1 : 1
            word = word.dropFirst()
        }
        let lower = String(decoding: word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        switch lower {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        case "null", "none", "na", "n/a": return bytes.count == word.count ? .nan : nil
        default: return nil
        }
    }
}
