import Foundation

/// Parameter uncertainty at a least-squares optimum, from the Jacobian there.
///
/// ```
/// unscaled  = (JᵀJ)⁺                      (pseudo-inverse, via the SVD of J)
/// σ̂²        = Σ rᵢ² / (m − p)             (residual variance, p = free parameters)
/// scaled    = σ̂² · unscaled
/// stdErrorⱼ = √scaledⱼⱼ,   correlationᵢⱼ = scaledᵢⱼ / (stdErrorᵢ · stdErrorⱼ)
/// ```
///
/// The SVD (of J with unit-norm columns) never forms JᵀJ, so it keeps the digits that inverting the normal equations
/// would square away; singular values below `rankTolerance`·σ_max count as zero and the
/// fit is flagged rank-deficient (some combination of parameters is not determined by
/// the data, and its variance is reported as infinite rather than as a huge finite number).
/// Fixed parameters get zero variance.
///
/// For a Huber fit (`RobustLoss.huber(scale: δ)`) σ̂² is instead the asymptotic variance of
/// the Huber M-estimator under Gaussian errors (Huber 1981, §7.6):
///
/// ```
/// s²    = Σ rᵢ² / (m − p)                          (the residual variance, as above)
/// k     = δ / s
/// E ψ'  = 2Φ(k) − 1,   E ψ² / s² = 2Φ(k) − 1 − 2k·φ(k) + 2k²·(1 − Φ(k))
/// σ̂²    = s² · (E ψ²/s²) / (E ψ')²
/// ```
///
/// For k → ∞ (δ above all residuals) this is least squares; for k → 0 it is least absolute
/// deviations, whose variance is π/2 times that of least squares. Hoffmann's δ = 1e-3 on
/// log residuals of about 1% is k ≈ 0.1: the least-squares formula would understate the
/// standard errors by about √(π/2) and its 95% intervals cover only about 88%
/// (`ChinchillaCoverageTests`). (A MAD scale is no good here: a near-LAD fit interpolates
/// about p points, so the median residual is biased low.) Other robust losses keep the
/// least-squares formula.
public struct ParameterCovariance: Sendable, Equatable, Codable {
    /// (JᵀJ)⁺ over all parameters (zero rows/columns for fixed ones).
    public var unscaled: Matrix
    /// σ̂²·(JᵀJ)⁺.
    public var scaled: Matrix
    /// σ̂² = Σr²/(m − p); for a Huber loss, the Huber M-estimator's asymptotic variance (see the type).
    public var residualVariance: Double
    /// m − p.
    public var degreesOfFreedom: Int
    /// Numerical rank of J over the free parameters.
    public var rank: Int
    /// Number of free parameters.
    public var freeParameters: Int
    /// √diag(scaled); +∞ for parameters in the null space when rank-deficient.
    public var standardErrors: [Double]

    /// True when J has fewer independent columns than free parameters.
    public var isRankDeficient: Bool { rank < freeParameters }

    /// The correlation matrix (NaN where a standard error is zero or infinite).
    public var correlation: Matrix { Self.correlation(scaled, standardErrors: standardErrors) }

