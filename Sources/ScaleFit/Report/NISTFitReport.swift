/// What `scalefit fit` reports for a NIST StRD-format problem: the estimates with their
/// standard errors, goodness of fit, the solver summary and the residual table.
package struct NISTFitReport: Sendable, Codable, Equatable {
    package struct ResidualRow: Sendable, Codable, Equatable {
        package var row: Int
        package var inputs: [Double]
        package var observed: Double
        package var fitted: Double
        package var residual: Double
    }

    package var problem: String
    package var modelText: String
    package var start: Int
    package var parameters: [ParameterEstimate]
    package var observations: Int
    package var degreesOfFreedom: Int
    package var residualSumOfSquares: Double
    package var residualStandardDeviation: Double
    /// 1 − RSS/TSS of the response.
    package var rSquared: Double
    package var rankDeficient: Bool
    /// What makes the fit unsound (`FitDiagnostic` descriptions); empty when it is sound.
    package var diagnostics: [String]
    package var summary: FitSummary
    package var residualTable: [ResidualRow]
    /// AIC, BIC, reduced χ² and the parameters' correlation (`FitStatistics`).
    package var statistics: FitStatistics

    /// Builds the report from a dataset and the solver's result on it. `start` is 1-based.
    package init(dataset: NISTDataset, result: SolverResult, start: Int) throws {
        let cov = try ParameterCovariance(result: result)
        statistics = try FitStatistics(result: result, names: result.parameters.indices.map { "b\($0 + 1)" }, scale: .linear)
        problem = dataset.name
        modelText = dataset.modelText
        self.start = start
        parameters = result.parameters.indices.map {
            ParameterEstimate(name: "b\($0 + 1)", estimate: result.parameters[$0], standardError: cov.standardErrors[$0])
        }
        let m = result.residuals.count
        observations = m
        degreesOfFreedom = cov.degreesOfFreedom
        var rss = 0.0
        for r in result.residuals { rss += r * r }
        residualSumOfSquares = rss
        residualStandardDeviation = cov.degreesOfFreedom > 0 ? (rss / Double(cov.degreesOfFreedom)).squareRoot() : .nan
        // The residual is f − target, so the fitted value is target + residual (Nelson's
        // target is log y; its residual table shows log y).
        let targets: [Double] = dataset.name == "Nelson" ? dataset.response.map { log($0) } : dataset.response
        let mean = targets.reduce(0, +) / Double(max(m, 1))
        var tss = 0.0
        for t in targets { tss += (t - mean) * (t - mean) }
        rSquared = tss > 0 ? 1 - rss / tss : .nan
        rankDeficient = cov.isRankDeficient
        diagnostics = FitDiagnostic.diagnose(result, names: result.parameters.indices.map { "b\($0 + 1)" }, bounds: nil,
                                             goodness: nil).map(\.description)
        summary = result.summary
        residualTable = (0..<m).map { i in
            ResidualRow(row: i + 1, inputs: dataset.predictors.map { $0[i] }, observed: targets[i],
                        fitted: targets[i] + result.residuals[i], residual: result.residuals[i])
        }
    }
}

import Foundation
