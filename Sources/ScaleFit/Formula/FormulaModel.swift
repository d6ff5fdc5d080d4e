/// A model the user typed: a formula over data variables and fitted parameters, parsed,
/// checked and compiled once.
///
/// ```
/// let model = try FormulaModel(formula: "E + A*N^-alpha + B*D^-beta", variables: ["N", "D"])
/// model.parameterNames          // ["E", "A", "alpha", "B", "beta"]
/// ```
///
/// Names in `variables` are data columns; `pi` is π; every other name that is not a function
/// is a parameter, listed in order of first appearance. Values and exact Jacobians come from
/// the compiled form (`FormulaProgram`); `FormulaProblem` binds the model to data for the solver.
/// `Codable` as its formula text and variable names, so a fit file can carry it.
public struct FormulaModel: Sendable {
    /// The formula as the user wrote it.
    public let formula: String
    /// The data columns the formula may use, in the order inputs are given.
    public let variableNames: [String]
    /// The fitted parameters, in order of first appearance in the formula.
    public let parameterNames: [String]
    /// The 1-based position in `formula` where each parameter first appears.
    public let parameterPositions: [Int]
    /// The parsed formula.
    public let expression: FormulaExpression
    let program: FormulaProgram

    /// Parses and compiles `formula`. Throws `ScaleFitError.badArgument(flag: "formula", …)`
    /// pointing at the offending character, or `flag: "variables"` for a variable name that is
    /// repeated or is a function name or `pi`.
    public init(formula: String, variables: [String]) throws {
        var seen: Set<String> = []
        for name in variables {
            guard FormulaFunction(rawValue: name) == nil, name != "pi" else {
                throw ScaleFitError.badArgument(flag: "variables", position: 0,
                                                expected: "a variable name that is not a function or pi", found: name)
            }
            guard seen.insert(name).inserted else {
                throw ScaleFitError.badArgument(flag: "variables", position: 0,
                                                expected: "each variable once", found: name)
            }
        }
        var parser = try FormulaParser(text: formula, variables: variables)
        self.expression = try parser.parse()
        self.formula = formula
        self.variableNames = variables
        self.parameterNames = parser.parameters.map(\.name)
        self.parameterPositions = parser.parameters.map(\.position)
        self.program = FormulaProgram(expression, variableCount: variables.count,
                                      parameterCount: parameterNames.count)
    }

    /// The formula in canonical form (see `FormulaPrinter`): parses back to the same tree.
    public var canonicalFormula: String {
        FormulaPrinter(variableNames: variableNames, parameterNames: parameterNames).text(of: expression)
    }

    /// The variables the formula actually mentions, in `variableNames` order.
    public var usedVariableNames: [String] {
        let used = Set(program.operations.compactMap { op -> Int? in
            if case let .variable(k) = op { return k } else { return nil }
        })
        return variableNames.indices.filter(used.contains).map { variableNames[$0] }
    }

    // MARK: Evaluation

    /// f(x; θ) at one point (x in `variableNames` order, θ in `parameterNames` order).
    public func value(variables x: [Double], parameters θ: [Double]) -> Double {
        expression.value(variables: x, parameters: θ)
    }

    /// f(xᵢ; θ) for every row i of `inputs` (one column per variable).
    public func values(inputs: [[Double]], parameters θ: [Double]) throws -> [Double] {
        let (flat, m) = try columnMajor(inputs, parameters: θ)
        var out = [Double](repeating: 0, count: m)
        flat.withUnsafeBufferPointer { columns in
            out.withUnsafeMutableBufferPointer { values in
                program.evaluate(parameters: θ, columns: columns.baseAddress!, rowCount: m,
                                 values: values.baseAddress, jacobian: nil)
            }
        }
        return out
    }

    /// The exact Jacobian ∂f(xᵢ; θ)/∂θⱼ (rows × parameters), by forward-mode differentiation.
    public func jacobian(inputs: [[Double]], parameters θ: [Double]) throws -> Matrix {
        let (flat, m) = try columnMajor(inputs, parameters: θ)
        var jac = Matrix(rows: m, columns: parameterNames.count)
        flat.withUnsafeBufferPointer { columns in
            jac.storage.withUnsafeMutableBufferPointer { storage in
                program.evaluate(parameters: θ, columns: columns.baseAddress!, rowCount: m,
                                 values: nil, jacobian: storage.baseAddress)
            }
        }
        return jac
    }

    /// The inputs as one column-major array, after checking the dimensions.
    func columnMajor(_ inputs: [[Double]], parameters θ: [Double]) throws -> (flat: [Double], rows: Int) {
        guard θ.count == parameterNames.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(parameterNames.count) parameter values",
                                                  found: "\(θ.count)")
        }
        guard inputs.count == variableNames.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(variableNames.count) input columns",
                                                  found: "\(inputs.count)")
        }
        let m = inputs.first?.count ?? 0
        for column in inputs where column.count != m {
            throw ScaleFitError.dimensionMismatch(expected: "\(m) rows in every input column",
                                                  found: "\(column.count)")
        }
        // One dummy element keeps the buffer's base address non-nil when there are no inputs.
        return (inputs.isEmpty ? [0] : inputs.flatMap { $0 }, m)
    }
}

extension FormulaModel: Equatable {
    /// Equal when the formula text and the variable names are (the parameters follow from them).
    public static func == (a: FormulaModel, b: FormulaModel) -> Bool {
        a.formula == b.formula && a.variableNames == b.variableNames
    }
}

extension FormulaModel: Codable {
    private enum CodingKeys: String, CodingKey { case formula, variables }

    /// Reads `formula` and `variables` and parses and compiles them again; throws as `init(formula:variables:)` does.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(formula: c.decode(String.self, forKey: .formula),
                      variables: c.decode([String].self, forKey: .variables))
    }

    /// Writes the formula text and the variable names (`formula`, `variables`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formula, forKey: .formula)
        try c.encode(variableNames, forKey: .variables)
    }
}
