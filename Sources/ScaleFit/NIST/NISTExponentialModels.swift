import Foundation

// NIST's "exponential class", part 1: the models with one exponential or Gaussian term
// per parameter pair. (Part 2: NISTExponentialModels+Logistic.swift.)

extension NISTModels {
    /// Misra1a and BoxBOD:
    ///
    /// ```
    /// f(x; b) = b₁·(1 − e^(−b₂x)) = −b₁·expm1(−b₂x)
    /// ∂f/∂b₁ = −expm1(−b₂x),   ∂f/∂b₂ = b₁·x·e^(−b₂x)
    /// ```
    ///
    /// `expm1` keeps the digits of 1 − e^(−b₂x) when b₂x is small (Misra1a: b₂x ≈ 0.004–0.4).
    package struct ExponentialRise: NISTModel {
        package static let problemNames = ["Misra1a", "BoxBOD"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 2 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(2, for: "Misra1a")
            (x, y) = try dataset.singlePredictor(for: "Misra1a")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count { r[i] = -b[0] * expm1(-b[1] * x[i]) - y[i] }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let e = exp(-b[1] * x[i])
                jac[i, 0] = -expm1(-b[1] * x[i])
                jac[i, 1] = b[0] * x[i] * e
            }
        }
    }

    /// Chwirut1 and Chwirut2:
    ///
    /// ```
    /// f(x; b) = e^(−b₁x) / (b₂ + b₃x)
    /// ∂f/∂b₁ = −x·f,   ∂f/∂b₂ = −f/(b₂ + b₃x),   ∂f/∂b₃ = −x·f/(b₂ + b₃x)
    /// ```
    package struct Chwirut: NISTModel {
        package static let problemNames = ["Chwirut1", "Chwirut2"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 3 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(3, for: "Chwirut")
            (x, y) = try dataset.singlePredictor(for: "Chwirut")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count { r[i] = exp(-b[0] * x[i]) / (b[1] + b[2] * x[i]) - y[i] }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let d = b[1] + b[2] * x[i]
                let f = exp(-b[0] * x[i]) / d
                jac[i, 0] = -x[i] * f
                jac[i, 1] = -f / d
                jac[i, 2] = -x[i] * f / d
            }
        }
    }

    /// Gauss1, Gauss2 and Gauss3: an exponential baseline and two Gaussian peaks,
    ///
    /// ```
    /// f(x; b) = b₁e^(−b₂x) + b₃·g(x; b₄, b₅) + b₆·g(x; b₇, b₈),   g(x; c, w) = e^(−(x−c)²/w²)
    /// ∂g/∂c = g·2(x−c)/w²,   ∂g/∂w = g·2(x−c)²/w³
    /// ```
    package struct GaussPeaks: NISTModel {
        package static let problemNames = ["Gauss1", "Gauss2", "Gauss3"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 8 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(8, for: "Gauss")
            (x, y) = try dataset.singlePredictor(for: "Gauss")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let u = (x[i] - b[3]) / b[4], v = (x[i] - b[6]) / b[7]
                r[i] = b[0] * exp(-b[1] * x[i]) + b[2] * exp(-u * u) + b[5] * exp(-v * v) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let e = exp(-b[1] * x[i])
                let u = (x[i] - b[3]) / b[4], v = (x[i] - b[6]) / b[7]
                let g1 = exp(-u * u), g2 = exp(-v * v)
                jac[i, 0] = e
                jac[i, 1] = -b[0] * x[i] * e
                jac[i, 2] = g1
                jac[i, 3] = b[2] * g1 * 2 * u / b[4]
                jac[i, 4] = b[2] * g1 * 2 * u * u / b[4]
                jac[i, 5] = g2
                jac[i, 6] = b[5] * g2 * 2 * v / b[7]
                jac[i, 7] = b[5] * g2 * 2 * v * v / b[7]
            }
        }
    }

    /// Lanczos1, Lanczos2 and Lanczos3: three decaying exponentials,
    ///
    /// ```
    /// f(x; b) = b₁e^(−b₂x) + b₃e^(−b₄x) + b₅e^(−b₆x)
    /// ∂f/∂b₂ₖ₋₁ = e^(−b₂ₖx),   ∂f/∂b₂ₖ = −x·b₂ₖ₋₁·e^(−b₂ₖx)
    /// ```
    package struct Lanczos: NISTModel {
        package static let problemNames = ["Lanczos1", "Lanczos2", "Lanczos3"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 6 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(6, for: "Lanczos")
            (x, y) = try dataset.singlePredictor(for: "Lanczos")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let t = x[i]
                r[i] = b[0] * exp(-b[1] * t) + b[2] * exp(-b[3] * t) + b[4] * exp(-b[5] * t) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let t = x[i]
                for k in 0..<3 {
                    let e = exp(-b[2 * k + 1] * t)
                    jac[i, 2 * k] = e
                    jac[i, 2 * k + 1] = -t * b[2 * k] * e
                }
            }
        }
    }

    /// MGH10 (Meyer's function):
    ///
    /// ```
    /// f(x; b) = b₁·e^(b₂/(x + b₃))
    /// ∂f/∂b₁ = e^(b₂/(x+b₃)),   ∂f/∂b₂ = f/(x + b₃),   ∂f/∂b₃ = −f·b₂/(x + b₃)²
    /// ```
    package struct MGH10: NISTModel {
        package static let problemNames = ["MGH10"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 3 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(3, for: "MGH10")
            (x, y) = try dataset.singlePredictor(for: "MGH10")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count { r[i] = b[0] * exp(b[1] / (x[i] + b[2])) - y[i] }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let d = x[i] + b[2]
                let e = exp(b[1] / d)
                let f = b[0] * e
                jac[i, 0] = e
                jac[i, 1] = f / d
                jac[i, 2] = -f * b[1] / (d * d)
            }
        }
    }

    /// MGH17 (Osborne 1):
    ///
    /// ```
    /// f(x; b) = b₁ + b₂e^(−b₄x) + b₃e^(−b₅x)
    /// ```
    package struct MGH17: NISTModel {
        package static let problemNames = ["MGH17"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 5 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(5, for: "MGH17")
            (x, y) = try dataset.singlePredictor(for: "MGH17")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                r[i] = b[0] + b[1] * exp(-x[i] * b[3]) + b[2] * exp(-x[i] * b[4]) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let e4 = exp(-x[i] * b[3]), e5 = exp(-x[i] * b[4])
                jac[i, 0] = 1
                jac[i, 1] = e4
                jac[i, 2] = e5
                jac[i, 3] = -x[i] * b[1] * e4
                jac[i, 4] = -x[i] * b[2] * e5
            }
        }
    }
}
