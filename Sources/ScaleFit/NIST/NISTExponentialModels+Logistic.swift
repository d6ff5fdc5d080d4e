import Foundation

// NIST's "exponential class", part 2: the sigmoidal (Rat42, Rat43), bell (Eckerle4) and
// log-response (Nelson) models.

extension NISTModels {
    /// Nelson: two predictors, and the response is log y.
    ///
    /// ```
    /// f(x₁, x₂; b) = b₁ − b₂·x₁·e^(−b₃x₂),   rᵢ = f(x₁ᵢ, x₂ᵢ; b) − log yᵢ
    /// ∂f/∂b₁ = 1,   ∂f/∂b₂ = −x₁e^(−b₃x₂),   ∂f/∂b₃ = b₂·x₁·x₂·e^(−b₃x₂)
    /// ```
    package struct Nelson: NISTModel {
        package static let problemNames = ["Nelson"]
        package static let predictorCount = 2
        package let x1: [Double], x2: [Double]
        /// log y, taken once.
        package let logY: [Double]
        package var parameterCount: Int { 3 }
        package var residualCount: Int { logY.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(3, for: "Nelson")
            guard dataset.predictors.count == 2 else {
                throw ScaleFitError.invalidData(
                    file: dataset.name,
                    reason: "the Nelson model needs 2 predictors, the data have \(dataset.predictors.count)")
            }
            x1 = dataset.predictors[0]
            x2 = dataset.predictors[1]
            logY = dataset.response.map { log($0) }
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<logY.count { r[i] = b[0] - b[1] * x1[i] * exp(-b[2] * x2[i]) - logY[i] }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<logY.count {
                let e = exp(-b[2] * x2[i])
                jac[i, 0] = 1
                jac[i, 1] = -x1[i] * e
                jac[i, 2] = b[1] * x1[i] * x2[i] * e
            }
        }
    }

    /// Rat42 (a logistic curve):
    ///
    /// ```
    /// f(x; b) = b₁ / (1 + e^(b₂ − b₃x))
    /// ∂f/∂b₁ = 1/(1 + e),   ∂f/∂b₂ = −b₁e/(1 + e)²,   ∂f/∂b₃ = b₁·x·e/(1 + e)²,   e = e^(b₂ − b₃x)
    /// ```
    package struct Rat42: NISTModel {
        package static let problemNames = ["Rat42"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 3 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(3, for: "Rat42")
            (x, y) = try dataset.singlePredictor(for: "Rat42")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count { r[i] = b[0] / (1 + exp(b[1] - b[2] * x[i])) - y[i] }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let e = exp(b[1] - b[2] * x[i])
                let s = 1 / (1 + e)
                // e/(1+e)² written as s·(e·s) so that e = ∞ gives 0, not ∞/∞.
                let es2 = s * (e.isFinite ? e * s : 1)
                jac[i, 0] = s
                jac[i, 1] = -b[0] * es2
                jac[i, 2] = b[0] * x[i] * es2
            }
        }
    }

    /// Rat43 (a generalised logistic curve):
    ///
    /// ```
    /// f(x; b) = b₁ / (1 + e^(b₂ − b₃x))^(1/b₄) = b₁·exp(−log1p(e)/b₄),   e = e^(b₂ − b₃x)
    /// ∂f/∂b₁ = f/b₁,   ∂f/∂b₂ = −f·e/(b₄(1 + e)),   ∂f/∂b₃ = f·x·e/(b₄(1 + e)),
    /// ∂f/∂b₄ = f·log1p(e)/b₄²
    /// ```
    package struct Rat43: NISTModel {
        package static let problemNames = ["Rat43"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 4 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(4, for: "Rat43")
            (x, y) = try dataset.singlePredictor(for: "Rat43")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let l = log1p(exp(b[1] - b[2] * x[i]))
                r[i] = b[0] * exp(-l / b[3]) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let e = exp(b[1] - b[2] * x[i])
                let l = log1p(e)
                let p = exp(-l / b[3])
                let f = b[0] * p
                // e/(1+e) as 1/(1 + 1/e): finite for e = ∞.
                let w = 1 / (1 + 1 / e)
                jac[i, 0] = p
                jac[i, 1] = -f * w / b[3]
                jac[i, 2] = f * x[i] * w / b[3]
                jac[i, 3] = f * l / (b[3] * b[3])
            }
        }
    }

    /// Eckerle4 (a Gaussian peak):
    ///
    /// ```
    /// f(x; b) = (b₁/b₂)·e^(−z²/2),   z = (x − b₃)/b₂
    /// ∂f/∂b₁ = f/b₁ = e^(−z²/2)/b₂,   ∂f/∂b₂ = f·(z² − 1)/b₂,   ∂f/∂b₃ = f·z/b₂
    /// ```
    package struct Eckerle4: NISTModel {
        package static let problemNames = ["Eckerle4"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 3 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(3, for: "Eckerle4")
            (x, y) = try dataset.singlePredictor(for: "Eckerle4")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let z = (x[i] - b[2]) / b[1]
                r[i] = b[0] / b[1] * exp(-0.5 * z * z) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let z = (x[i] - b[2]) / b[1]
                let g = exp(-0.5 * z * z) / b[1]
                let f = b[0] * g
                jac[i, 0] = g
                jac[i, 1] = f * (z * z - 1) / b[1]
                jac[i, 2] = f * z / b[1]
            }
        }
    }
}
