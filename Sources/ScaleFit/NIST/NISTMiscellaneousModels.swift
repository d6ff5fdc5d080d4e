import Foundation

// NIST's "miscellaneous class": power laws, saturation curves, an arctangent step and a
// sum of sinusoids.

extension NISTModels {
    /// DanWood (a power law):
    ///
    /// ```
    /// f(x; b) = b₁·x^b₂,   ∂f/∂b₁ = x^b₂,   ∂f/∂b₂ = f·log x
    /// ```
    package struct DanWood: NISTModel {
        package static let problemNames = ["DanWood"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 2 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(2, for: "DanWood")
            (x, y) = try dataset.singlePredictor(for: "DanWood")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count { r[i] = b[0] * pow(x[i], b[1]) - y[i] }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let p = pow(x[i], b[1])
                jac[i, 0] = p
                jac[i, 1] = b[0] * p * log(x[i])
            }
        }
    }

    /// Misra1b. With u = b₂x/2 the bracket 1 − (1 + u)⁻² is written u(2 + u)/(1 + u)², which
    /// does not cancel when u is small:
    ///
    /// ```
    /// f(x; b) = b₁·(1 − (1 + b₂x/2)⁻²) = b₁·u(2 + u)/(1 + u)²
    /// ∂f/∂b₁ = u(2 + u)/(1 + u)²,   ∂f/∂b₂ = b₁·x/(1 + u)³
    /// ```
    package struct Misra1b: NISTModel {
        package static let problemNames = ["Misra1b"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 2 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(2, for: "Misra1b")
            (x, y) = try dataset.singlePredictor(for: "Misra1b")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let u = 0.5 * b[1] * x[i], v = 1 + u
                r[i] = b[0] * (u * (2 + u) / (v * v)) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let u = 0.5 * b[1] * x[i], v = 1 + u
                jac[i, 0] = u * (2 + u) / (v * v)
                jac[i, 1] = b[0] * x[i] / (v * v * v)
            }
        }
    }

    /// Misra1c. With t = 2b₂x and s = √(1 + t), 1 − 1/s = t/(s(1 + s)) without cancellation:
    ///
    /// ```
    /// f(x; b) = b₁·(1 − (1 + 2b₂x)^(−1/2)) = b₁·t/(s(1 + s))
    /// ∂f/∂b₁ = t/(s(1 + s)),   ∂f/∂b₂ = b₁·x/s³
    /// ```
    package struct Misra1c: NISTModel {
        package static let problemNames = ["Misra1c"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 2 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(2, for: "Misra1c")
            (x, y) = try dataset.singlePredictor(for: "Misra1c")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let t = 2 * b[1] * x[i], s = (1 + t).squareRoot()
                r[i] = b[0] * (t / (s * (1 + s))) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let t = 2 * b[1] * x[i], s = (1 + t).squareRoot()
                jac[i, 0] = t / (s * (1 + s))
                jac[i, 1] = b[0] * x[i] / (s * s * s)
            }
        }
    }

    /// Misra1d (a Michaelis–Menten curve):
    ///
    /// ```
    /// f(x; b) = b₁b₂x/(1 + b₂x)
    /// ∂f/∂b₁ = b₂x/(1 + b₂x),   ∂f/∂b₂ = b₁x/(1 + b₂x)²
    /// ```
    package struct Misra1d: NISTModel {
        package static let problemNames = ["Misra1d"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 2 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(2, for: "Misra1d")
            (x, y) = try dataset.singlePredictor(for: "Misra1d")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let u = b[1] * x[i]
                r[i] = b[0] * (u / (1 + u)) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let d = 1 + b[1] * x[i]
                jac[i, 0] = b[1] * x[i] / d
                jac[i, 1] = b[0] * x[i] / (d * d)
            }
        }
    }

    /// Roszman1. NIST writes arctan[b₃/(x − b₄)]; the certified values hold for the angle
    /// atan2(b₃, x − b₄) (every x lies below b₄; the principal arctan would shift b₁ by
    /// exactly 1, see the data's PROVENANCE.md):
    ///
    /// ```
    /// f(x; b) = b₁ − b₂x − atan2(b₃, w)/π,   w = x − b₄,   q = b₃² + w²
    /// ∂f/∂b₁ = 1,   ∂f/∂b₂ = −x,   ∂f/∂b₃ = −w/(πq),   ∂f/∂b₄ = −b₃/(πq)
    /// ```
    package struct Roszman1: NISTModel {
        package static let problemNames = ["Roszman1"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 4 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(4, for: "Roszman1")
            (x, y) = try dataset.singlePredictor(for: "Roszman1")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                r[i] = b[0] - b[1] * x[i] - atan2(b[2], x[i] - b[3]) / .pi - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let w = x[i] - b[3]
                let q = Double.pi * (b[2] * b[2] + w * w)
                jac[i, 0] = 1
                jac[i, 1] = -x[i]
                jac[i, 2] = -w / q
                jac[i, 3] = -b[2] / q
            }
        }
    }

    /// ENSO: a yearly cycle and two further cycles of fitted periods b₄ and b₇ (months):
    ///
    /// ```
    /// f(x; b) = b₁ + b₂cos(2πx/12) + b₃sin(2πx/12) + b₅cos θ₄ + b₆sin θ₄ + b₈cos θ₇ + b₉sin θ₇
    /// θₖ = 2πx/bₖ,   ∂f/∂b₄ = (b₅sin θ₄ − b₆cos θ₄)·θ₄/b₄   (likewise b₇)
    /// ```
    ///
    /// The yearly terms depend on the data only and are computed once.
    package struct ENSO: NISTModel {
        package static let problemNames = ["ENSO"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        private let yearCos: [Double], yearSin: [Double]
        package var parameterCount: Int { 9 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(9, for: "ENSO")
            (x, y) = try dataset.singlePredictor(for: "ENSO")
            yearCos = x.map { cos(2 * .pi * $0 / 12) }
            yearSin = x.map { sin(2 * .pi * $0 / 12) }
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count {
                let t4 = 2 * .pi * x[i] / b[3], t7 = 2 * .pi * x[i] / b[6]
                r[i] = b[0] + b[1] * yearCos[i] + b[2] * yearSin[i]
                    + b[4] * cos(t4) + b[5] * sin(t4) + b[7] * cos(t7) + b[8] * sin(t7) - y[i]
            }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let t4 = 2 * .pi * x[i] / b[3], t7 = 2 * .pi * x[i] / b[6]
                let c4 = cos(t4), s4 = sin(t4), c7 = cos(t7), s7 = sin(t7)
                jac[i, 0] = 1
                jac[i, 1] = yearCos[i]
                jac[i, 2] = yearSin[i]
                jac[i, 3] = (b[4] * s4 - b[5] * c4) * t4 / b[3]
                jac[i, 4] = c4
                jac[i, 5] = s4
                jac[i, 6] = (b[7] * s7 - b[8] * c7) * t7 / b[6]
                jac[i, 7] = c7
                jac[i, 8] = s7
            }
        }
    }

    /// Bennett5 (a power law in b₂ + x):
    ///
    /// ```
    /// f(x; b) = b₁·(b₂ + x)^(−1/b₃)
    /// ∂f/∂b₁ = f/b₁,   ∂f/∂b₂ = −f/(b₃(b₂ + x)),   ∂f/∂b₃ = f·log(b₂ + x)/b₃²
    /// ```
    package struct Bennett5: NISTModel {
        package static let problemNames = ["Bennett5"]
        package static let predictorCount = 1
        package let x: [Double], y: [Double]
        package var parameterCount: Int { 3 }
        package var residualCount: Int { y.count }

        package init(dataset: NISTDataset) throws {
            try dataset.requireParameters(3, for: "Bennett5")
            (x, y) = try dataset.singlePredictor(for: "Bennett5")
        }

        package func residuals(at b: [Double], into r: inout [Double]) {
            for i in 0..<y.count { r[i] = b[0] * pow(b[1] + x[i], -1 / b[2]) - y[i] }
        }

        package func jacobian(at b: [Double], into jac: inout Matrix) {
            for i in 0..<y.count {
                let q = b[1] + x[i]
                let lq = log(q)
                let p = exp(-lq / b[2])   // (b₂ + x)^(−1/b₃) from the log the b₃ column needs anyway
                let f = b[0] * p
                jac[i, 0] = p
                jac[i, 1] = -f / (b[2] * q)
                jac[i, 2] = f * lq / (b[2] * b[2])
            }
        }
    }
}
