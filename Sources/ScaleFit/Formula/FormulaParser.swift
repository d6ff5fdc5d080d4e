/// A hand-written recursive-descent parser for model formulas.
///
/// The grammar, loosest binding first:
///
/// ```
/// sum      = product { ("+" | "-") product }
/// product  = unary { ("*" | "/") unary }
/// unary    = ("-" | "+") unary | power
/// power    = primary [ "^" exponent ]            right-associative
/// exponent = ("-" | "+") exponent | power        so N^-alpha = N^(−alpha)
/// primary  = number | "pi" | name | function "(" sum { "," sum } ")" | "(" sum ")"
/// ```
///
/// so `-x^2` = −(x²) and `a^b^c` = a^(b^c), as in mathematics and Python. A name that is a
/// variable is a data column, `pi` is π, any other name not followed by `(` is a fitted
/// parameter. Every error is `ScaleFitError.badArgument(flag: "--formula", …)` with the
/// 1-based position of the offending character.
struct FormulaParser {
    /// Deeper nesting is refused rather than risking the stack.
    static let maximumDepth = 256

    private let text: [Unicode.Scalar]
    private let tokens: [FormulaToken]
    private let variables: [String: Int]
    private var index = 0
    private var depth = 0
    /// Parameter names in order of first appearance, with the position of that appearance.
    private(set) var parameters: [(name: String, position: Int)] = []
    private var parameterIndex: [String: Int] = [:]

    private var flag: String { FormulaLexer.flag }

    init(text: String, variables: [String]) throws {
        self.text = Array(text.unicodeScalars)
        self.tokens = try FormulaLexer.tokens(of: text)
        var lookup: [String: Int] = [:]
        for (k, name) in variables.enumerated() where lookup[name] == nil { lookup[name] = k }
        self.variables = lookup
    }

    /// Parses the whole formula.
    mutating func parse() throws -> FormulaExpression {
        let expression = try sum()
        let next = tokens[index]
        guard next.kind == .end else {
            // A stray ')' lands here too: "expected an operator … at 14, found ")"".
            throw ScaleFitError.badArgument(flag: flag, position: next.position,
                                            expected: "an operator or the end of the formula", found: next.text)
        }
        return expression
    }

    // MARK: Grammar rules

    private mutating func sum() throws -> FormulaExpression {
        try enter()
        defer { depth -= 1 }
        var left = try product()
        while case let .symbol(c) = tokens[index].kind, c == "+" || c == "-" {
            index += 1
            left = .binary(c == "+" ? .add : .subtract, left, try product())
        }
        return left
    }

    private mutating func product() throws -> FormulaExpression {
        var left = try unary()
        while case let .symbol(c) = tokens[index].kind, c == "*" || c == "/" {
            index += 1
            let divisorStart = tokens[index].position
            let right = try unary()
            if c == "/" {
                if right.constantValue == 0 {
                    let end = tokens[index - 1].position + tokens[index - 1].text.unicodeScalars.count
                    throw ScaleFitError.badArgument(
                        flag: flag, position: divisorStart, expected: "a divisor that is not always zero",
                        found: source(from: divisorStart, to: end))
                }
                left = .binary(.divide, left, right)
            } else {
                left = .binary(.multiply, left, right)
            }
        }
        return left
    }

    private mutating func unary() throws -> FormulaExpression {
        if case let .symbol(c) = tokens[index].kind, c == "-" || c == "+" {
            try enter()
            defer { depth -= 1 }
            index += 1
            let operand = try unary()
            return c == "-" ? .negate(operand) : operand
        }
        return try power()
    }

    private mutating func power() throws -> FormulaExpression {
        let base = try primary()
        guard tokens[index].kind == .symbol("^") else { return base }
        index += 1
        return .binary(.power, base, try exponent())
    }

    private mutating func exponent() throws -> FormulaExpression {
        try enter()
        defer { depth -= 1 }
        if case let .symbol(c) = tokens[index].kind, c == "-" || c == "+" {
            index += 1
            let operand = try exponent()
            return c == "-" ? .negate(operand) : operand
        }
        return try power()
    }

    private mutating func primary() throws -> FormulaExpression {
        let token = tokens[index]
        switch token.kind {
        case let .number(value):
            index += 1
            return .number(value)
        case .symbol("("):
            index += 1
            let inner = try sum()
            try expectClosing(openedAt: token.position)
            return inner
        case let .name(name):
            index += 1
            if tokens[index].kind == .symbol("(") { return try call(name, at: token.position) }
            if let function = FormulaFunction(rawValue: name) {
                throw ScaleFitError.badArgument(
                    flag: flag, position: tokens[index].position,
                    expected: "'(' after the function \(function.rawValue)", found: tokens[index].text)
            }
            if let k = variables[name] { return .variable(k) }
            if name == "pi" { return .pi }
            return .parameter(parameter(named: name, at: token.position))
        default:
            throw ScaleFitError.badArgument(
                flag: flag, position: token.position,
                expected: "a number, a name or '('", found: token.text)
        }
    }

    private mutating func call(_ name: String, at position: Int) throws -> FormulaExpression {
        guard let function = FormulaFunction(rawValue: name) else {
            let known = FormulaFunction.allCases.map(\.rawValue).joined(separator: " ")
            throw ScaleFitError.badArgument(flag: flag, position: position,
                                            expected: "a function (\(known))", found: name)
        }
        let open = tokens[index].position
        index += 1
        var arguments = [try sum()]
        while tokens[index].kind == .symbol(",") {
            index += 1
            arguments.append(try sum())
        }
        try expectClosing(openedAt: open)
        guard arguments.count == function.arity else {
            let plural = { (n: Int) in n == 1 ? "1 argument" : "\(n) arguments" }
            throw ScaleFitError.badArgument(flag: flag, position: position,
                                            expected: "\(plural(function.arity)) for \(name)",
                                            found: plural(arguments.count))
        }
        return .call(function, arguments)
    }

    // MARK: Helpers

    private mutating func expectClosing(openedAt open: Int) throws {
        let token = tokens[index]
        guard token.kind == .symbol(")") else {
            throw ScaleFitError.badArgument(flag: flag, position: token.position,
                                            expected: "')' closing the '(' at \(open)", found: token.text)
        }
        index += 1
    }

    private mutating func enter() throws {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw ScaleFitError.badArgument(flag: flag, position: tokens[index].position,
                                            expected: "nesting at most \(Self.maximumDepth) deep",
                                            found: tokens[index].text)
        }
    }

    private mutating func parameter(named name: String, at position: Int) -> Int {
        if let j = parameterIndex[name] { return j }
        parameterIndex[name] = parameters.count
        parameters.append((name, position))
        return parameters.count - 1
    }

    /// The formula's text between two 1-based positions (end exclusive).
    private func source(from start: Int, to end: Int) -> String {
        let lo = max(0, min(start - 1, text.count)), hi = max(lo, min(end - 1, text.count))
        return String(String.UnicodeScalarView(text[lo..<hi]))
    }
}
