/// A `FormulaModel` bound to data: the least-squares problem with residuals
///
/// ```
/// rᵢ(θ) = f(xᵢ; θ) − yᵢ,      Jᵢⱼ = ∂f(xᵢ; θ)/∂θⱼ   (exact, by forward-mode differentiation)
/// ```
///
/// The inputs are stored once, column after column, so an evaluation reads them in place.
public struct FormulaProblem: LeastSquaresProblem {
    /// The compiled formula f(x; θ) and its variable and parameter names.
    public let model: FormulaModel
    /// The observed values yᵢ.
    public let observed: [Double]
    /// The inputs, column after column (`variableNames.count × residualCount`).
    private let columns: [Double]

    /// n, the formula's number of parameters.
    public var parameterCount: Int { model.parameterNames.count }
    /// m, one residual per observed value.
    public var residualCount: Int { observed.count }

    /// Binds `model` to `inputs` (one column per variable, in `model.variableNames` order)
    /// and `observed`. Throws `dimensionMismatch` when the lengths disagree, and
    /// `badArgument(flag: "--formula", …)` when the formula has no parameter to fit.
    public init(model: FormulaModel, inputs: [[Double]], observed: [Double]) throws {
        guard !model.parameterNames.isEmpty else {
            throw ScaleFitError.badArgument(flag: FormulaLexer.flag, position: 0,
                                            expected: "a formula with at least one parameter to fit",
                                            found: model.formula)
        }
        let (flat, m) = try model.columnMajor(inputs, parameters: Array(repeating: 0, count: model.parameterNames.count))
        guard inputs.isEmpty || m == observed.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(observed.count) rows in every input column",
                                                  found: "\(m)")
        }
        self.model = model
        self.observed = observed
        self.columns = flat
    }

    /// rᵢ = f(xᵢ; θ) − yᵢ for every row.
    public func residuals(at x: [Double], into residuals: inout [Double]) {
        let m = observed.count
        columns.withUnsafeBufferPointer { data in
            residuals.withUnsafeMutableBufferPointer { r in
                model.program.evaluate(parameters: x, columns: data.baseAddress!, rowCount: m,
                                       values: r.baseAddress, jacobian: nil)
                observed.withUnsafeBufferPointer { y in
                    for i in 0..<m { r[i] -= y[i] }
                }
            }
        }
    }

    /// Jᵢⱼ = ∂f(xᵢ; θ)/∂θⱼ, exact, by forward-mode differentiation of the compiled formula.
    public func jacobian(at x: [Double], into jacobian: inout Matrix) {
        let m = observed.count
        columns.withUnsafeBufferPointer { data in
            jacobian.storage.withUnsafeMutableBufferPointer { storage in
                model.program.evaluate(parameters: x, columns: data.baseAddress!, rowCount: m,
                                       values: nil, jacobian: storage.baseAddress)
            }
        }
    }
}
