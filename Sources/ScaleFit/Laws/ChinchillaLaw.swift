import Foundation

/// Chinchilla's parametric loss (Hoffmann et al. 2022, approach 3):
///
/// ```
/// L(N, D) = E + A/N^α + B/D^β
/// ```
///
/// fitted as Hoffmann et al. did: in log space, with a = log A, b = log B, e = log E,
///
/// ```
/// rᵢ = LSE(a − α·log Nᵢ, b − β·log Dᵢ, e) − log Lᵢ,     minimise Σ Huber_δ(rᵢ), δ = 1e-3
/// ```
///
/// over a grid of 4500 starts (α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1},
/// a, b ∈ {0, 5, …, 25}). The fitted parameter vector is (e, a, b, α, β); `E`, `A`, `B` are
/// their exponentials.
public struct ChinchillaLaw: Law, Equatable {
    /// "chinchilla", the name `--law` takes and fit files keep.
    public static let identifier = "chinchilla"
    /// Hoffmann et al. 2022, approach 3, with the fitting choices that define it.
    public static let reference = "Hoffmann et al. 2022, approach 3 (Huber 1e-3 on log residuals, 4500 starts)"
    /// L(N, D) = E + A/N^α + B/D^β, in ASCII.
    public static let formula = "L(N, D) = E + A/N^alpha + B/D^beta"
    /// The order of the fitted (log-space) parameters.
    public static let parameterNames = ["e", "a", "b", "alpha", "beta"]

    /// The objective on the log residuals: Hoffmann's Huber δ = 1e-3 by default.
    public var loss: RobustLoss
    /// The screening runs' evaluation budget and how many distinct ends are polished
    /// (12 and 8 find the minimum a full run from all 4500 starts finds, at a fraction of
    /// the cost: `ChinchillaLawTests`).
    public var screeningEvaluations: Int
    /// How many distinct screening end points are run to convergence (8 by default).
    public var polishCount: Int
    /// The starting grid (Hoffmann's unless replaced).
    public var grid: [[Double]]

    /// The law with Hoffmann's choices by default: Huber δ = 1e-3 on log residuals, the
    /// 4500-start grid, screening runs of 12 evaluations and 8 polished ends.
    public init(loss: RobustLoss = .huber(scale: 1e-3), grid: [[Double]] = ChinchillaLaw.hoffmannGrid,
                screeningEvaluations: Int = 12, polishCount: Int = 8) {
        self.loss = loss
        self.grid = grid
        self.screeningEvaluations = screeningEvaluations
        self.polishCount = polishCount
    }

    /// E, A, B, α, β: a point of the law.
    public struct Parameters: Sendable, Equatable, Codable {
        /// The irreducible loss E, the coefficients A and B, and the exponents α of N and β of D,
        /// on the natural scale (not the fitted logs).
        public var E: Double, A: Double, B: Double, alpha: Double, beta: Double

        /// The point (E, A, B, α, β) of L(N, D) = E + A/N^α + B/D^β.
        public init(E: Double, A: Double, B: Double, alpha: Double, beta: Double) {
            self.E = E; self.A = A; self.B = B; self.alpha = alpha; self.beta = beta
        }

        /// From the fitted vector (e, a, b, α, β).
        public init(logParameters p: [Double]) {
            self.init(E: exp(p[0]), A: exp(p[1]), B: exp(p[2]), alpha: p[3], beta: p[4])
        }

        /// (e, a, b, α, β).
        public var logParameters: [Double] { [log(E), log(A), log(B), alpha, beta] }

        /// L(N, D).
        public func loss(parameters n: Double, tokens d: Double) -> Double {
            E + A / pow(n, alpha) + B / pow(d, beta)
        }
    }

    /// Hoffmann et al.'s grid of 4500 starts in (e, a, b, α, β).
    public static var hoffmannGrid: [[Double]] {
        let alphas = stride(from: 0.0, through: 2.0, by: 0.5).map { $0 }
        let es = stride(from: -1.0, through: 1.0, by: 0.5).map { $0 }
        let abs = stride(from: 0.0, through: 25.0, by: 5.0).map { $0 }
        return StartGrid.cartesian([es, abs, abs, alphas, alphas])
    }

    // MARK: Law

