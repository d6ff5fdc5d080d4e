import Foundation

/// A nonlinear least-squares problem: m residuals rᵢ(x) of n parameters, and their
/// Jacobian Jᵢⱼ = ∂rᵢ/∂xⱼ. The solver minimises ½·Σ ρ(rᵢ(x)²), with ρ(s) = s for plain
/// least squares or a robust loss.
///
/// Conformers write into buffers the solver owns, so a fit allocates nothing per
/// evaluation. Residuals may be NaN or ±∞ where the model is undefined; the solver
/// rejects such trial points instead of failing.
public protocol LeastSquaresProblem: Sendable {
    /// n, the number of parameters.
    var parameterCount: Int { get }
    /// m, the number of residuals.
    var residualCount: Int { get }
    /// Writes r(x) into `residuals` (which has `residualCount` entries).
    func residuals(at x: [Double], into residuals: inout [Double])
    /// Writes J(x) into `jacobian` (`residualCount` × `parameterCount`, column-major).
    func jacobian(at x: [Double], into jacobian: inout Matrix)
    /// True when r and J together cost little more than J alone (both come out of one
    /// pass over the data, as for the loss-curve laws): the solver then evaluates both at
    /// every trial point with `residualsAndJacobian` and, when the step is accepted, needs
    /// no separate Jacobian evaluation. False by default.
    var prefersJointEvaluation: Bool { get }
    /// Writes r(x) and J(x); by default `residuals` then `jacobian`.
    func residualsAndJacobian(at x: [Double], residuals: inout [Double], jacobian: inout Matrix)
}

extension LeastSquaresProblem {
    /// False: by default the solver evaluates r alone at trial points and J only at accepted ones.
    public var prefersJointEvaluation: Bool { false }

    /// Writes r(x) into `r`, then J(x) into `j`, with two separate evaluations.
    public func residualsAndJacobian(at x: [Double], residuals r: inout [Double], jacobian j: inout Matrix) {
        residuals(at: x, into: &r)
        jacobian(at: x, into: &j)
    }
}

/// How a Jacobian is approximated from residuals alone.
public enum FiniteDifferenceScheme: String, Sendable, Codable {
    /// (r(x + h·eⱼ) − r(x)) / h with h = √ε·max(|xⱼ|, 1): one extra evaluation per
    /// parameter, error O(h) ≈ 1e-8 relative.
    case forward
    /// (r(x + h·eⱼ) − r(x − h·eⱼ)) / 2h with h = ε^(1/3)·max(|xⱼ|, 1): two evaluations per
    /// parameter, error O(h²) ≈ 1e-10 relative.
    case central
}

/// The Jacobian of `problem` at `x` by finite differences. For models that have no
/// analytic Jacobian, and for tests that check the analytic ones.
public func finiteDifferenceJacobian<P: LeastSquaresProblem>(
    of problem: P, at x: [Double], scheme: FiniteDifferenceScheme = .central
) -> Matrix {
    let m = problem.residualCount, n = problem.parameterCount
    var jac = Matrix(rows: m, columns: n)
    var plus = [Double](repeating: 0, count: m)
    var minus = [Double](repeating: 0, count: m)
    var base = [Double](repeating: 0, count: m)
    if scheme == .forward { problem.residuals(at: x, into: &base) }
    let eps = Double.ulpOfOne
    for j in 0..<n {
        var xp = x
        switch scheme {
        case .forward:
            let h = eps.squareRoot() * max(abs(x[j]), 1)
            xp[j] = x[j] + h
            let step = xp[j] - x[j]  // the step actually representable
            problem.residuals(at: xp, into: &plus)
            for i in 0..<m { jac[i, j] = (plus[i] - base[i]) / step }
        case .central:
            let h = cbrt(eps) * max(abs(x[j]), 1)
            var xm = x
            xp[j] = x[j] + h
            xm[j] = x[j] - h
            problem.residuals(at: xp, into: &plus)
            problem.residuals(at: xm, into: &minus)
            let step = xp[j] - xm[j]
            for i in 0..<m { jac[i, j] = (plus[i] - minus[i]) / step }
        }
    }
    return jac
}

/// A problem given by a residual closure only; its Jacobian comes from finite
/// differences. Use a law's analytic Jacobian whenever there is one.
public struct FiniteDifferenceProblem: LeastSquaresProblem {
    /// n, the length of x the residual closure takes.
    public let parameterCount: Int
    /// m, the number of residuals the closure writes.
    public let residualCount: Int
    /// The difference formula `jacobian(at:into:)` uses (central by default: O(h²) error for twice the evaluations).
    public let scheme: FiniteDifferenceScheme
    private let evaluate: @Sendable ([Double], inout [Double]) -> Void

    /// A problem of `parameterCount` parameters whose `residuals` closure writes the
    /// `residualCount` values rᵢ(x) into the buffer it is given.
    public init(parameterCount: Int, residualCount: Int, scheme: FiniteDifferenceScheme = .central,
                residuals: @escaping @Sendable ([Double], inout [Double]) -> Void) {
        self.parameterCount = parameterCount
        self.residualCount = residualCount
        self.scheme = scheme
        self.evaluate = residuals
    }

    /// Writes r(x) by calling the residual closure.
    public func residuals(at x: [Double], into residuals: inout [Double]) {
        evaluate(x, &residuals)
    }

    /// Writes the finite-difference Jacobian of the closure at x (`finiteDifferenceJacobian`
    /// with `scheme`: n + 1 residual evaluations forward, 2n central).
    public func jacobian(at x: [Double], into jacobian: inout Matrix) {
        jacobian = finiteDifferenceJacobian(of: self, at: x, scheme: scheme)
    }
}
