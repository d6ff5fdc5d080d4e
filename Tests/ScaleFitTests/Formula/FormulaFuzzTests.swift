import XCTest
import ScaleFit

/// Random byte strings and mutated valid formulas through the parser: every outcome is a
/// model or a `ScaleFitError`, never a crash; and whatever parses prints to text that parses
/// back to the same tree.
final class FormulaFuzzTests: XCTestCase {
    /// 10⁵ inputs in release. Debug builds run half of them: 10⁵ take 3.5–6 s there on the
    /// shared build machine, over the few-seconds budget of a unit test.
    #if DEBUG
    private static let inputCount = 50_000
    #else
    private static let inputCount = 100_000
    #endif

    private static let seeds = [
        "E + A*N^-alpha + B*D^-beta", "b1*(1-exp(-b2*x))", "pow(x, 2) / (1 + max(a, -b))",
        "-x^2 + sqrt(abs(log10(y))) * pi", "(a+b)*(c-d)/e^-f", "atan(tan(sin(cos(x))))", "atan2(y, x - b4) + log1p(expm1(a))", "1e-3*.5+2.E+1",
    ]
    private static let alphabet = Array("0123456789.eE+-*/^(),xyNDabcpi_ \texplogsqrtminmax".utf8)

    func testRandomBytesAndMutatedFormulasNeverCrashTheParser() throws {
        var rng = FormulaTestRandom(seed: 0xF022)
        var parsed = 0, refused = 0
        for k in 0..<Self.inputCount {
            let bytes: [UInt8]
            switch k % 3 {
            case 0: bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1: bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in Self.alphabet.randomElement(using: &rng)! }
            default: bytes = mutate(Array(Self.seeds.randomElement(using: &rng)!.utf8), using: &rng)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let model = try FormulaModel(formula: text, variables: ["x", "y", "N", "D"])
                let again = try FormulaModel(formula: model.canonicalFormula, variables: ["x", "y", "N", "D"])
                XCTAssertEqual(again.expression, model.expression, "\(text) → \(model.canonicalFormula)")
                parsed += 1
            } catch let error as ScaleFitError {
                guard case let .badArgument(flag, position, _, _) = error else { return XCTFail("\(text): \(error)") }
                XCTAssertEqual(flag, "formula")
                XCTAssertTrue((1...text.unicodeScalars.count + 1).contains(position), "\(text): \(error)")
                refused += 1
            }
        }
        XCTAssertEqual(parsed + refused, Self.inputCount)
        XCTAssertGreaterThan(parsed, Self.inputCount / 20)  // the mutations keep many formulas valid
    }

    /// One to three deletions, insertions, replacements or duplications of a byte.
    private func mutate(_ bytes: [UInt8], using rng: inout FormulaTestRandom) -> [UInt8] {
        var b = bytes
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let i = Int.random(in: 0...b.count, using: &rng)
            let c = Bool.random(using: &rng) ? Self.alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0 where i < b.count: b.remove(at: i)
            case 1: b.insert(c, at: i)
            case 2 where i < b.count: b[i] = c
            case 3 where i < b.count: b.insert(b[i], at: i)
            default: b.insert(c, at: i)
            }
        }
        return b
    }
}
