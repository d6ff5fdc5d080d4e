/// Prints a formula back as text in one canonical form: single spaces around `+ - * /`,
/// none around `^`, `f(x, y)` for calls, numbers in Swift's shortest round-trip form, and
/// parentheses exactly where the tree needs them, so that parsing the text gives the same
/// tree (and so the same value, bit for bit):
///
/// ```
/// E + A*N^-alpha     prints as   E + A * N^-alpha
/// (a - b) - c        prints as   a - b - c
/// a - (b - c)        prints as   a - (b - c)
/// (-x)^2, -(x^2)     print as    (-x)^2, -x^2
/// ```
struct FormulaPrinter {
    let variableNames: [String]
    let parameterNames: [String]

    /// Binding strength: a child printed below its slot's minimum gets parentheses.
    private enum Level: Int, Comparable {
        case sum = 1, product, unary, power, primary
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    func text(of expression: FormulaExpression) -> String {
        text(of: expression, atLeast: .sum)
    }

    private func text(of e: FormulaExpression, atLeast minimum: Level) -> String {
        let body = bare(e)
        return level(of: e) < minimum ? "(\(body))" : body
    }

    private func level(of e: FormulaExpression) -> Level {
        switch e {
        case let .number(c): return c < 0 || (c == 0 && c.sign == .minus) ? .unary : .primary
        case .pi, .variable, .parameter, .call: return .primary
        case .negate: return .unary
        case let .binary(op, _, _):
            switch op {
            case .add, .subtract: return .sum
            case .multiply, .divide: return .product
            case .power: return .power
            }
        }
    }

    /// The expression without parentheses around itself.
    private func bare(_ e: FormulaExpression) -> String {
        switch e {
        case let .number(c):
            return c.sign == .minus ? "-" + FormulaPrinter.literal(-c) : FormulaPrinter.literal(c)
        case .pi: return "pi"
        case let .variable(k): return variableNames[k]
        case let .parameter(j): return parameterNames[j]
        case let .negate(x):
            // −(−x) keeps its parentheses for the reader; −x^2 needs none.
            if case .negate = x { return "-(\(bare(x)))" }
            return "-" + text(of: x, atLeast: .power)
        case let .binary(op, x, y):
            switch op {
            case .add, .subtract:
                return "\(text(of: x, atLeast: .sum)) \(op.rawValue) \(text(of: y, atLeast: .product))"
            case .multiply, .divide:
                return "\(text(of: x, atLeast: .product)) \(op.rawValue) \(text(of: y, atLeast: .unary))"
            case .power:
                return "\(text(of: x, atLeast: .primary))^\(exponent(y))"
            }
        case let .call(f, args):
            return "\(f.rawValue)(\(args.map { text(of: $0, atLeast: .sum) }.joined(separator: ", ")))"
        }
    }

    /// An exponent: a power or a signed exponent stands bare (`N^-alpha`, `a^b^c`).
    private func exponent(_ e: FormulaExpression) -> String {
        if case let .negate(x) = e { return "-" + exponent(x) }
        return text(of: e, atLeast: .power)
    }

    /// A non-negative number in the shortest text that parses back to it: `2`, not `2.0`.
    static func literal(_ c: Double) -> String {
        if c == c.rounded(), c < 1e15 { return String(Int64(c)) }
        return c.description
    }
}
