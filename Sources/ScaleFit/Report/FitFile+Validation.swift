import Foundation

/// The checks a fit file passes on load, so that a hand-edited or corrupted file is refused
/// with the JSON path of the bad value instead of predicting nonsense (a negative variance
/// gives a zero-width interval, NaN a NaN one) or failing later.
///
/// ```
/// law            one this build knows (LawRegistry.identifiers)
/// parameters     finite; 5 for chinchilla, 4 for kaplan, 3 for power, 2 (log_k, a) for isoflop and envelope
/// covariance     n×n, finite, symmetric (|c_ij − c_ji| ≤ 1e-6·√(c_ii·c_jj)), positive
///                semi-definite (diagonal ≥ 0, the correlation matrix has no pivot below −1e-6)
/// objective      finite;  starts, data.rows, data.droppedRows ≥ 0
/// bootstrap      samples in 0…Bootstrap.maximumSamples, draws of n finite values
/// ```
extension FitFile {
    /// The parameter counts of the laws whose count does not depend on settings.
    static let fixedParameterCounts = [ChinchillaLaw.identifier: 5, KaplanLaw.identifier: 4, SaturatingPowerLaw.identifier: 3,
                                        FitFile.isoflopLaw: 2, FitFile.envelopeLaw: 2]

    /// Throws `invalidData(file:, reason: "<json path>: …")` for the first check that fails.
    func validate(file: String) throws {
        func fail(_ path: String, _ reason: String) -> ScaleFitError {
            .invalidData(file: file, reason: "\(path): \(reason)")
        }
        guard LawRegistry.identifiers.contains(law) else {
            throw fail("law", "unknown law \"\(law)\" (this build reads \(LawRegistry.identifiers.joined(separator: ", ")))")
        }
        let n = parameters.count
        if let expected = Self.fixedParameterCounts[law], n != expected {
            throw fail("parameters", "the \(law) law has \(expected) parameters, found \(n)")
        }
        guard parameterNames.count == n, covariance.rows == n, covariance.columns == n, covariance.storage.count == n * n else {
            throw fail("covariance", "fit file for law \"\(law)\": \(n) parameters, \(parameterNames.count) names and a \(covariance.rows)×\(covariance.columns) covariance of \(covariance.storage.count) entries do not match")
        }
        if let i = parameters.firstIndex(where: { !$0.isFinite }) {
            throw fail("parameters[\(i)]", "\(parameterNames[i]) is \(parameters[i]), expected a finite number")
        }
        // Chinchilla's e, a, b are logs: E = exp(e) must be a finite number.
        if law == ChinchillaLaw.identifier, let i = parameters.prefix(3).firstIndex(where: { $0 > log(Double.greatestFiniteMagnitude) }) {
            throw fail("parameters[\(i)]", "\(parameterNames[i]) = \(parameters[i]) is a log, and its exponential overflows (at most \(log(Double.greatestFiniteMagnitude)))")
        }
        if let k = covariance.storage.firstIndex(where: { !$0.isFinite }) {
            throw fail("covariance.storage[\(k)]", "entry (\(k % n), \(k / n)) is \(covariance.storage[k]), expected a finite number")
        }
        guard objective.isFinite else { throw fail("objective", "\(objective), expected a finite number") }
        guard starts >= 0 else { throw fail("starts", "\(starts), expected a non-negative count") }
        guard data.rows >= 0 else { throw fail("data.rows", "\(data.rows), expected a non-negative count") }
        guard data.droppedRows >= 0 else { throw fail("data.droppedRows", "\(data.droppedRows), expected a non-negative count") }
        try Self.checkCovariance(covariance, names: parameterNames, fail: fail)
        try validateAllocation(fail: fail)
        if let b = bootstrap {
            guard (0...Bootstrap.maximumSamples).contains(b.samples) else {
                throw fail("bootstrap.samples", "\(b.samples), expected 0 to \(Bootstrap.maximumSamples)")
            }
            guard b.failed >= 0, b.failed <= b.samples else {
                throw fail("bootstrap.failed", "\(b.failed), expected 0 to bootstrap.samples (\(b.samples))")
            }
            for (d, draw) in (b.draws ?? []).enumerated() {
                guard draw.count == n else { throw fail("bootstrap.draws[\(d)]", "\(draw.count) values, expected \(n)") }
                if let i = draw.firstIndex(where: { !$0.isFinite }) {
                    throw fail("bootstrap.draws[\(d)][\(i)]", "\(draw[i]), expected a finite number")
                }
            }
        }
        try validateNoise(fail: fail)
    }