    /// `Self.formula`: L(N, D) = E + A/N^alpha + B/D^beta.
    public var formula: String { Self.formula }
    /// (e, a, b, alpha, beta): θ is fitted in log space for E, A and B.
    public var parameterNames: [String] { Self.parameterNames }
    /// E, A and B as the exponentials of θ's e, a and b; α and β as they are.
    public var reportedParameters: [(name: String, exponentiated: Bool)] {
        [("E", true), ("A", true), ("B", true), ("alpha", false), ("beta", false)]
    }
    /// None: the loss is kept in the fit file's `loss` field.
    public var settings: [String: String] { [:] }

    /// The law with the fit file's loss (its `loss` field); every other option keeps its default.
    public init(fitFile: FitFile, source: String) throws {
        self.init(loss: try RobustLoss(spec: fitFile.loss, flag: "\(source): loss"))
    }

    /// The runs' N, D and final loss from `table` (`ModelRuns(table:options:)`).
    public func observations(from table: RunTable, options: TableOptions) throws -> ModelRuns {
        try ModelRuns(table: table, options: options)
    }

    /// The log-space Hoffmann problem on the runs: rᵢ = LSE(a − α·log Nᵢ, b − β·log Dᵢ, e) − log Lᵢ.
    public func problem(for data: ModelRuns) throws -> ChinchillaLogProblem {
        ChinchillaLogProblem(parameters: data.N, tokens: data.D, loss: data.loss)
    }

    /// The screening runs' problem: at most `ChinchillaLogProblem.screeningRuns` runs,
    /// evenly spaced through the data.
    public func screeningProblem(for data: ModelRuns) throws -> ChinchillaLogProblem {
        try problem(for: data).screeningSubsample()
    }

    /// The starting `grid` (Hoffmann's 4500 starts unless replaced), whatever the data.
    public func starts(for data: ModelRuns) -> [[Double]] { grid }
    /// None: θ is unbounded (the log-space form keeps E, A, B positive).
    public func bounds(for data: ModelRuns) -> ParameterBounds? { nil }

    /// The screened search: `screeningEvaluations`-evaluation runs from every start, then the
    /// best `polishCount` distinct ends (tolerance 1e-6) polished with `loss`.
    public var search: LawSearch {
        .screened(screeningEvaluations: screeningEvaluations, screeningFunctionTolerance: nil,
                  selection: .bestDistinct(count: polishCount, tolerance: 1e-6), options: SolverOptions(loss: loss))
    }

    /// L̂ᵢ = exp(LSE(a − α·log Nᵢ, b − β·log Dᵢ, e)) at each run's N and D.
    public func fitted(_ data: ModelRuns, parameters p: [Double]) -> [Double] {
        zip(data.N, data.D).map { exp(ChinchillaLogProblem.logLoss(p, logN: log($0), logD: log($1)).value) }
    }

    /// L(N, D) and ∂log L/∂θ: the softmax weights of the log-sum-exp form,
    /// (w₃, w₁, w₂, −w₁·log N, −w₂·log D).
    public func evaluate(_ query: [ModelSize], parameters p: [Double]) throws -> [LawValue] {
        try query.map { q in
            guard q.N > 0, q.D > 0, q.N.isFinite, q.D.isFinite else {
                throw ScaleFitError.invalidData(file: "query", reason: "N = \(q.N), D = \(q.D): Chinchilla's law needs positive, finite N and D")
            }
            let ln = log(q.N), ld = log(q.D)
            let (logL, w1, w2, w3) = ChinchillaLogProblem.logLoss(p, logN: ln, logD: ld)
            return LawValue(value: exp(logL), logGradient: [w3, w1, w2, -w1 * ln, -w2 * ld])
        }
    }
}

/// The Hoffmann objective's residuals rᵢ = LSE(a − α·log Nᵢ, b − β·log Dᵢ, e) − log Lᵢ
/// and their Jacobian: with softmax weights wₖ of the three terms,
/// ∂r/∂e = w₃, ∂r/∂a = w₁, ∂r/∂b = w₂, ∂r/∂α = −w₁·log N, ∂r/∂β = −w₂·log D.
public struct ChinchillaLogProblem: LeastSquaresProblem {
    /// log Nᵢ of each run.
    public let logN: [Double]
    /// log Dᵢ of each run.
    public let logD: [Double]
    /// log Lᵢ, the observed final losses' logs.
    public let logLoss: [Double]

    /// The problem on runs of model size `n`, tokens `d` and final loss `loss` (all positive,
    /// stored as logs); traps unless the three have the same length.
    public init(parameters n: [Double], tokens d: [Double], loss: [Double]) {
        precondition(n.count == d.count && d.count == loss.count, "columns must have equal lengths")
        logN = n.map { log($0) }
        logD = d.map { log($0) }
        logLoss = loss.map { log($0) }
    }

