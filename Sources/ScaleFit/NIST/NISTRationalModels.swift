import Foundation

// NIST's "rational class": ratios of polynomials in x, evaluated by Horner's rule.

extension NISTModels {
    /// Kirby2 (quadratic over quadratic):
    ///
    /// ```
    /// f(x; b) = (b₁ + b₂x + b₃x²) / (1 + b₄x + b₅x²) = N/D
    /// ∂f/∂b₁₊ₖ = xᵏ/D (k = 0, 1, 2),   ∂f/∂b₄ = −f·x/D,   ∂f/∂b₅ = −f·x²/D
    /// ```
    package struct Kirby2: NISTModel {
        package static let problemNames = ["Kirby2"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 5 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(5, for: "Kirby2")
            (x, y) = try dataset.singlePredictor(for: "Kirby2")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let t = x[i]
                r[i] = (b[0] + t * (b[1] + t * b[2])) / (1 + t * (b[3] + t * b[4])) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let t = x[i]
                let d = 1 + t * (b[3] + t * b[4])
                let f = (b[0] + t * (b[1] + t * b[2])) / d
                jac[i, 0] = 1 / d
                jac[i, 1] = t / d
                jac[i, 2] = t * t / d
                jac[i, 3] = -f * t / d
                jac[i, 4] = -f * t * t / d
            }
        }
    }

    /// Hahn1 and Thurber (cubic over cubic):
    ///
    /// ```
    /// f(x; b) = (b₁ + b₂x + b₃x² + b₄x³) / (1 + b₅x + b₆x² + b₇x³) = N/D
    /// ∂f/∂b₁₊ₖ = xᵏ/D (k = 0…3),   ∂f/∂b₄₊ₖ = −f·xᵏ/D (k = 1…3)
    /// ```
    package struct CubicRational: NISTModel {
        package static let problemNames = ["Hahn1", "Thurber"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 7 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(7, for: "cubic/cubic rational")
            (x, y) = try dataset.singlePredictor(for: "cubic/cubic rational")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let t = x[i]
                let n = b[0] + t * (b[1] + t * (b[2] + t * b[3]))
                let d = 1 + t * (b[4] + t * (b[5] + t * b[6]))
                r[i] = n / d - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let t = x[i], t2 = t * t, t3 = t2 * t
                let d = 1 + t * (b[4] + t * (b[5] + t * b[6]))
                let f = (b[0] + t * (b[1] + t * (b[2] + t * b[3]))) / d
                jac[i, 0] = 1 / d
                jac[i, 1] = t / d
                jac[i, 2] = t2 / d
                jac[i, 3] = t3 / d
                jac[i, 4] = -f * t / d
                jac[i, 5] = -f * t2 / d
                jac[i, 6] = -f * t3 / d
            }
        }
    }

    /// MGH09 (Kowalik and Osborne):
    ///
    /// ```
    /// f(x; b) = b₁(x² + x·b₂) / (x² + x·b₃ + b₄) = b₁·N/D
    /// ∂f/∂b₁ = N/D,   ∂f/∂b₂ = b₁x/D,   ∂f/∂b₃ = −f·x/D,   ∂f/∂b₄ = −f/D
    /// ```
    package struct MGH09: NISTModel {
        package static let problemNames = ["MGH09"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 4 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(4, for: "MGH09")
            (x, y) = try dataset.singlePredictor(for: "MGH09")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let t = x[i]
                r[i] = b[0] * t * (t + b[1]) / (t * (t + b[2]) + b[3]) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let t = x[i]
                let d = t * (t + b[2]) + b[3]
                let q = t * (t + b[1]) / d
                let f = b[0] * q
                jac[i, 0] = q
                jac[i, 1] = b[0] * t / d
                jac[i, 2] = -f * t / d
                jac[i, 3] = -f / d
            }
        }
    }
}
