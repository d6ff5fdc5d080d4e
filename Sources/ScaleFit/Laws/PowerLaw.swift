import Foundation

/// A saturating power law in one column x (parameters N, tokens D, compute C or steps):
///
/// ```
/// L(x) = E + A·x^(−α),      E ≥ 0, A > 0, α ≥ 0
/// ```
///
/// The pure power law L = A·x^(−α) is the same law with E held at 0 (the solver's `fixed:`
/// mask), so both share one problem and one Jacobian.
///
/// Fitted on log L with a = log A as the parameter, fitted vector (E, a, α):
///
/// ```
/// rᵢ = log(E + exp(a − α·log xᵢ)) − log Lᵢ
/// ```
///
/// Why log residuals: losses span decades across x, and relative error is what matters, so
/// each point weighs the same whatever its scale; with a = log A the amplitude is positive by
/// construction and of order 1–50 instead of 1e2–1e20; and for the pure law (E = 0) the
/// residual is linear in (a, α), so LM solves it in one step.
public struct SaturatingPowerLaw: Law, Equatable {
    /// "power", the name `--law` takes and fit files keep.
    public static let identifier = "power"
    /// No paper: a saturating power law on whichever column (N, D, C or steps) is chosen.
    public static let reference = "saturating power law on one column (N, D, C or steps)"
    /// L(x) = E + A·x^(−α), in ASCII (the saturating form; `formula` gives the pure one when E is held at 0).
    public static let formula = "L(x) = E + A*x^(-alpha)"
    /// The order of the fitted parameters.
    public static let parameterNames = ["E", "a", "alpha"]

    /// The column x (nil: params if the table has one, else tokens, else compute).
    public var variable: String?
    /// Hold E at 0: the pure power law A·x^(−α).
    public var pureFloor: Bool
    /// The objective on the log residuals (least squares by default).
    public var loss: RobustLoss

    /// The law on column `variable` (nil: detected), with E held at 0 when `pureFloor`, and
    /// `loss` on the log residuals.
    public init(variable: String? = nil, pureFloor: Bool = false, loss: RobustLoss = .l2) {
        self.variable = variable
        self.pureFloor = pureFloor
        self.loss = loss
    }

    /// E, A, α: a point of the law.
    public struct Parameters: Sendable, Equatable, Codable {
        /// The floor E (in loss units), the amplitude A and the exponent α, on the natural scale.
        public var E: Double, A: Double, alpha: Double

        /// The point (E, A, α) of L(x) = E + A·x^(−α).
        public init(E: Double, A: Double, alpha: Double) {
            self.E = E; self.A = A; self.alpha = alpha
        }

        /// From the fitted vector (E, a, α).
        public init(fittedParameters p: [Double]) {
            self.init(E: p[0], A: exp(p[1]), alpha: p[2])
        }

        /// (E, a, α).
        public var fittedParameters: [Double] { [E, log(A), alpha] }

        /// L(x).
        public func loss(at x: Double) -> Double { E + A * pow(x, -alpha) }
    }

    // MARK: Law

    /// L(x) = A*x^(-alpha) when E is held at 0, else L(x) = E + A*x^(-alpha).
    public var formula: String { pureFloor ? "L(x) = A*x^(-alpha)" : Self.formula }
    /// (E, a, alpha): θ holds E itself and a = log A.
    public var parameterNames: [String] { Self.parameterNames }
    /// E and α as they are; A as the exponential of θ's a.
    public var reportedParameters: [(name: String, exponentiated: Bool)] {
        [("E", false), ("A", true), ("alpha", false)]
    }
    /// `floor` = `zero` for the pure law.
    public var settings: [String: String] { pureFloor ? ["floor": "zero"] : [:] }
    /// The column x, when it was named.
    public var variables: [String]? { variable.map { [$0] } }

    /// The law the fit file holds: its first variable as x, `floor` = `zero` for the pure law, its loss.
    public init(fitFile: FitFile, source: String) throws {
        self.init(variable: fitFile.variables?.first, pureFloor: fitFile.settings?["floor"] == "zero",
                  loss: try RobustLoss(spec: fitFile.loss, flag: "\(source): loss"))
    }

    /// The runs' x (the `variable` column, or the one detected) and final loss; throws
    /// `invalidData` with fewer than 4 usable runs (3 for the pure law), one residual to spare.
    public func observations(from table: RunTable, options: TableOptions) throws -> PowerLawRuns {
        let runs = try PowerLawRuns(table: table, variable: variable, options: options)
        let needed = pureFloor ? 3 : 4
        guard runs.loss.count >= needed else {
            throw ScaleFitError.invalidData(file: runs.file, reason: "the power law has \(needed - 1) parameters; \(runs.loss.count) usable runs cannot determine them with any residual left")
        }
        return runs
    }

    /// The log-space problem on the runs: rᵢ = log(E + exp(a − α·log xᵢ)) − log Lᵢ.
    public func problem(for data: PowerLawRuns) throws -> SaturatingPowerLawProblem {
        SaturatingPowerLawProblem(x: data.x, loss: data.loss)
    }

