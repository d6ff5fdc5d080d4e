import Foundation

/// Kaplan et al. (2020), eq. 1.5: loss as a function of parameters N and tokens D,
///
/// ```
/// L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D
/// ```
///
/// fitted on log L with n_c = log N_c and d_c = log D_c as parameters, so the fit is
/// scale-free (N_c ≈ 1e13 becomes n_c ≈ 30). With u = (α_N/α_D)·(n_c − log N) and
/// v = d_c − log D,
///
/// ```
/// rᵢ = α_D·LSE(uᵢ, vᵢ) − log Lᵢ,      LSE(u, v) = log(eᵘ + eᵛ)
/// ```
///
/// The fitted vector is (n_c, d_c, α_N, α_D).
public struct KaplanLaw: Law, Equatable {
    /// "kaplan", the name `--law` takes and fit files keep.
    public static let identifier = "kaplan"
    /// Kaplan et al. 2020, eq. 1.5, the joint law in N and D.
    public static let reference = "Kaplan et al. 2020, eq. 1.5"
    /// L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D, in ASCII.
    public static let formula = "L(N, D) = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD"
    /// The order of the fitted parameters.
    public static let parameterNames = ["nc", "dc", "alphaN", "alphaD"]

    /// The objective on the log residuals (least squares by default).
    public var loss: RobustLoss

    /// The law with `loss` on the log residuals (least squares by default).
    public init(loss: RobustLoss = .l2) { self.loss = loss }

    /// N_c, D_c, α_N, α_D: a point of the law.
    public struct Parameters: Sendable, Equatable, Codable {
        /// The critical sizes N_c (parameters) and D_c (tokens) and the exponents α_N and α_D,
        /// on the natural scale (not the fitted logs).
        public var Nc: Double, Dc: Double, alphaN: Double, alphaD: Double

        /// The point (N_c, D_c, α_N, α_D) of L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D.
        public init(Nc: Double, Dc: Double, alphaN: Double, alphaD: Double) {
            self.Nc = Nc; self.Dc = Dc; self.alphaN = alphaN; self.alphaD = alphaD
        }

        /// From the fitted vector (n_c, d_c, α_N, α_D).
        public init(fittedParameters p: [Double]) {
            self.init(Nc: exp(p[0]), Dc: exp(p[1]), alphaN: p[2], alphaD: p[3])
        }

        /// (n_c, d_c, α_N, α_D).
        public var fittedParameters: [Double] { [log(Nc), log(Dc), alphaN, alphaD] }

        /// L(N, D).
        public func loss(parameters n: Double, tokens d: Double) -> Double {
            pow(pow(Nc / n, alphaN / alphaD) + Dc / d, alphaD)
        }

        /// Kaplan et al.'s published fit of eq. 1.5 (Table 2): N_c = 6.4e13, D_c = 1.8e13,
        /// α_N = 0.076, α_D = 0.103 (loss in nats, N without embeddings, D in tokens). Not to be
        /// confused with the single-variable laws' constants, eq. 1.1 L(N) = (N_c/N)^α_N with
        /// N_c = 8.8e13, α_N = 0.076 and eq. 1.2 L(D) = (D_c/D)^α_D with D_c = 5.4e13,
        /// α_D = 0.095: the joint fit of eq. 1.5 has its own.
        public static let published = Parameters(Nc: 6.4e13, Dc: 1.8e13, alphaN: 0.076, alphaD: 0.103)
    }

    // MARK: Law

    /// `Self.formula`: L(N, D) = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD.
    public var formula: String { Self.formula }
    /// (nc, dc, alphaN, alphaD): θ holds n_c = log N_c and d_c = log D_c.
    public var parameterNames: [String] { Self.parameterNames }
    /// N_c and D_c as the exponentials of θ's n_c and d_c; α_N and α_D as they are.
    public var reportedParameters: [(name: String, exponentiated: Bool)] {
        [("Nc", true), ("Dc", true), ("alphaN", false), ("alphaD", false)]
    }
    /// None: the loss is kept in the fit file's `loss` field.
    public var settings: [String: String] { [:] }

    /// The law with the fit file's loss (its `loss` field).
    public init(fitFile: FitFile, source: String) throws {
        self.init(loss: try RobustLoss(spec: fitFile.loss, flag: "\(source): loss"))
    }

    /// The runs' N, D and final loss from `table`; throws `invalidData` with fewer than 5
    /// usable runs (4 parameters and at least one residual to spare).
    public func observations(from table: RunTable, options: TableOptions) throws -> ModelRuns {
        let runs = try ModelRuns(table: table, options: options)
        guard runs.loss.count >= 5 else {
            throw ScaleFitError.invalidData(file: runs.file, reason: "Kaplan's law has 4 parameters; \(runs.loss.count) usable runs cannot determine them with any residual left")
        }
        return runs
    }

    /// The log-space problem on the runs: rᵢ = α_D·LSE(uᵢ, vᵢ) − log Lᵢ.
    public func problem(for data: ModelRuns) throws -> KaplanLogProblem {
        KaplanLogProblem(parameters: data.N, tokens: data.D, loss: data.loss)
    }