    /// 5: θ = (e, a, b, α, β).
    public var parameterCount: Int { 5 }
    /// One residual per run.
    public var residualCount: Int { logLoss.count }

    /// eˣ, with 0 below −746 where eˣ underflows to 0 anyway: the same value, without libm's
    /// slow underflow path (far-off grid starts put terms thousands of e-folds apart).
    @inline(__always)
    static func expNonPositive(_ x: Double) -> Double { x < -746 ? 0 : exp(x) }

    /// log L(N, D) = LSE(a − α·log N, b − β·log D, e) at the log-space parameters
    /// p = (e, a, b, α, β), with the softmax weights (w₁, w₂, w₃) of the three terms — the
    /// derivatives of log L by a, b and e. The Jacobian and the fit file's predictions share it.
    @inline(__always)
    public static func logLoss(_ p: [Double], logN: Double, logD: Double)
        -> (value: Double, w1: Double, w2: Double, w3: Double) {
        let t1 = p[1] - p[3] * logN, t2 = p[2] - p[4] * logD, t3 = p[0]
        let mx = max(t1, t2, t3)
        let e1 = expNonPositive(t1 - mx), e2 = expNonPositive(t2 - mx), e3 = expNonPositive(t3 - mx)
        let sum = e1 + e2 + e3
        let inv = 1 / sum
        return (mx + log(sum), e1 * inv, e2 * inv, e3 * inv)
    }

    // Both loops below run over unsafe buffers with the parameters in locals: the solver
    // calls them tens of thousands of times per grid fit, on a few hundred rows each.

    /// rᵢ = LSE(a − α·log Nᵢ, b − β·log Dᵢ, e) − log Lᵢ at p = (e, a, b, α, β).
    public func residuals(at p: [Double], into r: inout [Double]) {
        let e = p[0], a = p[1], b = p[2], alpha = p[3], beta = p[4]
        logN.withUnsafeBufferPointer { ln in logD.withUnsafeBufferPointer { ld in
            logLoss.withUnsafeBufferPointer { ll in r.withUnsafeMutableBufferPointer { out in
                for i in 0..<ll.count {
                    let t1 = a - alpha * ln[i], t2 = b - beta * ld[i]
                    // LSE = max + log1p(Σ exp(others − max)): two exps, the max term's is 1.
                    let hi = max(t1, t2, e), lo = min(t1, t2, e)
                    let mid = t1 >= t2 ? (t2 >= e ? t2 : min(t1, e)) : (t1 >= e ? t1 : min(t2, e))
                    out[i] = hi + log1p(Self.expNonPositive(lo - hi) + Self.expNonPositive(mid - hi)) - ll[i]
                }
            } }
        } }
    }

    /// The m×5 Jacobian in columns (e, a, b, α, β): w₃, w₁, w₂, −w₁·log Nᵢ, −w₂·log Dᵢ,
    /// with wₖ the softmax weights of the three terms at row i.
    public func jacobian(at p: [Double], into j: inout Matrix) {
        let e = p[0], a = p[1], b = p[2], alpha = p[3], beta = p[4]
        let m = logLoss.count
        logN.withUnsafeBufferPointer { ln in logD.withUnsafeBufferPointer { ld in
            j.storage.withUnsafeMutableBufferPointer { s in
                for i in 0..<m {
                    let t1 = a - alpha * ln[i], t2 = b - beta * ld[i]
                    let mx = max(t1, t2, e)
                    let e1 = Self.expNonPositive(t1 - mx), e2 = Self.expNonPositive(t2 - mx)
                    let e3 = Self.expNonPositive(e - mx)
                    let inv = 1 / (e1 + e2 + e3)
                    let w1 = e1 * inv, w2 = e2 * inv
                    s[i] = e3 * inv
                    s[i + m] = w1
                    s[i + 2 * m] = w2
                    s[i + 3 * m] = -w1 * ln[i]
                    s[i + 4 * m] = -w2 * ld[i]
                }
            }
        } }
    }

    /// Σ Huber_δ(rᵢ) at `p`: the objective Hoffmann et al. and Epoch AI report.
    public func huberObjective(at p: [Double], delta: Double = 1e-3) -> Double {
        var r = [Double](repeating: 0, count: residualCount)
        residuals(at: p, into: &r)
        return r.reduce(0) { acc, v in acc + (abs(v) <= delta ? 0.5 * v * v : delta * (abs(v) - 0.5 * delta)) }
    }
}
