import Foundation

/// A multilingual fit as a fit file holds it, opened as a fit of the whole mix
/// (`LawRegistry.fit`): every family's six log-space parameters, their 6F × 6F covariance
/// and the prediction noise, predicting a family's loss at (N, D, p) with the same intervals
/// as every other law (`Prediction`: the delta method on log L through
/// `MultilingualLaw.logLoss`, widened by the noise into a prediction interval).
///
/// ```swift
/// let fit = try LawRegistry.load(path: "mix.fit.json")
/// try fit.predict(.families([MultilingualFamilyPoint(family: "en", point: MultilingualPoint(parameters: 1e9, tokens: 2e10, ratio: 0.5))]))
/// ```
public struct MultilingualMixFit: FittedLaw {
    /// The fitted law, one family per six parameters, in the file's order.
    public var law: MultilingualLaw
    /// The fit file.
    public var file: FitFile

    /// The fit in `file`; `source` names it in errors.
    /// - Throws: `invalidData` for a file of another law or parameters that are not six
    ///   `FAMILY.name` entries per family.
    public init(file: FitFile, source: String = "fit file") throws {
        law = try file.multilingual(file: source)
        self.file = file
    }

    /// "multilingual".
    public var lawIdentifier: String { MultilingualLaw.identifier }
    /// `FAMILY.e`, `FAMILY.a`, … for every family.
    public var parameterNames: [String] { file.parameterNames }
    /// θ, log-space: (log E, log A, log B, α, β, γ) per family.
    public var parameters: [Double] { file.parameters }
    /// √diag of the covariance (NaN where it is negative).
    public var standardErrors: [Double] {
        (0..<file.parameters.count).map { i in
            let v = file.covariance[i, i]
            return v >= 0 ? v.squareRoot() : .nan
        }
    }
    /// E, A, B exponentiated (standard errors by the delta method), α, β, γ as fitted.
    public var estimates: [ParameterEstimate] {
        let se = standardErrors
        return parameters.indices.map { j in
            let k = j % 6, family = law.families[j / 6].name
            let name = "\(family).\(MultilingualLaw.naturalParameterNames[k])"
            return k < 3 ? ParameterEstimate(name: name, estimate: exp(parameters[j]), standardError: exp(parameters[j]) * se[j])
                : ParameterEstimate(name: name, estimate: parameters[j], standardError: se[j])
        }
    }
    /// The diagnostics the file recorded.
    public var diagnostics: [FitDiagnostic] { (file.diagnostics ?? []).map { .recorded($0) } }
    /// True when the solver converged (as recorded) and no diagnostic was raised.
    public var isSound: Bool { (file.solver?.converged ?? true) && diagnostics.isEmpty }
    /// Points of named families.
    public var queryKind: LawQuery.Kind? { .families }

    /// Each point's family loss with its intervals at `level`.
    /// - Throws: `invalidData` for another kind of query, a family the fit does not have, or
    ///   a point with N, D or p not positive and finite (p at most 1).
    public func predict(_ query: LawQuery, level: Double = 0.95) throws -> [Prediction] {
        guard case let .families(points) = query else {
            throw ScaleFitError.invalidData(file: file.data.file, reason: "the multilingual law predicts at (N, D, p) points of its families, not at \(query.kind)")
        }
        let names = law.families.map(\.name)
        return try points.map { q in
            guard let f = names.firstIndex(of: q.family) else {
                throw ScaleFitError.invalidData(file: file.data.file, reason: "no family \(q.family) in the fit (families: \(names.joined(separator: ", ")))")
            }
            let p = q.point
            guard p.parameters > 0, p.parameters.isFinite, p.tokens > 0, p.tokens.isFinite, p.ratio > 0, p.ratio <= 1 else {
                throw ScaleFitError.invalidData(file: file.data.file, reason: "family \(q.family): N = \(p.parameters), D = \(p.tokens), p = \(p.ratio); expected N, D > 0 and 0 < p ≤ 1")
            }
            let (logL, g) = MultilingualLaw.logLoss(file.parameters[(6 * f)..<(6 * f + 6)], logN: log(p.parameters),
                                                    logD: log(p.tokens), logP: log(p.ratio))
            var full = [Double](repeating: 0, count: file.parameters.count)
            for k in 0..<6 { full[6 * f + k] = g[k] }
            return Prediction(LawValue(value: exp(logL), logGradient: full), covariance: file.covariance, level: level, noise: file.noise)
        }
    }
}

/// A point of one family of a multilingual fit: what `LawQuery.families` asks at.
public struct MultilingualFamilyPoint: Sendable, Equatable {
    /// The family's name, as the fit names it.
    public var family: String
    /// (N, D, p).
    public var point: MultilingualPoint
    /// `point` of `family`.
    public init(family: String, point: MultilingualPoint) {
        self.family = family
        self.point = point
    }
}
