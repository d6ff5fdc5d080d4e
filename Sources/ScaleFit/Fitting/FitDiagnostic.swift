import Foundation

/// Why a fit is not sound, in the form every report shows it.
///
/// ```
/// notConverged       the solver stopped without meeting a convergence test
/// atBound            a parameter ended on a finite bound of its box (within 1e-9 relative)
/// notIdentified      a free parameter's standard error is infinite or NaN (J is
///                    rank-deficient in its direction), or above `identificationLimit`
///                    times max(|θⱼ|, 1): its 95% interval spans ±20 times its size, so the
///                    data do not determine it
/// rankDeficient      J has fewer independent columns than free parameters
/// negativeRSquared   the law fits worse than the mean of the data (R² < 0)
/// ```
public enum FitDiagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The solver stopped without converging; `reason` is its `FitSummary.message`.
    case notConverged(reason: String)
    case atBound(parameter: String, bound: Double)
    case notIdentified(parameter: String)
    case rankDeficient(rank: Int, freeParameters: Int)
    case negativeRSquared(Double)
    /// A diagnostic read back from a fit file, in the words it was written.
    case recorded(String)

    /// The diagnostic in a sentence, as reports print it.
    public var description: String {
        switch self {
        // The solver's message already says "not converged: …" or "failed: …".
        case let .notConverged(reason): return reason
        case let .atBound(name, bound): return "\(name) is at its bound \(bound): the optimum may lie beyond it"
        case let .notIdentified(name): return "\(name) is not identified by these data (standard error above \(Self.identificationLimit)·max(|value|, 1))"
        case let .rankDeficient(rank, free): return "the Jacobian has rank \(rank) for \(free) free parameters: some combination of them is not identified"
        case let .negativeRSquared(r2): return "R² = \(r2) < 0: the law fits worse than a constant"
        case let .recorded(text): return text
        }
    }

    /// The relative standard error above which a parameter counts as not identified.
    public static let identificationLimit = 10.0

    /// The diagnostics of a finished fit.
    public static func diagnose(names: [String], parameters: [Double], standardErrors: [Double], fixed: [Bool],
                                bounds: ParameterBounds?, summary: FitSummary, rank: Int, freeParameters: Int,
                                goodness: GoodnessOfFit?) -> [FitDiagnostic] {
        var out: [FitDiagnostic] = []
        if !summary.converged { out.append(.notConverged(reason: summary.message)) }
        if let bounds {
            for j in parameters.indices where !(fixed.indices.contains(j) && fixed[j]) {
                for b in [bounds.lower[j], bounds.upper[j]] where b.isFinite {
                    if abs(parameters[j] - b) <= 1e-9 * max(abs(b), 1) { out.append(.atBound(parameter: names[j], bound: b)) }
                }
            }
        }
        for j in standardErrors.indices where !(fixed.indices.contains(j) && fixed[j])
            && !(standardErrors[j] <= identificationLimit * max(abs(parameters[j]), 1)) {
            out.append(.notIdentified(parameter: names[j]))
        }
        if rank < freeParameters { out.append(.rankDeficient(rank: rank, freeParameters: freeParameters)) }
        if let g = goodness, g.rSquared < 0 { out.append(.negativeRSquared(g.rSquared)) }
        return out
    }
}

extension FitDiagnostic {
    /// The diagnostics of a solver result with its own covariance (the laws' legacy fit
    /// types and the per-law reports use this).
    public static func diagnose(_ result: SolverResult, names: [String], bounds: ParameterBounds?,
                                goodness: GoodnessOfFit?) -> [FitDiagnostic] {
        guard let cov = try? ParameterCovariance(result: result) else {
            return [.rankDeficient(rank: 0, freeParameters: result.fixed.filter { !$0 }.count)]
        }
        return diagnose(names: names, parameters: result.parameters, standardErrors: cov.standardErrors,
                        fixed: result.fixed, bounds: bounds, summary: result.summary, rank: cov.rank,
                        freeParameters: cov.freeParameters, goodness: goodness)
    }

    /// "" for a sound fit, else the line every report prints under its header:
    /// `NOT SOUND: gamma is at its bound 5.0: …; C is not identified …`.
    public static func reportLine(_ descriptions: [String]) -> String {
        descriptions.isEmpty ? "" : "NOT SOUND: " + descriptions.joined(separator: "; ") + "\n"
    }
}
