import Dispatch
import Foundation

/// What evaluating a compiled formula costs next to the same formula written in Swift.
package struct FormulaBenchmarkResult: Sendable, Equatable {
    /// The formula timed.
    package var formula: String
    /// Data rows per evaluation.
    package var points: Int
    /// Best-of-repetitions wall times, in seconds.
    package var compiledValueSeconds: Double
    package var handWrittenValueSeconds: Double
    package var compiledJacobianSeconds: Double
    package var handWrittenJacobianSeconds: Double
    /// The largest relative difference between compiled and hand-written values and
    /// Jacobian entries (a check that both computed the same thing).
    package var largestRelativeDifference: Double

    /// compiled ÷ hand-written time for the values (the target: at most 3).
    package var valueRatio: Double { compiledValueSeconds / handWrittenValueSeconds }
    /// compiled ÷ hand-written time for the Jacobian.
    package var jacobianRatio: Double { compiledJacobianSeconds / handWrittenJacobianSeconds }
}

/// Times `E + A*N^-alpha + B*D^-beta` over `points` rows, compiled by `FormulaModel` and
/// hand-written in Swift, values alone and the Jacobian alone, taking the best of
/// `repetitions` runs of each. Meant for a release build (`scalefit-bench`); the data are
/// deterministic (N in [1e7, 1e10], D in [1e9, 1e12]).
package func benchmarkFormulaEvaluation(points m: Int = 1_000_000, repetitions: Int = 5) throws -> FormulaBenchmarkResult {
    let formula = "E + A*N^-alpha + B*D^-beta"
    let model = try FormulaModel(formula: formula, variables: ["N", "D"])
    let theta = [1.69, 406.4, 0.34, 410.7, 0.28]  // E, A, alpha, B, beta (first-appearance order)
    let (e, a, alpha, b, beta) = (theta[0], theta[1], theta[2], theta[3], theta[4])
    // Quasi-random points spread evenly in log N and log D.
    let n = (0..<m).map { 1e7 * pow(1e3, (Double($0) * 0.618_033_988_749_894_9).truncatingRemainder(dividingBy: 1)) }
    let d = (0..<m).map { 1e9 * pow(1e3, (Double($0) * 0.754_877_666_246_692_7).truncatingRemainder(dividingBy: 1)) }
    let columns = n + d

    var compiledValues = [Double](repeating: 0, count: m), handValues = compiledValues
    var compiledJacobian = [Double](repeating: 0, count: 5 * m), handJacobian = compiledJacobian

    func best(_ body: () -> Void) -> Double {
        var fastest = Double.infinity
        for _ in 0..<max(repetitions, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return fastest
    }

    let compiledValueSeconds = best {
        columns.withUnsafeBufferPointer { x in
            compiledValues.withUnsafeMutableBufferPointer { out in
                model.program.evaluate(parameters: theta, columns: x.baseAddress!, rowCount: m,
                                       values: out.baseAddress, jacobian: nil)
            }
        }
    }
    let handValueSeconds = best {
        n.withUnsafeBufferPointer { n in
            d.withUnsafeBufferPointer { d in
                handValues.withUnsafeMutableBufferPointer { out in
                    for i in 0..<m { out[i] = e + a * pow(n[i], -alpha) + b * pow(d[i], -beta) }
                }
            }
        }
    }
    let compiledJacobianSeconds = best {
        columns.withUnsafeBufferPointer { x in
            compiledJacobian.withUnsafeMutableBufferPointer { out in
                model.program.evaluate(parameters: theta, columns: x.baseAddress!, rowCount: m,
                                       values: nil, jacobian: out.baseAddress)
            }
        }
    }
    let handJacobianSeconds = best {
        n.withUnsafeBufferPointer { n in
            d.withUnsafeBufferPointer { d in
                handJacobian.withUnsafeMutableBufferPointer { jac in
                    for i in 0..<m {
                        let pn = pow(n[i], -alpha), pd = pow(d[i], -beta)
                        jac[i] = 1
                        jac[m + i] = pn
                        jac[2 * m + i] = -a * pn * log(n[i])
                        jac[3 * m + i] = pd
                        jac[4 * m + i] = -b * pd * log(d[i])
                    }
                }
            }
        }
    }

    var difference = 0.0
    for (u, v) in zip(compiledValues + compiledJacobian, handValues + handJacobian) {
        difference = max(difference, abs(u - v) / max(abs(v), Double.leastNormalMagnitude))
    }
    return FormulaBenchmarkResult(
        formula: formula, points: m,
        compiledValueSeconds: compiledValueSeconds, handWrittenValueSeconds: handValueSeconds,
        compiledJacobianSeconds: compiledJacobianSeconds, handWrittenJacobianSeconds: handJacobianSeconds,
        largestRelativeDifference: difference)
}
