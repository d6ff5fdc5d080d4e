import Foundation

/// A problem solved in logarithmic coordinates for some of its positive parameters:
///
/// ```
/// θ_i = exp(z_i)  for i in `indices`,   θ_i = z_i otherwise
/// ∂r/∂z_i = θ_i · ∂r/∂θ_i
/// ```
///
/// Why: a valley along which a product of parameters stays fixed (B·β for the multi-power
/// law at small β, C·η^(−γ) as C → 0 and γ grows) is a curve in θ but a straight line in
/// log θ, which Levenberg–Marquardt follows in a few long steps instead of hundreds of
/// short ones. The minima are the same points; only the path to them changes.
/// `LevenbergMarquardt` applies it for `SolverOptions.logScaledParameters` and reports the
/// result in θ.
struct LogScaledProblem<Base: LeastSquaresProblem>: LeastSquaresProblem {
    let base: Base
    /// The parameters solved for in log coordinates.
    let indices: [Int]

    var parameterCount: Int { base.parameterCount }
    var residualCount: Int { base.residualCount }
    var prefersJointEvaluation: Bool { base.prefersJointEvaluation }

    /// θ from z.
    func theta(_ z: [Double]) -> [Double] {
        var x = z
        for i in indices { x[i] = exp(z[i]) }
        return x
    }

    /// z from θ (θ_i > 0 where log-scaled; 0 maps to −∞).
    func z(_ theta: [Double]) -> [Double] {
        var z = theta
        for i in indices { z[i] = log(theta[i]) }
        return z
    }

    /// The box in z: log of each side of a log-scaled parameter (a lower bound of 0 is −∞).
    func bounds(_ box: ParameterBounds) -> ParameterBounds {
        var b = box
        for i in indices {
            b.lower[i] = box.lower[i] > 0 ? log(box.lower[i]) : -.infinity
            b.upper[i] = log(box.upper[i])
        }
        return b
    }

    func residuals(at z: [Double], into r: inout [Double]) {
        base.residuals(at: theta(z), into: &r)
    }

    func jacobian(at z: [Double], into jac: inout Matrix) {
        let x = theta(z)
        base.jacobian(at: x, into: &jac)
        scaleColumns(&jac, x)
    }

    func residualsAndJacobian(at z: [Double], residuals r: inout [Double], jacobian jac: inout Matrix) {
        let x = theta(z)
        base.residualsAndJacobian(at: x, residuals: &r, jacobian: &jac)
        scaleColumns(&jac, x)
    }

    private func scaleColumns(_ jac: inout Matrix, _ x: [Double]) {
        let m = jac.rows
        jac.storage.withUnsafeMutableBufferPointer { s in
            for i in indices {
                let f = x[i]
                for row in 0..<m { s[row + i * m] *= f }
            }
        }
    }
}
