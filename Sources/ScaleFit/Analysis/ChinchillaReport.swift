import Foundation

/// What a Chinchilla fit tells a user: the parameters in their natural form with standard
/// errors (delta method from the log-space covariance: se(E) = E·se(e), likewise A, B),
/// the objective reached, goodness of fit, the compute-optimal allocation for a budget, and
/// the per-run residual table.
public struct ChinchillaReport: Sendable, Codable, Equatable {
    public struct Run: Sendable, Codable, Equatable {
        public var line: Int
        public var label: String
        public var parameters: Double
        public var tokens: Double
        public var observed: Double
        public var fitted: Double
        public var residual: Double
        public var relativeResidual: Double
    }

    public var law: String
    public var formula: String
    public var objective: String
    public var parameters: [ParameterEstimate]
    /// Σ Huber_δ(log residual) at the optimum.
    public var objectiveValue: Double
    /// Starts screened.
    public var starts: Int
    /// Distinct screening end points run to convergence, and how many of them reached the
    /// best objective (within 1e-9 relative): several at the best means the optimum stands out.
    public var polished: Int
    public var polishedAtBest: Int
    public var summary: FitSummary
    /// √mean((L̂ − L)²).
    public var rmse: Double
    /// mean |L̂ − L| / L.
    public var meanAbsoluteRelativeError: Double
    public var rSquared: Double
    public var rSquaredLog: Double
    public var runs: [Run]

    public init(fit: ChinchillaFit, parameters n: [Double], tokens d: [Double], loss: [Double],
                lines: [Int], labels: [String], delta: Double) throws {
        let cov = try ParameterCovariance(result: fit.best)
        let l = fit.law
        let natural = [l.E, l.A, l.B, l.alpha, l.beta]
        let scale = [l.E, l.A, l.B, 1, 1]
        law = ChinchillaLaw.identifier
        formula = ChinchillaLaw.formula
        objective = "sum of Huber(delta=\(delta)) of log residuals, LSE form (Hoffmann et al. 2022)"
        parameters = ["E", "A", "B", "alpha", "beta"].indices.map {
            ParameterEstimate(name: ["E", "A", "B", "alpha", "beta"][$0], estimate: natural[$0],
                      standardError: scale[$0] * cov.standardErrors[$0])
        }
        objectiveValue = fit.objective
        starts = fit.search.startCount
        polished = fit.search.polishedStarts.count
        polishedAtBest = fit.search.polishedAtBest
        summary = fit.best.summary
        let fitted = zip(n, d).map { l.loss(parameters: $0, tokens: $1) }
        let goodness = GoodnessOfFit(observed: loss, fitted: fitted)
        rmse = goodness.rmse
        meanAbsoluteRelativeError = goodness.meanAbsoluteRelativeError
        rSquared = goodness.rSquared
        rSquaredLog = goodness.rSquaredLog
        runs = loss.indices.map { i in
            Run(line: lines[i], label: labels[i], parameters: n[i], tokens: d[i], observed: loss[i],
                fitted: fitted[i], residual: fitted[i] - loss[i], relativeResidual: (fitted[i] - loss[i]) / loss[i])
        }
    }
}

/// The compute-optimal allocation under C = 6·N·D for Chinchilla's law: minimise
/// E + A/N^α + B/D^β on that curve. Setting the derivative to zero gives
///
/// ```
/// N* = G·(C/6)^(β/(α+β)),  D* = G⁻¹·(C/6)^(α/(α+β)),  G = (α·A / (β·B))^(1/(α+β))
/// ```
public struct ComputeOptimalAllocation: Sendable, Codable, Equatable {
    public var compute: Double
    public var parameters: Double
    public var tokens: Double
    public var tokensPerParameter: Double
    public var loss: Double

    public init(law: ChinchillaLaw.Parameters, compute: Double) {
        let a = law.alpha, b = law.beta
        let g = pow(a * law.A / (b * law.B), 1 / (a + b))
        self.compute = compute
        parameters = g * pow(compute / 6, b / (a + b))
        tokens = pow(compute / 6, a / (a + b)) / g
        tokensPerParameter = tokens / parameters
        loss = law.loss(parameters: parameters, tokens: tokens)
    }
}