    /// The noise's folds: at most `SizeGroups.maximumGroups` vectors of n finite values (each
    /// is evaluated at every prediction); the horizon's step ≥ 1 and κ finite and ≥ 0.
    func validateNoise(fail: (String, String) -> ScaleFitError) throws {
        guard let noise else { return }
        let n = parameters.count
        if let folds = noise.foldParameters {
            guard folds.count <= SizeGroups.maximumGroups else {
                throw fail("noise.foldParameters", "\(folds.count) folds, expected at most \(SizeGroups.maximumGroups)")
            }
            for (f, fold) in folds.enumerated() {
                guard fold.count == n else { throw fail("noise.foldParameters[\(f)]", "\(fold.count) values, expected \(n)") }
                if let i = fold.firstIndex(where: { !$0.isFinite }) {
                    throw fail("noise.foldParameters[\(f)][\(i)]", "\(fold[i]), expected a finite number")
                }
            }
        }
        if let step = noise.horizonStep, step < 1 { throw fail("noise.horizonStep", "\(step), expected a step ≥ 1") }
        if let k = noise.horizonGrowth, !(k.isFinite && k >= 0) {
            throw fail("noise.horizonGrowth", "\(k), expected a finite number ≥ 0")
        }
    }

    /// Symmetric and positive semi-definite, checked on the correlation matrix (so that
    /// parameters of very different scales weigh alike) by Cholesky with diagonal pivoting:
    /// a PSD matrix leaves no pivot below −tolerance and a Schur complement that vanishes.
    static func checkCovariance(_ c: Matrix, names: [String], fail: (String, String) -> ScaleFitError) throws {
        let n = c.rows
        let tolerance = 1e-6
        func path(_ i: Int, _ j: Int) -> String { "covariance.storage[\(i + j * n)]" }
        for i in 0..<n where c[i, i] < 0 {
            throw fail(path(i, i), "the variance of \(names[i]) is \(c[i, i]), negative; a covariance matrix is positive semi-definite")
        }
        var r = Matrix(rows: n, columns: n)
        for j in 0..<n {
            for i in 0..<n {
                let scale = c[i, i].squareRoot() * c[j, j].squareRoot() // not √(c_ii·c_jj): that overflows at 1e186
                if abs(c[i, j] - c[j, i]) > tolerance * scale {
                    throw fail(path(i, j), "the covariance is not symmetric: entry (\(i), \(j)) is \(c[i, j]) and (\(j), \(i)) is \(c[j, i])")
                }
                if scale == 0 {
                    // A parameter with no variance (held fixed) has no covariance either.
                    guard c[i, j] == 0 || i == j else {
                        throw fail(path(i, j), "\(names[i]) and \(names[j]) have a covariance of \(c[i, j]) but one of them has no variance; a covariance matrix is positive semi-definite")
                    }
                    r[i, j] = 0
                } else {
                    r[i, j] = 0.5 * (c[i, j] + c[j, i]) / scale
                }
            }
        }
        // Pivoted Cholesky on the correlation matrix, in place on the lower triangle.
        var remaining = Array(0..<n)
        while !remaining.isEmpty {
            let p = remaining.max { r[$0, $0] < r[$1, $1] }!
            let pivot = r[p, p]
            if pivot <= tolerance {
                for i in remaining {
                    if r[i, i] < -tolerance {
                        throw fail("covariance", "not positive semi-definite: \(names[i]) has a negative variance (\(r[i, i]) in correlation units) once the other parameters are accounted for")
                    }
                    for j in remaining where j != i && abs(r[i, j]) > tolerance {
                        throw fail("covariance", "not positive semi-definite: the correlations of \(names[i]) and \(names[j]) with the others are inconsistent (a correlation above 1 in effect)")
                    }
                }
                return
            }
            remaining.removeAll { $0 == p }
            let l = pivot.squareRoot()
            for i in remaining { r[i, p] /= l }
            for i in remaining { for j in remaining { r[i, j] -= r[i, p] * r[j, p] } }
        }
    }

    /// A decoding error in words with the JSON path of the value it is about:
    /// `parameters[0]: expected a number, found a string`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            var text = ""
            for key in codingPath + (last.map { [$0] } ?? []) {
                if let i = key.intValue { text += "[\(i)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case let .typeMismatch(type, context):
            return "\(path(context.codingPath)): expected \(Self.typeName(type)), found another type (\(context.debugDescription))"
        case let .valueNotFound(type, context):
            return "\(path(context.codingPath)): expected \(Self.typeName(type)), found null"
        case let .keyNotFound(key, context):
            return "\(path(context.codingPath, key)): missing (a fit file needs it)"
        case let .dataCorrupted(context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: return "a number"
        case is Int.Type, is UInt64.Type: return "an integer"
        case is String.Type: return "a string"
        case is [Any].Type: return "an array"
        default: return "\(type)".hasPrefix("Array") ? "an array" : "an object (\(type))"
        }
    }
}
