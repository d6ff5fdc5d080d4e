import ScaleFit

/// y = b1·(1 − exp(−b2·x)) on fixed x (Misra1a's form).
struct ExponentialRise: LeastSquaresProblem {
    let x: [Double]
    let y: [Double]
    var parameterCount: Int { 2 }
    var residualCount: Int { x.count }
    func residuals(at b: [Double], into r: inout [Double]) {
        for i in 0..<x.count { r[i] = b[0] * -expm1(-b[1] * x[i]) - y[i] }
    }
    func jacobian(at b: [Double], into j: inout Matrix) {
        for i in 0..<x.count {
            let e = exp(-b[1] * x[i])
            j[i, 0] = 1 - e
            j[i, 1] = b[0] * x[i] * e
        }
    }
}

/// Rosenbrock's valley as least squares: r = (10(x₂ − x₁²), 1 − x₁).
struct Rosenbrock: LeastSquaresProblem {
    var parameterCount: Int { 2 }
    var residualCount: Int { 2 }
    func residuals(at x: [Double], into r: inout [Double]) {
        r[0] = 10 * (x[1] - x[0] * x[0])
        r[1] = 1 - x[0]
    }
    func jacobian(at x: [Double], into j: inout Matrix) {
        j[0, 0] = -20 * x[0]; j[0, 1] = 10
        j[1, 0] = -1; j[1, 1] = 0
    }
}

/// Location: rᵢ = x − yᵢ.
struct Location: LeastSquaresProblem {
    let y: [Double]
    var parameterCount: Int { 1 }
    var residualCount: Int { y.count }
    func residuals(at x: [Double], into r: inout [Double]) {
        for i in 0..<y.count { r[i] = x[0] - y[i] }
    }
    func jacobian(at x: [Double], into j: inout Matrix) {
        for i in 0..<y.count { j[i, 0] = 1 }
    }
}

/// Straight line y = a + b·t.
struct Line: LeastSquaresProblem {
    let t: [Double]
    let y: [Double]
    var parameterCount: Int { 2 }
    var residualCount: Int { t.count }
    func residuals(at p: [Double], into r: inout [Double]) {
        for i in 0..<t.count { r[i] = p[0] + p[1] * t[i] - y[i] }
    }
    func jacobian(at p: [Double], into j: inout Matrix) {
        for i in 0..<t.count { j[i, 0] = 1; j[i, 1] = t[i] }
    }
}

/// y = (a + b)·t: only a + b is determined, so J has rank 1.
struct SumSlope: LeastSquaresProblem {
    let t: [Double]
    let y: [Double]
    var parameterCount: Int { 2 }
    var residualCount: Int { t.count }
    func residuals(at p: [Double], into r: inout [Double]) {
        for i in 0..<t.count { r[i] = (p[0] + p[1]) * t[i] - y[i] }
    }
    func jacobian(at p: [Double], into j: inout Matrix) {
        for i in 0..<t.count { j[i, 0] = t[i]; j[i, 1] = t[i] }
    }
}

/// r = √p·tᵢ − yᵢ: NaN for p < 0, where a long Gauss–Newton step lands.
struct SquareRootScale: LeastSquaresProblem {
    let t: [Double]
    let y: [Double]
    var parameterCount: Int { 1 }
    var residualCount: Int { t.count }
    func residuals(at p: [Double], into r: inout [Double]) {
        for i in 0..<t.count { r[i] = p[0].squareRoot() * t[i] - y[i] }
    }
    func jacobian(at p: [Double], into j: inout Matrix) {
        for i in 0..<t.count { j[i, 0] = 0.5 * t[i] / p[0].squareRoot() }
    }
}

/// f(x) = (x² − 1)² + 0.3(x − 1)²: global minimum 0 at x = 1, a local one near x = −1.
struct TwoValleys: LeastSquaresProblem {
    var parameterCount: Int { 1 }
    var residualCount: Int { 2 }
    func residuals(at x: [Double], into r: inout [Double]) {
        r[0] = x[0] * x[0] - 1
        r[1] = 0.3.squareRoot() * (x[0] - 1)
    }
    func jacobian(at x: [Double], into j: inout Matrix) {
        j[0, 0] = 2 * x[0]
        j[1, 0] = 0.3.squareRoot()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
