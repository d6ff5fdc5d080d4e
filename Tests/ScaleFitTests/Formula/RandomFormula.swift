import Foundation

/// A random well-formed formula over the variables x, y and the parameters a, b, c, as text
/// (fully parenthesised, with random blanks) together with an independent evaluator, so
/// that the parser, the printer and the compiled form can all be checked against it.
struct RandomFormula {
    static let variables = ["x", "y"]
    static let parameters = ["a", "b", "c"]

    var text: String
    /// f(x, y; a, b, c) computed without the library.
    var evaluate: (_ xy: [Double], _ abc: [Double]) -> Double

    static func make(depth: Int, using rng: inout FormulaTestRandom) -> RandomFormula {
        func blank() -> String { ["", "", " ", "  ", "\t"].randomElement(using: &rng)! }
        if depth == 0 || Int.random(in: 0..<5, using: &rng) == 0 { return leaf(using: &rng) }
        let a = make(depth: depth - 1, using: &rng)
        let b = make(depth: depth - 1, using: &rng)
        switch Int.random(in: 0..<12, using: &rng) {
        case 0: return RandomFormula(text: "(-\(blank())\(a.text))", evaluate: { -a.evaluate($0, $1) })
        case 1: return binary(a, "+", b, blank(), +)
        case 2: return binary(a, "-", b, blank(), -)
        case 3, 4: return binary(a, "*", b, blank(), *)
        case 5: return binary(a, "/", b, blank(), /)
        case 6: return binary(a, "^", b, blank(), { pow($0, $1) })
        case 7:
            return RandomFormula(text: "pow(\(a.text),\(blank())\(b.text))", evaluate: { pow(a.evaluate($0, $1), b.evaluate($0, $1)) })
        case 8:
            let which = Int.random(in: 0..<3, using: &rng)
            let name = ["min", "max", "atan2"][which]
            return RandomFormula(text: "\(name)(\(a.text), \(b.text))", evaluate: {
                let u = a.evaluate($0, $1), v = b.evaluate($0, $1)
                switch which {
                case 0: return u <= v ? u : v
                case 1: return u >= v ? u : v
                default: return atan2(u, v)
                }
            })
        default:
            let functions: [(String, (Double) -> Double)] = [
                ("exp", exp), ("expm1", expm1), ("log", log), ("log1p", log1p), ("log10", log10), ("sqrt", { $0.squareRoot() }), ("abs", { Swift.abs($0) }),
                ("sin", sin), ("cos", cos), ("tan", tan), ("atan", atan),
            ]
            let (name, f) = functions.randomElement(using: &rng)!
            return RandomFormula(text: "\(name)(\(blank())\(a.text)\(blank()))", evaluate: { f(a.evaluate($0, $1)) })
        }
    }

    private static func binary(_ a: RandomFormula, _ op: String, _ b: RandomFormula, _ blank: String,
                               _ f: @escaping (Double, Double) -> Double) -> RandomFormula {
        RandomFormula(text: "(\(a.text)\(blank)\(op)\(blank)\(b.text))", evaluate: { f(a.evaluate($0, $1), b.evaluate($0, $1)) })
    }

    private static func leaf(using rng: inout FormulaTestRandom) -> RandomFormula {
        switch Int.random(in: 0..<7, using: &rng) {
        case 0, 1:
            let k = Int.random(in: 0..<2, using: &rng)
            return RandomFormula(text: variables[k], evaluate: { xy, _ in xy[k] })
        case 2, 3, 4:
            let j = Int.random(in: 0..<3, using: &rng)
            return RandomFormula(text: parameters[j], evaluate: { _, abc in abc[j] })
        case 5:
            return RandomFormula(text: "pi", evaluate: { _, _ in Double.pi })
        default:
            let literals: [(String, Double)] = [("2", 2), ("0.5", 0.5), (".25", 0.25), ("1e-1", 0.1),
                                                ("3.", 3), ("1.5E0", 1.5), ("7", 7)]
            let (text, value) = literals.randomElement(using: &rng)!
            return RandomFormula(text: text, evaluate: { _, _ in value })
        }
    }
}
