import Foundation

/// One predicted point of a loss curve: the step, η there, the loss, and its 95%
/// delta-method interval from the fit's parameter covariance.
public struct CurvePrediction: Sendable, Codable, Equatable {
    /// The step s the loss is predicted at.
    public var step: Int
    /// η at that step, as the schedule gives it.
    public var lr: Double
    /// L̂(s), the law's predicted loss.
    public var loss: Double
    /// The lower end of the 95% prediction interval for an observed loss (`Prediction`:
    /// parameter uncertainty and the fit's noise; the confidence band when the file has no
    /// noise estimate). NaN when L̂ ≤ 0.
    public var lower95: Double
    /// Its upper end.
    public var upper95: Double
    /// The lower end of the 95% confidence band of the law's value, L̂·exp(−1.96·sd).
    public var meanLower95: Double
    /// Its upper end, L̂·exp(+1.96·sd).
    public var meanUpper95: Double
}

extension CurvePrediction {
    /// `step,loss,lower95,upper95,mean_lower95,mean_upper95` and one line per prediction, the numbers as Swift prints
    /// them (shortest round-trip form): built in one pass, so 10⁶ steps take well under a second.
    public static func csv(_ rows: [CurvePrediction]) -> String {
        csvHeader + csvLines(rows[...])
    }

    /// The CSV's header line.
    public static let csvHeader = "step,loss,lower95,upper95,mean_lower95,mean_upper95\n"

    /// The CSV's lines for `rows`, without the header: a long prediction written a block at a time.
    public static func csvLines(_ rows: ArraySlice<CurvePrediction>) -> String {
        var out = ""
        out.reserveCapacity(rows.count * 100)
        for r in rows {
            out += String(r.step); out += ","
            out += r.loss.description; out += ","
            out += r.lower95.description; out += ","
            out += r.upper95.description; out += ","
            out += r.meanLower95.description; out += ","
            out += r.meanUpper95.description; out += "\n"
        }
        return out
    }
}

/// Fit files of loss-curve laws: the law's options and the schedule of each fitted curve
/// (its canonical spec) are kept in `settings`, under the law's own keys and
/// `schedule:NAME`, so `predict` can rebuild the fitted curves exactly.
extension FitFile {
    /// The settings key of a curve's schedule.
    public static func scheduleKey(_ curve: String) -> String { "schedule:\(curve)" }

    /// The curve law this file holds, with its options and loss, checked as `Fit(file:)`
    /// checks it; `invalidData` if it holds another law or parameters that do not match.
    public func curveLaw(file: String) throws -> any CurveFittingLaw {
        guard let type = LawRegistry.curveLaws.first(where: { $0.identifier == law }) else {
            throw ScaleFitError.invalidData(file: file, reason: "the fit file holds the \(law) law; this needs a loss-curve law (\(LawRegistry.curveLaws.map { $0.identifier }.joined(separator: " or ")))")
        }
        let curveLaw = try type.init(fitFile: self, source: file)
        guard curveLaw.parameterNames == parameterNames else {
            throw ScaleFitError.invalidData(file: file, reason: "parameters \(parameterNames) do not match the \(law) law's \(curveLaw.parameterNames)")
        }
        return curveLaw
    }

    /// The schedules the curves were fitted under, by curve name (sorted by name).
    public func fittedSchedules(file: String) throws -> [(curve: String, schedule: LRSchedule)] {
        let prefix = Self.scheduleKey("")
        return try (settings ?? [:]).filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map {
            (String($0.key.dropFirst(prefix.count)), try LRSchedule(spec: $0.value, flag: "\(file): \($0.key)"))
        }
    }

    /// The predicted loss at `steps` under `schedule` (the schedule is held at its last η
    /// past its end), with 95% intervals: the fit of the law the file names
    /// (`LawRegistry.fit`) predicting at a `.curve` query (`Fit.predict`: the delta method on
    /// log L with the law's analytic gradient, and the file's prediction noise). Steps are
    /// sorted and repeated ones merged.
    /// - Throws: `invalidData` for a file of another law or a negative step; `badArgument`
    ///   (`steps`, `schedule`) past `LRSchedule.maximumSteps`.
    public func predictCurve(schedule: LRSchedule, steps: [Int], file: String) throws -> [CurvePrediction] {
        let law = try curveLaw(file: file)
        // Steps from ranges come sorted and distinct: kept as they are, else sorted once.
        let sorted = zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 } ? steps : Array(Set(steps)).sorted()
        guard let last = sorted.last else { return [] }
        guard sorted[0] >= 0 else {
            throw ScaleFitError.invalidData(file: file, reason: "step \(sorted[0]) is negative")
        }
        // The values and gradients in one pass over the steps: `Fit.predict` gives the same
        // predictions (tested) but keeps a gradient array per step, which at 10⁶ steps costs
        // a third of the time.
        try LRSchedule.checkStep(last, argument: "steps")
        try LRSchedule.checkStep(schedule.totalSteps - 1, argument: "schedule")
        let rates = schedule.rates(count: max(schedule.totalSteps, last + 1))
        let (values, gradient) = law.predictWithGradient(rates: rates, steps: sorted, parameters: parameters)
        let n = sorted.count, p = parameters.count
        // The leave-one-curve-out fits' predictions at the same steps (`PredictionNoise.foldSpread`).
        let folds = foldParameters.map { law.predict(rates: rates, steps: sorted, parameters: $0) }
        var g = [Double](repeating: 0, count: p)
        return sorted.indices.map { j in
            let value = values[j]
            for k in 0..<p { g[k] = gradient[j + k * n] / value }
            let q = prediction(value: value, logGradient: g, foldValues: folds.count >= 2 ? folds.map { $0[j] } : nil,
                               extraVariance: noise?.horizonVariance(atStep: sorted[j]) ?? 0)
            return CurvePrediction(step: sorted[j], lr: rates[sorted[j]], loss: value, lower95: q.predictionLower,
                                   upper95: q.predictionUpper, meanLower95: q.lower, meanUpper95: q.upper)
        }
    }
}