    /// `startingGrid` on the runs (40 starts; 8 with E at 0 for the pure law).
    public func starts(for data: PowerLawRuns) -> [[Double]] {
        let grid = Self.startingGrid(x: data.x, loss: data.loss, floorFixedAtZero: pureFloor)
        return pureFloor ? grid.map { [0, $0[1], $0[2]] } : grid
    }

    /// E ≥ 0, α ≥ 0 (a free).
    public static let bounds = ParameterBounds(lower: [0, -.infinity, 0], upper: [.infinity, .infinity, .infinity])
    /// `bounds`: E ≥ 0, α ≥ 0 (a free).
    public func bounds(for data: PowerLawRuns) -> ParameterBounds? { Self.bounds }
    /// E held at its start (0) for the pure law; nothing held otherwise.
    public var fixed: [Bool]? { pureFloor ? [true, false, false] : nil }
    /// Every start of the grid run to convergence with `loss`.
    public var search: LawSearch { .everyStart(options: SolverOptions(loss: loss)) }

    /// The column x was taken from, as chosen from the table.
    public func fileVariables(for data: PowerLawRuns) -> [String]? { [data.variable] }

    /// L̂ᵢ = E + A·xᵢ^(−α) at each run's x.
    public func fitted(_ data: PowerLawRuns, parameters p: [Double]) -> [Double] {
        let law = Parameters(fittedParameters: p)
        return data.x.map { law.loss(at: $0) }
    }

    /// L(x) and ∂log L/∂θ: the Jacobian row of the log residual at L = 1.
    public func evaluate(_ query: [Double], parameters p: [Double]) throws -> [LawValue] {
        for x in query where !(x > 0 && x.isFinite) {
            throw ScaleFitError.invalidData(file: "query", reason: "x = \(x): the power law needs a positive, finite x")
        }
        return logValues(of: SaturatingPowerLawProblem(x: query, loss: query.map { _ in 1 }), at: p)
    }

    /// The exponents of the starting grid.
    public static let gridAlphas: [Double] = [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5]
    /// The floors of the starting grid, as fractions of the smallest observed loss.
    public static let gridFloorFractions: [Double] = [0, 0.25, 0.5, 0.75, 0.9]

    /// The starting grid, derived from the data so it is scale-free: for every α in
    /// `gridAlphas` and E = f·min L for f in `gridFloorFractions` (only f = 0 when E is fixed
    /// at 0), the amplitude that fits log(L − E) best for that (E, α):
    ///
    /// ```
    /// a = mean(log(Lᵢ − E) + α·log xᵢ)
    /// ```
    ///
    /// 40 starts (8 with E fixed), the first varying slowest over α.
    public static func startingGrid(x: [Double], loss: [Double], floorFixedAtZero: Bool = false) -> [[Double]] {
        let minLoss = loss.min() ?? 0
        let fractions = floorFixedAtZero ? [0.0] : gridFloorFractions
        var starts: [[Double]] = []
        for alpha in gridAlphas {
            for f in fractions {
                let e = f * minLoss
                var sum = 0.0
                for i in 0..<x.count { sum += log(loss[i] - e) + alpha * log(x[i]) }
                let a = x.isEmpty ? 0 : sum / Double(x.count)
                starts.append([e, a.isFinite ? a : 0, alpha])
            }
        }
        return starts
    }
}

/// The residuals rᵢ = log(E + t) − log Lᵢ, t = exp(a − α·log xᵢ), and their Jacobian:
///
/// ```
/// ∂r/∂E = 1/(E + t),   ∂r/∂a = t/(E + t),   ∂r/∂α = −log xᵢ · t/(E + t)
/// ```
public struct SaturatingPowerLawProblem: LeastSquaresProblem {
    /// log xᵢ of each run.
    public let logX: [Double]
    /// log Lᵢ, the observed losses' logs.
    public let logLoss: [Double]

    /// The problem on runs at `x` with loss `loss` (both positive, stored as logs); traps
    /// unless the two have the same length.
    public init(x: [Double], loss: [Double]) {
        precondition(x.count == loss.count, "columns must have equal lengths")
        logX = x.map { log($0) }
        logLoss = loss.map { log($0) }
    }

    /// 3: θ = (E, a, α).
    public var parameterCount: Int { 3 }
    /// One residual per run.
    public var residualCount: Int { logLoss.count }

    /// rᵢ = log(E + exp(a − α·log xᵢ)) − log Lᵢ at p = (E, a, α).
    public func residuals(at p: [Double], into r: inout [Double]) {
        for i in 0..<logLoss.count {
            r[i] = log(p[0] + exp(p[1] - p[2] * logX[i])) - logLoss[i]
        }
    }

    /// The m×3 Jacobian in columns (E, a, α): 1/(E + t), t/(E + t), −log xᵢ·t/(E + t),
    /// with t = exp(a − α·log xᵢ).
    public func jacobian(at p: [Double], into j: inout Matrix) {
        let m = logLoss.count
        j.storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<m {
                let t = exp(p[1] - p[2] * logX[i])
                let inv = 1 / (p[0] + t)
                s[i] = inv
                s[i + m] = t * inv
                s[i + 2 * m] = -logX[i] * t * inv
            }
        }
    }
}
