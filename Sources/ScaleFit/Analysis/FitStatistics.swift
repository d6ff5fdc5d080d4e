import Foundation

/// What a fit's residuals and covariance say beside its goodness of fit: the information
/// criteria and reduced χ² of a least-squares fit, and the correlation of its parameters.
///
/// With n residuals rᵢ on the scale the fit minimised (log ŷ − log y for the built-in laws,
/// ŷ − y for formulas and NIST models), k free parameters (fixed ones excluded) and
/// RSS = Σ rᵢ², as lmfit computes them for unit-weight least squares:
///
/// ```
/// reduced χ²   RSS / (n − k)                 (the residual variance s²; needs n > k)
/// AIC          n·ln(RSS/n) + 2k
/// BIC          n·ln(RSS/n) + k·ln n
/// ```
///
/// AIC and BIC are the Gaussian log-likelihood at its maximum, up to a constant that is the
/// same for every law fitted to the same points, so they compare laws (or options) fitted
/// to **the same data on the same scale**: the lower is preferred, and differences below
/// about 2 do not discriminate. They are defined for least squares only: for a robust loss
/// (Huber) the fitted parameters are not the Gaussian maximum-likelihood estimate, and
/// `aic`, `bic` are nil with `note` saying so (reduced χ² is still the residual variance).
///
/// The correlation is ρᵢⱼ = Σᵢⱼ/(σᵢσⱼ) of the fitted parameters θ (NaN where a standard
/// error is 0 or infinite). It is invariant to the log/exp reparametrisation of the
/// reported parameters to first order, so it is also the correlation of E, A, B, … as
/// reported. |ρ| near 1 marks a pair the data trade off.
public struct FitStatistics: Sendable, Equatable, Codable {
    /// n, the residuals fitted.
    public var points: Int
    /// k, the parameters fitted (fixed ones excluded).
    public var freeParameters: Int
    /// Σ rᵢ² on the fitted scale.
    public var residualSumOfSquares: Double
    /// RSS/(n − k); nil when n ≤ k.
    public var reducedChiSquare: Double?
    /// n·ln(RSS/n) + 2k; nil for a robust loss or RSS = 0.
    public var aic: Double?
    /// n·ln(RSS/n) + k·ln n; nil for a robust loss or RSS = 0.
    public var bic: Double?
    /// The scale of the residuals: `log` (log ŷ − log y) or `linear` (ŷ − y).
    public var scale: LawValue.Scale
    /// Why AIC and BIC are absent, when they are.
    public var note: String?
    /// The names of θ, which label `correlation`'s rows and columns.
    public var parameterNames: [String]
    /// ρ of θ, row by row.
    public var correlation: [[Double]]

    /// The statistics of a solver run: its residuals, its free parameters and loss, and the
    /// correlation from its covariance.
    public init(result: SolverResult, names: [String], scale: LawValue.Scale) throws {
        let cov = try ParameterCovariance(result: result)
        self.init(residuals: result.residuals, freeParameters: cov.freeParameters, loss: result.loss,
                  covariance: cov.scaled, standardErrors: cov.standardErrors, names: names, scale: scale)
    }

    /// The statistics of residuals `r` from a fit with `freeParameters` parameters that
    /// minimised `loss`, with the parameters' `covariance` and standard errors (by default
    /// √Σᵢᵢ; give `ParameterCovariance.standardErrors` so that an undetermined parameter's
    /// correlations are NaN, as its standard error is ∞).
    public init(residuals r: [Double], freeParameters k: Int, loss: RobustLoss, covariance: Matrix,
                standardErrors: [Double]? = nil, names: [String], scale: LawValue.Scale) {
        let n = r.count
        let rss = r.reduce(0) { $0 + $1 * $1 }
        points = n
        freeParameters = k
        residualSumOfSquares = rss
        reducedChiSquare = n > k ? rss / Double(n - k) : nil
        self.scale = scale
        parameterNames = names
        let se = standardErrors ?? (0..<covariance.rows).map { covariance[$0, $0].squareRoot() }
        let rho = ParameterCovariance.correlation(covariance, standardErrors: se)
        correlation = (0..<rho.rows).map { i in (0..<rho.columns).map { rho[i, $0] } }
        if loss != .l2 {
            aic = nil; bic = nil
            note = "least squares only; this fit minimised \(loss.spec)"
        } else if !(rss > 0) || n == 0 {
            aic = nil; bic = nil
            note = "AIC and BIC need a nonzero residual sum of squares"
        } else {
            let logLikelihoodTerm = Double(n) * log(rss / Double(n))
            aic = logLikelihoodTerm + 2 * Double(k)
            bic = logLikelihoodTerm + Double(k) * log(Double(n))
            note = nil
        }
    }
}
