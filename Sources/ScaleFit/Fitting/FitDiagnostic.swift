import Foundation

/// Why a fit is not sound, in the form every report shows it.
///
/// ```
/// notConverged       the solver stopped without meeting a convergence test
/// atBound            a parameter ended on a finite bound of its box (within 1e-9 relative)
/// notIdentified      a free parameter's standard error is infinite or NaN (J is
///                    rank-deficient in its direction), or its relative standard error
///                    (se/|θⱼ|; se(θⱼ) itself for a parameter fitted as a logarithm, which
///                    is the relative error of its exponential) is above
///                    `identificationLimit` = 1: its 95% interval reaches past zero, so the
///                    data do not fix even its size. When the parameter's correlation with
///                    another is above `combinationLimit` (0.99), that partner is named:
///                    only a combination of the two is determined (e.g. B·β, or C·η^(−γ))
/// rankDeficient      J has fewer independent columns than free parameters
/// negativeRSquared   the law fits worse than the mean of the data (R² < 0)
/// ```
public enum FitDiagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The solver stopped without converging; `reason` is its `FitSummary.message`.
    case notConverged(reason: String)
    case atBound(parameter: String, bound: Double)
    /// `relativeError` is se/|θ| (NaN or ∞ when se is); `partner` the parameter it trades
    /// off with, when their correlation is above `combinationLimit`.
    case notIdentified(parameter: String, relativeError: Double, partner: String?, correlation: Double?)
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
        case let .notIdentified(name, relative, partner, rho):
            let size = relative.isFinite
                ? "relative standard error \(formatSignificant(relative, digits: 3)) > \(formatSignificant(Self.identificationLimit, digits: 3))"
                : relative.isNaN ? "standard error undefined" : "relative standard error infinite"
            let pair = partner.map { p in
                "; it trades off with \(p) (correlation \(formatSignificant(rho ?? .nan, digits: 4))): only a combination of \(name) and \(p) is determined"
            } ?? ""
            return "\(name) is not identified by these data (\(size))\(pair)"
        case let .rankDeficient(rank, free): return "the Jacobian has rank \(rank) for \(free) free parameters: some combination of them is not identified"
        case let .negativeRSquared(r2): return "R² = \(r2) < 0: the law fits worse than a constant"
        case let .recorded(text): return text
        }
    }

    /// The relative standard error above which a parameter counts as not identified: 1,
    /// where its 95% interval θ ± 1.96·se reaches past zero.
    public static let identificationLimit = 1.0
    /// The |correlation| above which a not-identified parameter's partner is named.
    public static let combinationLimit = 0.99

    /// The diagnostics of a finished fit.
    public static func diagnose(names: [String], parameters: [Double], standardErrors: [Double], fixed: [Bool],
                                bounds: ParameterBounds?, summary: FitSummary, rank: Int, freeParameters: Int,
                                goodness: GoodnessOfFit?, covariance: Matrix? = nil,
                                logScale: [Bool] = []) -> [FitDiagnostic] {
        var out: [FitDiagnostic] = []
        if !summary.converged { out.append(.notConverged(reason: summary.message)) }
        if let bounds {
            for j in parameters.indices where !(fixed.indices.contains(j) && fixed[j]) {
                for b in [bounds.lower[j], bounds.upper[j]] where b.isFinite {
                    if abs(parameters[j] - b) <= 1e-9 * max(abs(b), 1) { out.append(.atBound(parameter: names[j], bound: b)) }
                }
            }
        }
        let isFixed = { (j: Int) in fixed.indices.contains(j) && fixed[j] }
        for j in standardErrors.indices where !isFixed(j) {
            let se = standardErrors[j]
            let onLog = logScale.indices.contains(j) && logScale[j]
            let relative = onLog ? se : (se == 0 ? 0 : se / abs(parameters[j]))
            guard !(relative <= identificationLimit) else { continue }
            var partner: String?, rho: Double?
            if let c = covariance, c.rows == parameters.count, se.isFinite, se > 0 {
                for k in parameters.indices where k != j && !isFixed(k) {
                    let sk = standardErrors[k]
                    guard sk.isFinite, sk > 0 else { continue }
                    let r = c[j, k] / (se * sk)
                    if abs(r) > combinationLimit, abs(r) > abs(rho ?? 0) { partner = names[k]; rho = r }
                }
            }
            out.append(.notIdentified(parameter: names[j], relativeError: relative, partner: partner, correlation: rho))
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
                                goodness: GoodnessOfFit?, logScale: [Bool] = []) -> [FitDiagnostic] {
        guard let cov = try? ParameterCovariance(result: result) else {
            return [.rankDeficient(rank: 0, freeParameters: result.fixed.filter { !$0 }.count)]
        }
        return diagnose(names: names, parameters: result.parameters, standardErrors: cov.standardErrors,
                        fixed: result.fixed, bounds: bounds, summary: result.summary, rank: cov.rank,
                        freeParameters: cov.freeParameters, goodness: goodness, covariance: cov.scaled,
                        logScale: logScale)
    }

    /// "" for a sound fit, else the line every report prints under its header:
    /// `NOT SOUND: gamma is at its bound 5.0: …; C is not identified …`.
    public static func reportLine(_ descriptions: [String]) -> String {
        descriptions.isEmpty ? "" : "NOT SOUND: " + descriptions.joined(separator: "; ") + "\n"
    }
}
