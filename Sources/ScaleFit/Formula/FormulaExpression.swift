import Foundation

/// The parsed form of a model formula: a tree of numbers, data variables, fitted parameters,
/// operators and function calls.
///
/// Variables and parameters are indices: a variable into the variable names the formula was
/// parsed with (the data columns), a parameter into the formula's parameter names in order
/// of first appearance. `FormulaModel` holds the names.
public indirect enum FormulaExpression: Hashable, Sendable {
    /// A literal (non-negative as parsed; `-2` is `.negate(.number(2))`).
    case number(Double)
    /// The constant π.
    case pi
    /// The data column with this index.
    case variable(Int)
    /// The fitted parameter with this index.
    case parameter(Int)
    /// −x.
    case negate(FormulaExpression)
    /// x ∘ y for one of `+ - * / ^`.
    case binary(FormulaOperator, FormulaExpression, FormulaExpression)
    /// f(x) or f(x, y); the argument count matches `function.arity`.
    case call(FormulaFunction, [FormulaExpression])
}

/// The binary operators, by their symbols.
public enum FormulaOperator: String, Hashable, Sendable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    /// xʸ, right-associative and binding tighter than unary minus: `-x^2` = −(x²).
    case power = "^"
}

/// The functions a formula may call. `log` is the natural logarithm; `pow(x, y)` = x^y;
///
/// ```
/// expm1(x) = eˣ − 1        log1p(x) = log(1 + x)       (both without cancellation near x = 0)
/// atan2(y, x)              the angle of the point (x, y), in (−π, π]  (C's atan2, y first)
/// ```
public enum FormulaFunction: String, Hashable, Sendable, CaseIterable {
    /// The functions, by the names a formula calls them (the table above).
    case exp, expm1, log, log1p, log10, sqrt, abs, sin, cos, tan, atan, atan2, pow, min, max

    /// How many arguments the function takes.
    public var arity: Int {
        switch self {
        case .atan2, .pow, .min, .max: return 2
        default: return 1
        }
    }

    /// The function applied to one argument (for the one-argument functions).
    @inlinable
    func apply(_ x: Double) -> Double {
        switch self {
        case .exp: return Foundation.exp(x)
        case .expm1: return Foundation.expm1(x)
        case .log: return Foundation.log(x)
        case .log1p: return Foundation.log1p(x)
        case .log10: return Foundation.log10(x)
        case .sqrt: return x.squareRoot()
        case .abs: return Swift.abs(x)
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tan: return Foundation.tan(x)
        case .atan: return Foundation.atan(x)
        case .atan2, .pow, .min, .max: return .nan
        }
    }

    /// The function applied to two arguments (for the two-argument functions).
    @inlinable
    func apply(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .atan2: return Foundation.atan2(x, y)
        case .pow: return Foundation.pow(x, y)
        case .min: return x <= y ? x : y
        case .max: return x >= y ? x : y
        default: return .nan
        }
    }
}

extension FormulaExpression {
    /// The value at one point, by walking the tree: the reference the compiled form is
    /// tested against, and the way to evaluate a formula once.
    public func value(variables: [Double], parameters: [Double]) -> Double {
        switch self {
        case let .number(c): return c
        case .pi: return Double.pi
        case let .variable(k): return variables[k]
        case let .parameter(j): return parameters[j]
        case let .negate(x): return -x.value(variables: variables, parameters: parameters)
        case let .binary(op, x, y):
            let a = x.value(variables: variables, parameters: parameters)
            let b = y.value(variables: variables, parameters: parameters)
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            case .divide: return a / b
            case .power: return Foundation.pow(a, b)
            }
        case let .call(f, args):
            let a = args[0].value(variables: variables, parameters: parameters)
            if f.arity == 1 { return f.apply(a) }
            return f.apply(a, args[1].value(variables: variables, parameters: parameters))
        }
    }

    /// The value when the expression is the same number for every value of its variables
    /// and parameters, found by folding constants and a few identities that hold for all
    /// finite inputs (0·x = 0, x − x = 0, 0/x = 0, 0^c = 0 for c > 0); nil otherwise.
    ///
    /// Used to reject a division that is always by zero.
    public var constantValue: Double? {
        switch self {
        case let .number(c): return c
        case .pi: return Double.pi
        case .variable, .parameter: return nil
        case let .negate(x): return x.constantValue.map { -$0 }
        case let .binary(op, x, y):
            let a = x.constantValue, b = y.constantValue
            if let a, let b { return FormulaExpression.binary(op, .number(a), .number(b)).value(variables: [], parameters: []) }
            switch op {
            case .multiply: return (a == 0 || b == 0) ? 0 : nil
            case .divide: return a == 0 ? 0 : nil
            case .subtract: return x == y ? 0 : nil
            case .power: return (a == 0 && (b ?? 0) > 0) ? 0 : nil
            case .add: return nil
            }
        case let .call(f, args):
            let values = args.map(\.constantValue)
            guard values.allSatisfy({ $0 != nil }) else { return nil }
            return f.arity == 1 ? f.apply(values[0]!) : f.apply(values[0]!, values[1]!)
        }
    }
}
