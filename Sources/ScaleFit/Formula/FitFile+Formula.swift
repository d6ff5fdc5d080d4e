import Foundation

/// A formula fit in the fit file (`law: "formula"`): `formula` is the canonical formula,
/// `variables` its input columns in order, `parameterNames`/`parameters` in the formula's
/// order of first appearance, `covariance` the scaled covariance σ̂²·(JᵀJ)⁺.
extension FitFile {
    /// The `law` of a formula fit.
    public static let formulaLaw = "formula"

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
}
