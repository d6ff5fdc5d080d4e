import Foundation

/// What a multilingual fit tells a user: per family, the parameters in their natural form
/// with standard errors (delta method from the log-space covariance: se(E) = E·se(e),
/// likewise A, B; α, β, γ as fitted), which were shared or fixed, the objective and the
/// goodness of fit; and the per-row residual table.
package struct MultilingualReport: Sendable, Codable, Equatable {
    package struct Family: Sendable, Codable, Equatable {
        package var name: String
        package var rows: Int
        package var parameters: [ParameterEstimate]
        /// Parameter names common to all families.
        package var shared: [String]
        /// Parameter names held at given values (standard error 0).
        package var fixed: [String]
        /// Σ Huber_δ(log residual) over the family's rows.
        package var objective: Double
        package var converged: Bool
        package var message: String
        package var starts: Int
        package var startsAtBest: Int
        /// √mean((L̂ − L)²).
        package var rmse: Double
        /// mean |L̂ − L| / L.
        package var meanAbsoluteRelativeError: Double
        /// 1 − SS_res/SS_tot of log L.
        package var rSquaredLog: Double
        /// √mean((log L̂ − log L)²): the noise level the residuals show (≈ relative noise).
        package var logResidualRMS: Double
    }

    package struct Row: Sendable, Codable, Equatable {
        package var line: Int
        package var run: String
        package var family: String
        package var parameters: Double
        package var tokens: Double
        package var ratio: Double
        package var observed: Double
        package var fitted: Double
        package var residual: Double
        package var relativeResidual: Double
    }

    package var law: String
    package var formula: String
    package var objective: String
    package var objectiveValue: Double
    package var rankDeficient: Bool
    package var families: [Family]
    package var rows: [Row]
    /// The data checks' warnings (ratio sums, no run column).
    package var warnings: [String]
    /// What makes the fit unsound, family by family (`FitDiagnostic` descriptions, parameters
    /// named FAMILY.NAME); empty when it is sound.
    package var diagnostics: [String]
    /// AIC, BIC, reduced χ² and the parameters' correlation (`FitStatistics`).
    package var statistics: FitStatistics
    /// The bootstrap over rows within each family, when one was made (intervals named FAMILY.NAME).
    package var bootstrap: Bootstrap? = nil

    package init(fit: MultilingualFit, data: MultilingualData) {
        law = MultilingualLaw.identifier
        formula = MultilingualLaw.formula
        objective = "sum of Huber(delta=\(fit.options.delta)) of log residuals, LSE form, per family"
        objectiveValue = fit.objective
        rankDeficient = fit.rankDeficient
        warnings = data.warnings
        let natural = MultilingualLaw.naturalParameterNames
        let fitted = data.family.indices.map { j in
            fit.law.families[data.family[j]].loss(parameters: data.parameters[j], tokens: data.tokens[j], ratio: data.ratios[j])
        }
        families = fit.law.families.indices.map { f in
            let law = fit.law.families[f]
            let se = fit.standardErrors(f)
            let values = law.naturalParameters
            let scale = [law.E, law.A, law.B, 1, 1, 1]
            let rows = data.rows(of: f)
            let m = Double(rows.count)
            var sse = 0.0, sseLog = 0.0, are = 0.0, meanLog = 0.0
            for j in rows { meanLog += log(data.loss[j]) / m }
            var tssLog = 0.0
            for j in rows {
                let e = fitted[j] - data.loss[j], el = log(fitted[j]) - log(data.loss[j])
                sse += e * e; sseLog += el * el; are += abs(e) / data.loss[j]
                tssLog += (log(data.loss[j]) - meanLog) * (log(data.loss[j]) - meanLog)
            }
            let r = fit.families[f]
            return Family(name: law.name, rows: rows.count,
                          parameters: (0..<6).map { ParameterEstimate(name: natural[$0], estimate: values[$0], standardError: scale[$0] * se[$0]) },
                          shared: fit.options.shared.sorted().map { natural[$0] },
                          fixed: (0..<6).filter { fit.fixed[fit.index[f][$0]] }.map { natural[$0] },
                          objective: r.objective, converged: r.summary.converged, message: r.summary.message,
                          starts: r.starts, startsAtBest: r.startsAtBest, rmse: (sse / m).squareRoot(),
                          meanAbsoluteRelativeError: are / m, rSquaredLog: 1 - sseLog / tssLog,
                          logResidualRMS: (sseLog / m).squareRoot())
        }
        // Each family's six log-space parameters, their block of the covariance and its run.
        var found: [FitDiagnostic] = []
        for f in fit.law.families.indices {
            let family = fit.law.families[f].name
            let theta = (0..<6).map { fit.parameters[fit.index[f][$0]] }
            var block = Matrix(rows: 6, columns: 6)
            for i in 0..<6 { for j in 0..<6 { block[i, j] = fit.covariance[6 * f + i, 6 * f + j] } }
            let se = (0..<6).map { k -> Double in
                let v = block[k, k]
                return v >= 0 ? v.squareRoot() : .nan
            }
            found += FitDiagnostic.diagnose(names: natural.map { "\(family).\($0)" }, parameters: theta, standardErrors: se,
                                            fixed: (0..<6).map { fit.fixed[fit.index[f][$0]] }, bounds: nil,
                                            summary: fit.families[f].summary, rank: 6, freeParameters: 6, goodness: nil,
                                            covariance: block, logScale: [true, true, true, false, false, false])
                .filter { d in !found.contains(d) }
        }
        if fit.rankDeficient { found.append(.recorded("some parameter is not determined by the data (infinite standard error)")) }
        diagnostics = found.map(\.description)
        // The covariance is 6F × 6F in family order (a shared parameter in every family's
        // block): its rows are FAMILY.NAME.
        let names = fit.law.families.flatMap { family in natural.map { "\(family.name).\($0)" } }
        statistics = FitStatistics(residuals: data.family.indices.map { log(fitted[$0]) - log(data.loss[$0]) },
                                   freeParameters: fit.fixed.filter { !$0 }.count, loss: .huber(scale: fit.options.delta),
                                   covariance: fit.covariance, names: names, scale: .log)
        rows = data.family.indices.map { j in
            Row(line: data.lines[j], run: data.runs[j], family: data.familyNames[data.family[j]],
                parameters: data.parameters[j], tokens: data.tokens[j], ratio: data.ratios[j], observed: data.loss[j],
                fitted: fitted[j], residual: fitted[j] - data.loss[j], relativeResidual: (fitted[j] - data.loss[j]) / data.loss[j])
        }
    }
}