    /// ρᵢⱼ = Σᵢⱼ/(σᵢσⱼ) of a covariance and its standard errors, symmetrised (the mean of Σᵢⱼ
    /// and Σⱼᵢ); NaN where a standard error is zero or infinite (a parameter the data do not
    /// determine has σ = ∞ even where the pseudo-inverse gives Σᵢᵢ a finite value).
    public static func correlation(_ covariance: Matrix, standardErrors: [Double]) -> Matrix {
        let n = covariance.rows
        var c = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n {
                let d = standardErrors[i] * standardErrors[j]
                c[i, j] = d > 0 && d.isFinite ? 0.5 * (covariance[i, j] + covariance[j, i]) / d : .nan
            }
        }
        return c
    }

    /// The covariance at a solver result (raw residuals and Jacobian; for a robust loss
    /// this is the Gauss–Newton covariance of the underlying least-squares model).
    public init(result: SolverResult, rankTolerance: Double = 1e-10) throws {
        try self.init(jacobian: result.jacobian, residuals: result.residuals, fixed: result.fixed,
                      loss: result.loss, rankTolerance: rankTolerance)
    }

    /// The covariance from a Jacobian J (m×n) and residuals r at an optimum: columns with
    /// `fixed[j]` get zero variance, `loss` picks σ̂² (Huber's asymptotic variance for
    /// `.huber`, Σr²/(m − p) otherwise) and singular values below `rankTolerance`·σ_max count
    /// as zero. Throws when `residuals` does not have m entries.
    public init(jacobian: Matrix, residuals: [Double], fixed: [Bool]? = nil, loss: RobustLoss = .l2,
                rankTolerance: Double = 1e-10) throws {
        let n = jacobian.columns, m = jacobian.rows
        guard residuals.count == m else {
            throw ScaleFitError.dimensionMismatch(expected: "\(m) residuals", found: "\(residuals.count)")
        }
        let fixedMask = fixed ?? Array(repeating: false, count: n)
        let free = (0..<n).filter { !fixedMask[$0] }
        let p = free.count
        // Columns are scaled to unit norm first (J = Ĵ·S, (JᵀJ)⁺ = S⁻¹(ĴᵀĴ)⁺S⁻¹), so that
        // parameters of very different sizes (Hahn1: x³ ≈ 7e8 beside 1) neither cost digits
        // nor look rank-deficient.
        var reduced = Matrix(rows: max(m, p), columns: max(p, 1))
        var norms = [Double](repeating: 1, count: max(p, 1))
        for (k, j) in free.enumerated() {
            let c = euclideanNorm(jacobian.column(j))
            norms[k] = c > 0 && c.isFinite ? c : 1
            for i in 0..<m { reduced[i, k] = jacobian[i, j] / norms[k] }
        }
        var rss = 0.0
        for r in residuals { rss += r * r }
        degreesOfFreedom = m - p
        residualVariance = degreesOfFreedom > 0 ? rss / Double(degreesOfFreedom) : .nan
        if case let .huber(delta) = loss, degreesOfFreedom > 0,
           let huber = Self.huberVariance(residuals: residuals, delta: delta, degreesOfFreedom: degreesOfFreedom) {
            residualVariance = huber
        }
        freeParameters = p
        unscaled = Matrix(rows: n, columns: n)
        scaled = Matrix(rows: n, columns: n)
        standardErrors = Array(repeating: 0, count: n)
        guard p > 0 else { rank = 0; return }
        let svd = try SingularValueDecomposition(reduced)
        rank = min(svd.rank(relativeTolerance: rankTolerance), p)
        let inv = svd.inverseGram(relativeTolerance: rankTolerance)
        for (a, i) in free.enumerated() {
            for (b, j) in free.enumerated() {
                let v = inv[a, b] / (norms[a] * norms[b])
                unscaled[i, j] = v
                scaled[i, j] = v * residualVariance
            }
        }
        // A parameter with a component in the null space is not determined by the data.
        let top = svd.singularValues.first ?? 0
        for (a, i) in free.enumerated() {
            var undetermined = false
            for k in 0..<p where !(svd.singularValues[k] > rankTolerance * top && svd.singularValues[k] > 0) {
                if abs(svd.rightVectors[a, k]) > 1e-8 { undetermined = true }
            }
            standardErrors[i] = undetermined ? .infinity : scaled[i, i].squareRoot()
        }
    }

    /// σ̂² of a Huber(δ) fit (see the type's documentation), or nil when the residual
    /// variance is zero (an exact fit: the least-squares formula applies).
    static func huberVariance(residuals r: [Double], delta: Double, degreesOfFreedom: Int) -> Double? {
        guard !r.isEmpty, delta > 0, degreesOfFreedom > 0 else { return nil }
        var rss = 0.0
        for v in r { rss += v * v }
        let s2 = rss / Double(degreesOfFreedom)
        guard s2 > 0, s2.isFinite else { return nil }
        let k = delta / s2.squareRoot()
        let cdf = 0.5 * erfc(-k / 2.0.squareRoot())               // Φ(k)
        let pdf = exp(-0.5 * k * k) / (2 * Double.pi).squareRoot()  // φ(k)
        let slope = 2 * cdf - 1                                    // E ψ'
        let tail = 2 * k * k * (1 - cdf)
        let spread = slope - 2 * k * pdf + tail                    // E ψ² / s²
        guard slope > 0 else { return nil }
        return s2 * spread / (slope * slope)
    }
}
