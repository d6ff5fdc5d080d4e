import Foundation

/// What a formula fit tells a user: the parameters with standard errors, the goodness of
/// fit, the solver's summary and the per-row residual table.
///
/// ```
/// residual     rᵢ = ŷᵢ − yᵢ                 (fitted minus observed)
/// RSS          Σ rᵢ²
/// RMSE         √(RSS / m)
/// R²           1 − RSS / Σ(yᵢ − ȳ)²
/// rel. error   mean |rᵢ| / |yᵢ|              (over rows with yᵢ ≠ 0)
/// ```
package struct FormulaFitReport: Sendable, Codable, Equatable {
    /// A row of the residual table; its inputs are the variables' values, in `variables` order.
    package typealias Row = ResidualRow

    /// The formula in canonical form.
    package var formula: String
    package var variables: [String]
    /// The loss as a spec string (`l2`, `huber:0.01`, …).
    package var loss: String
    package var parameters: [ParameterEstimate]
    package var summary: FitSummary
    package var starts: Int
    /// Starts that reached the best cost (within 1e-9 relative).
    package var startsAtBest: Int
    package var observations: Int
    package var degreesOfFreedom: Int
    /// Numerical rank of the Jacobian at the optimum; below `parameters.count` some
    /// combination of parameters is not determined by the data.
    package var rank: Int
    package var residualSumOfSquares: Double
    package var rmse: Double
    package var rSquared: Double
    package var meanAbsoluteRelativeError: Double
    package var rows: [Row]

    /// What makes the fit unsound (`FitDiagnostic` descriptions); empty when it is sound.
    package var diagnostics: [String]
    /// AIC, BIC, reduced χ² and the parameters' correlation (`FitStatistics`).
    package var statistics: FitStatistics
    /// The bootstrap over rows, when one was made (`Bootstrap`'s intervals and draws).
    package var bootstrap: Bootstrap?

    /// The report of `fit`, made to `data` (its rows, lines and labels), with the fit's bootstrap.
    /// - Throws: `invalidData` for a fit read from a file (it keeps no solver summary or
    ///   Jacobian rank to report).
    package init(fit: Fit<FormulaLaw>, data: FormulaData) throws {
        guard let summary = fit.summary, let rank = fit.rank, let dof = fit.degreesOfFreedom else {
            throw ScaleFitError.invalidData(file: fit.data.file, reason: "a formula report needs the fit itself, not one read from a fit file")
        }
        let m = data.observed.count
        let residuals = try fit.law.residuals(data, parameters: fit.parameters)
        formula = fit.law.formula
        variables = fit.law.model.variableNames
        loss = fit.law.loss.spec
        parameters = fit.estimates
        self.summary = summary
        diagnostics = fit.diagnostics.map(\.description)
        starts = fit.search.startsTried
        startsAtBest = fit.search.startsAtBest
        observations = m
        degreesOfFreedom = dof
        self.rank = rank
        let mean = data.observed.reduce(0, +) / Double(max(m, 1))
        var rss = 0.0, tss = 0.0, relative = 0.0, relativeCount = 0
        rows = []
        for i in 0..<m {
            let y = data.observed[i], r = residuals[i]
            rss += r * r
            tss += (y - mean) * (y - mean)
            if y != 0 { relative += abs(r) / abs(y); relativeCount += 1 }
            rows.append(Row(line: data.lines[i], label: data.labels[i], inputs: data.inputs.map { $0[i] }, observed: y,
                            fitted: y + r, residual: r, relativeResidual: y != 0 ? r / abs(y) : .nan))
        }
        residualSumOfSquares = rss
        rmse = (rss / Double(max(m, 1))).squareRoot()
        rSquared = 1 - rss / tss
        meanAbsoluteRelativeError = relativeCount > 0 ? relative / Double(relativeCount) : .nan
        bootstrap = fit.bootstrap
        let free = m - dof
        statistics = fit.statistics
            ?? FitStatistics(residuals: residuals, freeParameters: free, loss: fit.law.loss, covariance: fit.covariance,
                             standardErrors: fit.standardErrors, names: fit.parameterNames, scale: .linear)
    }
}
