/// A NIST StRD model fitted to its data: the residuals
///
/// ```
/// rᵢ(b) = f(xᵢ; b) − yᵢ        (f(x₁ᵢ, x₂ᵢ; b) − log yᵢ for Nelson)
/// ```
///
/// and their analytic Jacobian Jᵢⱼ = ∂f(xᵢ; b)/∂bⱼ. The residuals are written for accuracy
/// (`expm1`, `log1p`, `atan2`, no differences of nearly equal terms where an identity
/// avoids them), because at the certified minimum they decide how many digits a solver
/// can get right.
package protocol NISTModel: LeastSquaresProblem {
    /// The StRD problems this model serves ("Misra1a", "BoxBOD", …).
    static var problemNames: [String] { get }
    /// How many predictors the model reads (1, or 2 for Nelson).
    static var predictorCount: Int { get }
    /// The model on a dataset's data. Throws `invalidData` when the dataset has the wrong
    /// number of predictors.
    init(dataset: NISTDataset) throws
    /// Runs `solver` on this model from `start`. A requirement (not only an extension) so
    /// that each model gets the solver specialised for its concrete type even when called
    /// through `any NISTModel`.
    func fit(from start: [Double], with solver: LevenbergMarquardt) throws -> SolverResult
}

extension NISTModel {
    package func fit(from start: [Double], with solver: LevenbergMarquardt) throws -> SolverResult {
        try solver.minimize(self, from: start)
    }
}

/// The 27 StRD models, by problem name.
package enum NISTModels {
    /// Every model type, in NIST's order of classes (exponential, rational, miscellaneous).
    package static let all: [any NISTModel.Type] = [
        ExponentialRise.self, Chwirut.self, GaussPeaks.self, Lanczos.self, MGH10.self,
        MGH17.self, Nelson.self, Rat42.self, Rat43.self, Eckerle4.self,
        Kirby2.self, CubicRational.self, MGH09.self,
        DanWood.self, Misra1b.self, Misra1c.self, Misra1d.self, Roszman1.self, ENSO.self,
        Bennett5.self,
    ]

    /// The 27 problem names, sorted.
    package static var problemNames: [String] {
        all.flatMap { $0.problemNames }.sorted()
    }

    /// The model type for a problem name (case-sensitive, as in the files), or nil.
    package static func modelType(named name: String) -> (any NISTModel.Type)? {
        all.first { $0.problemNames.contains(name) }
    }

    /// The model for `dataset`, chosen by its name. Throws `invalidData` for a name that is
    /// not one of the 27, or data with the wrong number of predictors.
    package static func model(for dataset: NISTDataset, file: String = "") throws -> any NISTModel {
        guard let type = modelType(named: dataset.name) else {
            throw ScaleFitError.invalidData(
                file: file.isEmpty ? dataset.name : file,
                reason: "\"\(dataset.name)\" is not one of the 27 NIST StRD problems")
        }
        return try type.init(dataset: dataset)
    }
}

extension NISTDataset {
    /// (x, y) of a one-predictor dataset, checked against what the model needs.
    func singlePredictor(for model: String) throws -> (x: [Double], y: [Double]) {
        guard predictors.count == 1 else {
            throw ScaleFitError.invalidData(
                file: name, reason: "the \(model) model needs 1 predictor, the data have \(predictors.count)")
        }
        return (predictors[0], response)
    }

    /// Checks that the parameter count agrees with the model's.
    func requireParameters(_ n: Int, for model: String) throws {
        guard parameterCount == n else {
            throw ScaleFitError.invalidData(
                file: name, reason: "the \(model) model has \(n) parameters, the file certifies \(parameterCount)")
        }
    }
}
