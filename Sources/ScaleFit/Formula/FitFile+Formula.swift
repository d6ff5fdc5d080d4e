import Foundation

/// A formula fit in the fit file (`law: "formula"`): `formula` is the canonical formula,
/// `variables` its input columns in order, `parameterNames`/`parameters` in the formula's
/// order of first appearance, `covariance` the scaled covariance σ̂²·(JᵀJ)⁺.
extension FitFile {
    /// The `law` of a formula fit.
    public static let formulaLaw = "formula"

    /// The fit file of a formula fit.
    public init(formula fit: FormulaFit, data: DataSummary) {
        self.init(law: Self.formulaLaw, formula: fit.model.canonicalFormula,
                  parameterNames: fit.model.parameterNames, parameters: fit.parameters,
                  covariance: fit.covariance.scaled, objective: fit.best.cost, loss: fit.loss.spec,
                  starts: fit.multiStart.finalCosts.count, data: data, variables: fit.model.variableNames)
    }

    /// The model of a formula fit, parsed back from the file. Throws `invalidData` naming
    /// `file` when the file holds another law, its formula does not parse, or the formula's
    /// parameters are not the file's.
    public func formulaModel(file: String) throws -> FormulaModel {
        guard law == Self.formulaLaw else {
            throw ScaleFitError.invalidData(file: file, reason: "the fit file holds the \(law) law, not a formula")
        }
        let model: FormulaModel
        do {
            model = try FormulaModel(formula: formula, variables: variables ?? [])
        } catch {
            throw ScaleFitError.invalidData(file: file, reason: "the fit file's formula \"\(formula)\" does not parse: \(error)")
        }
        guard model.parameterNames == parameterNames else {
            throw ScaleFitError.invalidData(
                file: file, reason: "the formula's parameters (\(model.parameterNames.joined(separator: ", "))) are not "
                    + "the file's (\(parameterNames.joined(separator: ", ")))")
        }
        return model
    }

    /// The formula's prediction at each row of `inputs` (one column per variable, in
    /// `variables` order) with a 95% interval by the delta method:
    ///
    /// ```
    /// ŷ = f(x; θ̂),   g = ∂f(x; θ̂)/∂θ (exact),   sd = √(gᵀΣg),   ŷ ± 1.959964·sd
    /// ```
    ///
    /// Throws as `formulaModel(file:)`, and `dimensionMismatch` for inputs of the wrong shape.
    public func predictFormula(inputs: [[Double]], file: String) throws
        -> [(value: Double, standardError: Double, lower: Double, upper: Double, predictionLower: Double, predictionUpper: Double)] {
        let model = try formulaModel(file: file)
        let values = try model.values(inputs: inputs, parameters: parameters)
        let gradients = try model.jacobian(inputs: inputs, parameters: parameters)
        let n = parameters.count
        return values.indices.map { i in
            let p = Prediction(LawValue(value: values[i], gradient: (0..<n).map { gradients[i, $0] }, scale: .linear),
                               covariance: covariance, noise: noise)
            return (values[i], p.standardError, p.lower, p.upper, p.predictionLower, p.predictionUpper)
        }
    }
}
