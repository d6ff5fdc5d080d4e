import XCTest
import ScaleFit

/// The grammar (precedence, associativity, numbers, names), the canonical printer, and the
/// exact errors for bad formulas.
final class FormulaParserTests: XCTestCase {
    private func model(_ text: String, _ variables: [String] = ["x", "y", "N", "D"]) throws -> FormulaModel {
        try FormulaModel(formula: text, variables: variables)
    }

    private func value(_ text: String, x: Double = 3, y: Double = 5, parameters: [Double] = []) throws -> Double {
        try model(text, ["x", "y"]).value(variables: [x, y], parameters: parameters)
    }

    private func assertError(_ text: String, _ expected: ScaleFitError, variables: [String] = ["x", "y", "N", "D"],
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try model(text, variables), file: file, line: line) { error in
            XCTAssertEqual(error as? ScaleFitError, expected, file: file, line: line)
        }
    }

    // MARK: Grammar

    func testPrecedenceAndAssociativity() throws {
        XCTAssertEqual(try value("1 + 2 * 3"), 7)
        XCTAssertEqual(try value("(1 + 2) * 3"), 9)
        XCTAssertEqual(try value("8 - 3 - 2"), 3)
        XCTAssertEqual(try value("8 / 4 / 2"), 1)
        XCTAssertEqual(try value("2 ^ 3 ^ 2"), 512)          // right-associative
        XCTAssertEqual(try value("-x^2"), -9)                // −(x²)
        XCTAssertEqual(try value("(-x)^2"), 9)
        XCTAssertEqual(try value("2^-1"), 0.5)               // N^-alpha form
        XCTAssertEqual(try value("2^-x^2"), pow(2, -9))      // 2^(−(x²))
        XCTAssertEqual(try value("--x"), 3)
        XCTAssertEqual(try value("+x - -y"), 8)
        XCTAssertEqual(try value("x * -y"), -15)
        XCTAssertEqual(try value("-2 * 3 ^ 2"), -18)
    }

    func testNumbersFunctionsAndConstants() throws {
        XCTAssertEqual(try value("1e-3"), 0.001)
        XCTAssertEqual(try value(".5 + 5. + 2.5E+1"), 30.5)
        XCTAssertEqual(try value("pi"), Double.pi)
        XCTAssertEqual(try value("exp(0) + log(1) + log10(100) + sqrt(16) + abs(-2)"), 1 + 0 + 2 + 4 + 2)
        XCTAssertEqual(try value("sin(0) + cos(0) + tan(0) + atan(0)"), 1)
        XCTAssertEqual(try value("pow(2, 10)"), 1024)
        XCTAssertEqual(try value("expm1(1e-10)"), expm1(1e-10))  // 1.00000000005e-10, not exp(x) − 1
        XCTAssertEqual(try value("log1p(1e-10)"), log1p(1e-10))
        XCTAssertEqual(try value("expm1(0) + log1p(0)"), 0)
        XCTAssertEqual(try value("atan2(1, -1)"), 3 * Double.pi / 4)  // y first: the angle of (−1, 1)
        XCTAssertEqual(try value("atan2(-x, -y)"), atan2(-3, -5))
        XCTAssertEqual(try value("min(x, y) + max(x, y)"), 8)
        XCTAssertEqual(try value(" \tx\n*y "), 15)
    }

    func testVariablesAndParametersInFirstAppearanceOrder() throws {
        let m = try model("E + A*N^-alpha + B*D^-beta + A")
        XCTAssertEqual(m.parameterNames, ["E", "A", "alpha", "B", "beta"])
        XCTAssertEqual(m.parameterPositions, [1, 5, 10, 18, 23])
        XCTAssertEqual(m.usedVariableNames, ["N", "D"])
        XCTAssertEqual(m.value(variables: [0, 0, 100, 10_000], parameters: [1, 2, 0.5, 3, 0.5]), 1 + 0.2 + 0.03 + 2)
    }

    func testCanonicalPrinting() throws {
        let cases: [(String, String)] = [
            ("E+A*N^-alpha+B*D^-beta", "E + A * N^-alpha + B * D^-beta"),
            ("(a-b)-c", "a - b - c"),
            ("a-(b-c)", "a - (b - c)"),
            ("a/(b*c)", "a / (b * c)"),
            ("(a^b)^c", "(a^b)^c"),
            ("a^(b^c)", "a^b^c"),
            ("(-x)^2", "(-x)^2"),
            ("-(x^2)", "-x^2"),
            ("-(-x)", "-(-x)"),
            ("x^-(a+b)", "x^-(a + b)"),
            ("pow( x ,2)+max(a,-b)", "pow(x, 2) + max(a, -b)"),
            ("atan2( y ,x-b)+log1p(expm1(a))", "atan2(y, x - b) + log1p(expm1(a))"),
            ("1e-5*pi+.5", "1e-05 * pi + 0.5"),
        ]
        for (input, canonical) in cases {
            let m = try model(input)
            XCTAssertEqual(m.canonicalFormula, canonical, input)
            let again = try model(m.canonicalFormula)
            XCTAssertEqual(again.expression, m.expression, input)
            XCTAssertEqual(again.canonicalFormula, canonical, input)
        }
    }

    func testCodableRoundTripReparses() throws {
        let m = try model("E + A*N^-alpha")
        let back = try JSONDecoder().decode(FormulaModel.self, from: JSONEncoder().encode(m))
        XCTAssertEqual(back, m)
        XCTAssertEqual(back.parameterNames, ["E", "A", "alpha"])
    }

    // MARK: Errors

    private func bad(_ position: Int, _ expected: String, _ found: String) -> ScaleFitError {
        .badArgument(flag: "formula", position: position, expected: expected, found: found)
    }

    func testUnbalancedParentheses() {
        assertError("E + A*N^-alpha)", bad(15, "an operator or the end of the formula", ")"))
        assertError("(a + b", bad(7, "')' closing the '(' at 1", "end of formula"))
        assertError("exp((a + b)", bad(12, "')' closing the '(' at 4", "end of formula"))
        assertError("()", bad(2, "a number, a name or '('", ")"))
    }

    func testUnknownFunctionAndArity() {
        let known = "a function (exp expm1 log log1p log10 sqrt abs sin cos tan atan atan2 pow min max)"
        assertError("a + foo(x)", bad(5, known, "foo"))
        assertError("N(2)", bad(1, known, "N"))
        assertError("pow(x)", bad(1, "2 arguments for pow", "1 argument"))
        assertError("exp(x, y)", bad(1, "1 argument for exp", "2 arguments"))
        assertError("atan2(y)", bad(1, "2 arguments for atan2", "1 argument"))
        assertError("log1p(x, y)", bad(1, "1 argument for log1p", "2 arguments"))
        assertError("exp + 1", bad(5, "'(' after the function exp", "+"))
        assertError("pi(2)", bad(1, known, "pi"))
    }

    func testDivisionThatIsAlwaysByZero() {
        let expected = "a divisor that is not always zero"
        assertError("a / 0", bad(5, expected, "0"))
        assertError("x/(1 - 1)", bad(3, expected, "(1 - 1)"))
        assertError("x / (b - b) + 1", bad(5, expected, "(b - b)"))
        assertError("x / (0*a)", bad(5, expected, "(0*a)"))
        assertError("x / sin(0)", bad(5, expected, "sin(0)"))
        assertError("x / -0.0", bad(5, expected, "-0.0"))
        XCTAssertNoThrow(try model("x / (b - c)"))
        XCTAssertNoThrow(try model("x / (0 + a)"))
    }

    func testBadTokens() {
        assertError("", bad(1, "a number, a name or '('", "end of formula"))
        assertError("2 $ 3", bad(3, "a number, a name, an operator (+ - * / ^) or a parenthesis", "$"))
        assertError("1e", bad(3, "digits of the exponent", "end of formula"))
        assertError("1e+x", bad(4, "digits of the exponent", "x"))
        assertError("1e999", bad(1, "a finite number", "1e999"))
        assertError("a b", bad(3, "an operator or the end of the formula", "b"))
        assertError("a +", bad(4, "a number, a name or '('", "end of formula"))
        assertError("a ** 2", bad(4, "a number, a name or '('", "*"))
        assertError("f(x,)", bad(1, "a function (exp expm1 log log1p log10 sqrt abs sin cos tan atan atan2 pow min max)", "f"))
        assertError("max(x,)", bad(7, "a number, a name or '('", ")"))
    }

    func testDeepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
        XCTAssertThrowsError(try model(deep)) { error in
            guard case let .badArgument(flag, position, expected, _)? = error as? ScaleFitError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(flag, "formula")
            XCTAssertEqual(position, 257)
            XCTAssertEqual(expected, "nesting at most 256 deep")
        }
        XCTAssertThrowsError(try model(String(repeating: "-", count: 10_000) + "x"))
        XCTAssertThrowsError(try model("x" + String(repeating: "^x", count: 10_000)))
        XCTAssertNoThrow(try model(String(repeating: "(", count: 200) + "x" + String(repeating: ")", count: 200)))
    }

    func testBadVariableNames() {
        XCTAssertThrowsError(try model("x", ["x", "x"])) { error in
            XCTAssertEqual(error as? ScaleFitError,
                           .badArgument(flag: "variables", position: 0, expected: "each variable once", found: "x"))
        }
        XCTAssertThrowsError(try model("x", ["log"])) { error in
            XCTAssertEqual(error as? ScaleFitError,
                           .badArgument(flag: "variables", position: 0,
                                        expected: "a variable name that is not a function or pi", found: "log"))
        }
    }

    func testErrorDescriptionPointsAtTheColumn() {
        let error = bad(15, "an operator or the end of the formula", ")")
        XCTAssertEqual(error.description, "formula: expected an operator or the end of the formula at 15, found \")\"")
        XCTAssertEqual(error.exitCode, 64)
    }
}
