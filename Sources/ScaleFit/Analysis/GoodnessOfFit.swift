import Foundation

/// How well fitted losses match observed ones, as the power-law reports print it:
///
/// ```
/// rmse                          √ mean (L̂ − L)²
/// meanAbsoluteRelativeError     mean |L̂ − L| / L
/// rSquared                      1 − Σ(L̂ − L)² / Σ(L − mean L)²
/// rSquaredLog                   the same for log L̂ against log L
/// ```
public struct GoodnessOfFit: Sendable, Equatable, Codable {
    /// √ mean (L̂ − L)², in loss units.
    public var rmse: Double
    /// mean |L̂ − L| / L.
    public var meanAbsoluteRelativeError: Double
    /// R² = 1 − Σ(L̂ − L)² / Σ(L − mean L)².
    public var rSquared: Double
    /// R² of log L̂ against log L: 1 − Σ(log L̂ − log L)² / Σ(log L − mean log L)².
    public var rSquaredLog: Double

    /// The statistics of `fitted` against `observed` (equal counts, positive losses).
    public init(observed loss: [Double], fitted: [Double]) {
        precondition(loss.count == fitted.count && !loss.isEmpty, "goodness of fit needs matching, non-empty losses")
        let m = Double(loss.count)
        var sse = 0.0, sseLog = 0.0, are = 0.0
        for i in loss.indices {
            let e = fitted[i] - loss[i]
            sse += e * e
            let el = log(fitted[i]) - log(loss[i])
            sseLog += el * el
            are += abs(e) / loss[i]
        }
        let mean = loss.reduce(0, +) / m
        let meanLog = loss.map { log($0) }.reduce(0, +) / m
        let tss = loss.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let tssLog = loss.reduce(0) { $0 + (log($1) - meanLog) * (log($1) - meanLog) }
        rmse = (sse / m).squareRoot()
        meanAbsoluteRelativeError = are / m
        rSquared = 1 - sse / tss
        rSquaredLog = 1 - sseLog / tssLog
    }
}