    /// `startingGrid` placed on the runs' largest N and D: 256 starts.
    public func starts(for data: ModelRuns) -> [[Double]] {
        Self.startingGrid(parameters: data.N, tokens: data.D)
    }

    /// α_N ≥ 0, α_D ≥ 1e-3 (α_D divides); n_c, d_c free.
    public static let bounds = ParameterBounds(lower: [-.infinity, -.infinity, 0, 1e-3],
                                               upper: [.infinity, .infinity, .infinity, .infinity])
    /// `bounds`: α_N ≥ 0, α_D ≥ 1e-3 (α_D divides); n_c, d_c free.
    public func bounds(for data: ModelRuns) -> ParameterBounds? { Self.bounds }
    /// Every start of the 256-point grid run to convergence with `loss`.
    public var search: LawSearch { .everyStart(options: SolverOptions(loss: loss)) }

    /// L̂ᵢ = [(N_c/Nᵢ)^(α_N/α_D) + D_c/Dᵢ]^α_D at each run's N and D.
    public func fitted(_ data: ModelRuns, parameters p: [Double]) -> [Double] {
        let law = Parameters(fittedParameters: p)
        return zip(data.N, data.D).map { law.loss(parameters: $0, tokens: $1) }
    }

    /// L(N, D) and ∂log L/∂θ: the Jacobian row of the log residual at L = 1.
    public func evaluate(_ query: [ModelSize], parameters p: [Double]) throws -> [LawValue] {
        for q in query where !(q.N > 0 && q.D > 0 && q.N.isFinite && q.D.isFinite) {
            throw ScaleFitError.invalidData(file: "query", reason: "N = \(q.N), D = \(q.D): Kaplan's law needs positive, finite N and D")
        }
        return logValues(of: KaplanLogProblem(parameters: query.map(\.N), tokens: query.map(\.D),
                                              loss: query.map { _ in 1 }), at: p)
    }

    /// The exponents of the starting grid (both α_N and α_D).
    public static let gridAlphas: [Double] = [0.05, 0.1, 0.2, 0.4]
    /// The offsets of the starting grid for n_c and d_c above log max N and log max D.
    public static let gridLogOffsets: [Double] = [0, 5, 10, 15]

    /// The starting grid, scale-free because it is placed relative to the data:
    /// n_c = log max N + o, d_c = log max D + o for o in `gridLogOffsets` (Kaplan's N_c and
    /// D_c sit 3–12 e-folds above the largest runs), α_N, α_D in `gridAlphas`.
    /// 256 starts in (n_c, d_c, α_N, α_D), the first varying slowest.
    public static func startingGrid(parameters n: [Double], tokens d: [Double]) -> [[Double]] {
        let ln = log(n.max() ?? 1), ld = log(d.max() ?? 1)
        return StartGrid.cartesian([gridLogOffsets.map { ln + $0 }, gridLogOffsets.map { ld + $0 },
                                    gridAlphas, gridAlphas])
    }
}

/// The residuals rᵢ = α_D·LSE(uᵢ, vᵢ) − log Lᵢ and their Jacobian: with softmax weights
/// w_u = eᵘ/(eᵘ + eᵛ), w_v = 1 − w_u,
///
/// ```
/// ∂r/∂n_c = α_N·w_u
/// ∂r/∂d_c = α_D·w_v
/// ∂r/∂α_N = w_u·(n_c − log N)
/// ∂r/∂α_D = LSE(u, v) − w_u·u
/// ```
public struct KaplanLogProblem: LeastSquaresProblem {
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

    /// 4: θ = (n_c, d_c, α_N, α_D).
    public var parameterCount: Int { 4 }
    /// One residual per run.
    public var residualCount: Int { logLoss.count }

    /// (u, v, LSE(u, v), w_u) for row i.
    @inline(__always)
    private func terms(_ p: [Double], _ i: Int) -> (u: Double, lse: Double, wu: Double) {
        let u = p[2] / p[3] * (p[0] - logN[i])
        let v = p[1] - logD[i]
        // Stable LSE and weight: only exp of a non-positive number.
        let m = max(u, v)
        let eu = exp(u - m), ev = exp(v - m)
        let s = eu + ev
        return (u, m + log(s), eu / s)
    }

    /// rᵢ = α_D·LSE(uᵢ, vᵢ) − log Lᵢ at p = (n_c, d_c, α_N, α_D).
    public func residuals(at p: [Double], into r: inout [Double]) {
        for i in 0..<logLoss.count {
            r[i] = p[3] * terms(p, i).lse - logLoss[i]
        }
    }

    /// The m×4 Jacobian in columns (n_c, d_c, α_N, α_D): α_N·w_u, α_D·w_v,
    /// w_u·(n_c − log Nᵢ), LSE(uᵢ, vᵢ) − w_u·uᵢ.
    public func jacobian(at p: [Double], into j: inout Matrix) {
        let m = logLoss.count
        j.storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<m {
                let t = terms(p, i)
                s[i] = p[2] * t.wu
                s[i + m] = p[3] * (1 - t.wu)
                s[i + 2 * m] = t.wu * (p[0] - logN[i])
                s[i + 3 * m] = t.lse - t.wu * t.u
            }
        }
    }
}
