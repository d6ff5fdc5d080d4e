import Foundation

/// How well a predicted curve matches an observed one, the metrics of the multi-power-law
/// paper (computed per curve; `average` then takes the mean over curves, worst relative
/// error included, as the paper does).
///
/// ```
/// R²         1 − Σ(L − L̂)² / Σ(L − mean L)²
/// MAE        mean |L − L̂|
/// RMSE       √ mean (L − L̂)²
/// mean rel.  mean |L − L̂| / L
/// worst rel. max  |L − L̂| / L
/// max error  max  |L − L̂|
/// final      L̂ − L at the last logged step
/// ```
public struct LossCurveMetrics: Sendable, Equatable, Codable {
    /// R² = 1 − Σ(L − L̂)² / Σ(L − mean L)².
    public var r2: Double
    /// MAE = mean |L − L̂|.
    public var mae: Double
    /// RMSE = √ mean (L − L̂)².
    public var rmse: Double
    /// mean |L − L̂| / L.
    public var meanRelativeError: Double
    /// max |L − L̂| / L.
    public var worstRelativeError: Double
    /// max |L − L̂|.
    public var maxError: Double
    /// L̂ − L at the last logged step (positive when the prediction ends high).
    public var finalError: Double

    /// The metrics of `predicted` against `observed`, step by step; traps unless both have the
    /// same, non-zero length.
    public init(observed: [Double], predicted: [Double]) {
        precondition(observed.count == predicted.count && !observed.isEmpty, "metrics need matching, non-empty curves")
        let n = Double(observed.count)
        let mean = observed.reduce(0, +) / n
        var ssRes = 0.0, ssTot = 0.0, abs = 0.0, rel = 0.0, worst = 0.0, largest = 0.0
        for (y, f) in zip(observed, predicted) {
            let e = y - f
            ssRes += e * e
            ssTot += (y - mean) * (y - mean)
            abs += Swift.abs(e)
            rel += Swift.abs(e) / y
            worst = Swift.max(worst, Swift.abs(e) / y)
            largest = Swift.max(largest, Swift.abs(e))
        }
        r2 = 1 - ssRes / ssTot
        mae = abs / n
        rmse = (ssRes / n).squareRoot()
        meanRelativeError = rel / n
        worstRelativeError = worst
        maxError = largest
        finalError = predicted[predicted.count - 1] - observed[observed.count - 1]
    }

    init(r2: Double, mae: Double, rmse: Double, meanRelativeError: Double,
         worstRelativeError: Double, maxError: Double, finalError: Double) {
        self.r2 = r2; self.mae = mae; self.rmse = rmse
        self.meanRelativeError = meanRelativeError
        self.worstRelativeError = worstRelativeError
        self.maxError = maxError
        self.finalError = finalError
    }

    /// The mean of each metric over several curves.
    public static func average(_ metrics: [LossCurveMetrics]) -> LossCurveMetrics {
        let n = Double(metrics.count)
        func mean(_ f: (LossCurveMetrics) -> Double) -> Double { metrics.map(f).reduce(0, +) / n }
        return LossCurveMetrics(r2: mean(\.r2), mae: mean(\.mae), rmse: mean(\.rmse),
                                meanRelativeError: mean(\.meanRelativeError),
                                worstRelativeError: mean(\.worstRelativeError),
                                maxError: mean(\.maxError), finalError: mean(\.finalError))
    }
}
