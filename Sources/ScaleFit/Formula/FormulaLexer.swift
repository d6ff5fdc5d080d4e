/// One token of a formula, with where it is (1-based character positions).
struct FormulaToken: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case name(String)
        /// One of `+ - * / ^ ( ) ,`.
        case symbol(Character)
        case end
    }

    var kind: Kind
    /// The 1-based position of the first character.
    var position: Int
    /// The text as written ("end of formula" for the end).
    var text: String
}

/// Splits a formula into tokens. Numbers are `12`, `1.5`, `.5`, `5.`, `1e-3`, `2.5E+8`;
/// names are a letter or `_` followed by letters, digits or `_`; blanks separate tokens.
/// Positions count Unicode scalars, so a column number matches what a terminal shows for
/// ASCII formulas.
struct FormulaLexer {
    static let flag = "formula"

    static func tokens(of text: String) throws -> [FormulaToken] {
        let s = Array(text.unicodeScalars)
        var tokens: [FormulaToken] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if isDigit(c) || (c == "." && i + 1 < s.count && isDigit(s[i + 1])) {
                tokens.append(try number(in: s, at: &i))
            } else if isNameStart(c) {
                let start = i
                while i < s.count && isNameContinuation(s[i]) { i += 1 }
                let name = String(String.UnicodeScalarView(s[start..<i]))
                tokens.append(FormulaToken(kind: .name(name), position: start + 1, text: name))
            } else if "+-*/^(),".unicodeScalars.contains(c) {
                tokens.append(FormulaToken(kind: .symbol(Character(c)), position: i + 1, text: String(c)))
                i += 1
            } else {
                throw ScaleFitError.badArgument(
                    flag: flag, position: i + 1,
                    expected: "a number, a name, an operator (+ - * / ^) or a parenthesis",
                    found: String(c))
            }
        }
        tokens.append(FormulaToken(kind: .end, position: s.count + 1, text: "end of formula"))
        return tokens
    }

    /// Reads `digits [. digits] [(e|E) [+|-] digits]` starting at `i`.
    private static func number(in s: [Unicode.Scalar], at i: inout Int) throws -> FormulaToken {
        let start = i
        while i < s.count && isDigit(s[i]) { i += 1 }
        if i < s.count && s[i] == "." {
            i += 1
            while i < s.count && isDigit(s[i]) { i += 1 }
        }
        if i < s.count && (s[i] == "e" || s[i] == "E") {
            var j = i + 1
            if j < s.count && (s[j] == "+" || s[j] == "-") { j += 1 }
            guard j < s.count && isDigit(s[j]) else {
                throw ScaleFitError.badArgument(
                    flag: flag, position: j + 1, expected: "digits of the exponent",
                    found: j < s.count ? String(s[j]) : "end of formula")
            }
            i = j
            while i < s.count && isDigit(s[i]) { i += 1 }
        }
        let text = String(String.UnicodeScalarView(s[start..<i]))
        guard let value = Double(text), value.isFinite else {
            throw ScaleFitError.badArgument(flag: flag, position: start + 1,
                                            expected: "a finite number", found: text)
        }
        return FormulaToken(kind: .number(value), position: start + 1, text: text)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    private static func isNameContinuation(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || isDigit(c)
    }
}
