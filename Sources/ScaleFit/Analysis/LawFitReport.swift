import Foundation

/// What a least-squares fit of a power law or Kaplan's law tells a user: the parameters in
/// their natural form with standard errors, the cost reached, goodness of fit, the solver's
/// summary and the per-run residual table.
///
/// Standard errors come from the covariance of the fitted parameters (`ParameterCovariance`,
/// σ̂²·(JᵀJ)⁺ at the optimum); a parameter fitted as a logarithm (a = log A, n_c = log N_c)
/// is reported as its exponential with the delta-method error se(A) = A·se(a).
package struct LawFitReport: Sendable, Codable, Equatable {
    /// A run of the residual table; its inputs are in the order of `inputNames`.
    package typealias Run = ResidualRow

    package var law: String
    package var formula: String
    package var objective: String
    /// The input columns, in the order of each run's `inputs`.
    package var inputNames: [String]
    package var parameters: [ParameterEstimate]
    /// ½·Σρ(rᵢ²) at the optimum, rᵢ the log-loss residuals.
    package var cost: Double
    package var starts: Int
    /// Starts whose run ended within 1e-9 relative of the best cost.
    package var startsAtBest: Int
    package var summary: FitSummary
    /// √mean((L̂ − L)²).
    package var rmse: Double
    /// mean |L̂ − L| / L.
    package var meanAbsoluteRelativeError: Double
    /// 1 − Σ(L̂ − L)² / Σ(L − L̄)².
    package var rSquared: Double
    /// The same in log L.
    package var rSquaredLog: Double
    package var runs: [Run]
    /// What makes the fit unsound (`FitDiagnostic` descriptions); empty when it is sound.
    package var diagnostics: [String]
    /// The bootstrap over runs, when one was made (`Bootstrap`'s intervals and draws).
    package var bootstrap: Bootstrap?
    /// AIC, BIC, reduced χ² and the parameters' correlation (`FitStatistics`).
    package var statistics: FitStatistics

    /// The report of a saturating power law fit on column `xName`.
    package init(power fit: SaturatingPowerLawFit, xName: String, x: [Double], loss: [Double],
                lines: [Int], labels: [String], lossSpec: RobustLoss) throws {
        let cov = try ParameterCovariance(result: fit.multiStart.best)
        let l = fit.law
        let estimates = [ParameterEstimate(name: "E", estimate: l.E, standardError: cov.standardErrors[0]),
                         ParameterEstimate(name: "A", estimate: l.A, standardError: l.A * cov.standardErrors[1]),
                         ParameterEstimate(name: "alpha", estimate: l.alpha, standardError: cov.standardErrors[2])]
        try self.init(law: SaturatingPowerLaw.identifier, formula: SaturatingPowerLaw.formula + ", x = \(xName)",
                      lossSpec: lossSpec, inputNames: [xName], inputs: x.map { [$0] }, loss: loss,
                      fitted: x.map { l.loss(at: $0) }, parameters: estimates, multiStart: fit.multiStart,
                      lines: lines, labels: labels, names: SaturatingPowerLaw.parameterNames, bounds: SaturatingPowerLawFit.bounds,
                      logScale: [false, true, false])
    }

    /// The report of a Kaplan fit.
    package init(kaplan fit: KaplanFit, parameters n: [Double], tokens d: [Double], loss: [Double],
                lines: [Int], labels: [String], lossSpec: RobustLoss) throws {
        let cov = try ParameterCovariance(result: fit.multiStart.best)
        let l = fit.law
        let estimates = [ParameterEstimate(name: "Nc", estimate: l.Nc, standardError: l.Nc * cov.standardErrors[0]),
                         ParameterEstimate(name: "Dc", estimate: l.Dc, standardError: l.Dc * cov.standardErrors[1]),
                         ParameterEstimate(name: "alphaN", estimate: l.alphaN, standardError: cov.standardErrors[2]),
                         ParameterEstimate(name: "alphaD", estimate: l.alphaD, standardError: cov.standardErrors[3])]
        try self.init(law: KaplanLaw.identifier, formula: KaplanLaw.formula, lossSpec: lossSpec,
                      inputNames: ["params", "tokens"], inputs: zip(n, d).map { [$0, $1] }, loss: loss,
                      fitted: zip(n, d).map { l.loss(parameters: $0, tokens: $1) }, parameters: estimates,
                      multiStart: fit.multiStart, lines: lines, labels: labels, names: KaplanLaw.parameterNames,
                      bounds: KaplanFit.bounds, logScale: [true, true, false, false])
    }

    private init(law: String, formula: String, lossSpec: RobustLoss, inputNames: [String], inputs: [[Double]],
                 loss: [Double], fitted: [Double], parameters: [ParameterEstimate], multiStart: MultiStartResult,
                 lines: [Int], labels: [String], names: [String], bounds: ParameterBounds, logScale: [Bool]) throws {
        self.law = law
        self.formula = formula
        objective = lossSpec == .l2 ? "least squares on log residuals log(fitted) - log(observed)"
            : "sum of \(lossSpec.spec) of log residuals log(fitted) - log(observed)"
        self.inputNames = inputNames
        self.parameters = parameters
        cost = multiStart.best.cost
        starts = multiStart.finalCosts.count
        startsAtBest = multiStart.startsAtBest
        summary = multiStart.best.summary
        let goodness = GoodnessOfFit(observed: loss, fitted: fitted)
        rmse = goodness.rmse
        meanAbsoluteRelativeError = goodness.meanAbsoluteRelativeError
        rSquared = goodness.rSquared
        rSquaredLog = goodness.rSquaredLog
        diagnostics = FitDiagnostic.diagnose(multiStart.best, names: names, bounds: bounds, goodness: goodness,
                                             logScale: logScale).map(\.description)
        bootstrap = nil
        statistics = try FitStatistics(result: multiStart.best, names: parameters.map(\.name), scale: .log)
        runs = loss.indices.map { i in
            Run(line: lines[i], label: labels[i], inputs: inputs[i], observed: loss[i], fitted: fitted[i],
                residual: fitted[i] - loss[i], relativeResidual: (fitted[i] - loss[i]) / loss[i])
        }
    }
}
