import Foundation

/// Runs a backtest can split: independent runs, each at a point the law predicts at (a
/// model size (N, D), a value of x), with the source line and label it came from.
public protocol HoldoutObservations: GroupedObservations, ResamplableObservations {
    /// Where the law is asked at one run.
    associatedtype Point: Sendable
    /// Each run's point, in the order of `observed`.
    var points: [Point] { get }
    /// Each run's 1-based source line.
    var lines: [Int] { get }
    /// Whether each run is held out by `holdout`.
    /// - Throws: `badArgument` (`holdout`) for a holdout the runs cannot apply (`compute>`
    ///   without model sizes and tokens).
    func heldOut(by holdout: PowerLawHoldout) throws -> [Bool]
}

extension ModelRuns: HoldoutObservations {
    /// (N, D) of each run.
    public var points: [ModelSize] { zip(N, D).map { ModelSize(N: $0, D: $1) } }
    /// `PowerLawHoldout.heldOut(parameters:tokens:)`.
    public func heldOut(by holdout: PowerLawHoldout) throws -> [Bool] { holdout.heldOut(parameters: N, tokens: D) }
}

extension PowerLawRuns: HoldoutObservations {
    /// x of each run.
    public var points: [Double] { x }
    /// `largest:K` holds out the runs at the K largest values of x, `random:F` a seeded
    /// fraction; `compute>X` needs N and D, which one column does not give.
    public func heldOut(by holdout: PowerLawHoldout) throws -> [Bool] {
        if case .computeAbove = holdout {
            throw ScaleFitError.badArgument(flag: "holdout", position: 1,
                                            expected: "largest[:K] (the K largest values of \(variable)) or random:F for a law of one variable",
                                            found: holdout.spec)
        }
        return holdout.heldOut(parameters: x, tokens: x)
    }
}

/// A backtest of any law fitted to runs: the law fitted (by its own search) to the runs a
/// `PowerLawHoldout` keeps, its prediction noise estimated on those runs alone
/// (`Fit.predictionNoise`), and every run predicted with its 95% prediction interval and
/// confidence band — the held-out runs scored (errors e = predicted − observed, and how many
/// fall inside each interval), the fitted ones in-sample for comparison.
///
/// ```swift
/// let b = try LawBacktest(KaplanLaw(), to: runs, holdout: .largest(count: 1))
/// b.heldOutErrors.meanAbsoluteError; b.coverage?.predictionInterval
/// ```
public struct LawBacktest<L: Law>: Sendable where L.Observations: HoldoutObservations, L.Query == [L.Observations.Point] {
    /// What was held out.
    public var holdout: PowerLawHoldout
    /// The fit to the kept runs, with its prediction noise.
    public var fit: Fit<L>
    /// Whether each run of the data was held out.
    public var heldOut: [Bool]
    /// Each run's prediction by the fit to the kept runs, in the data's order.
    public var predictions: [Prediction]
    /// The errors on the held-out runs.
    public var heldOutErrors: PredictionErrors
    /// The errors on the fitted runs (in-sample).
    public var fittedErrors: PredictionErrors
    /// The shares of held-out runs inside their 95% prediction interval and band.
    public var coverage: BacktestCoverage?

    /// Fits `law` on the runs of `data` that `holdout` keeps and predicts every run.
    /// - Throws: `invalidData` naming the holdout when it holds out no run or leaves no more
    ///   runs than the law's free parameters; `badArgument` for a holdout the runs cannot
    ///   apply; the fit's errors.
    public init(_ law: L, to data: L.Observations, holdout: PowerLawHoldout) throws {
        let held = try data.heldOut(by: holdout)
        let kept = held.indices.filter { !held[$0] }
        let free = law.parameterNames.count - (law.fixed ?? []).filter { $0 }.count
        guard kept.count < held.count else {
            throw ScaleFitError.invalidData(file: data.summary.file, reason: "holdout \(holdout.spec) holds out no run (\(held.count) runs)")
        }
        guard kept.count > free else {
            throw ScaleFitError.invalidData(file: data.summary.file, reason: "holdout \(holdout.spec) leaves \(kept.count) runs to fit; the \(L.identifier) law's \(free) parameters need at least \(free + 1)")
        }
        let keptRuns = data.resampled(kept)
        var fit = try Fit(law, to: keptRuns)
        fit.noise = fit.predictionNoise(keptRuns)
        self.holdout = holdout
        self.fit = fit
        heldOut = held
        let all = try fit.predict(data.points)
        predictions = all
        let observed = data.observed
        let scored = held.indices.filter { held[$0] }
        heldOutErrors = PredictionErrors(observed: scored.map { observed[$0] }, predicted: scored.map { all[$0].value })
        fittedErrors = PredictionErrors(observed: kept.map { observed[$0] }, predicted: kept.map { all[$0].value })
        coverage = BacktestCoverage(observed: scored.map { observed[$0] }, predictions: scored.map { all[$0] })
    }
}

/// How many observed values fall inside their predictions' 95% prediction interval and
/// confidence band.
public struct BacktestCoverage: Sendable, Codable, Equatable {
    /// The points scored.
    public var points: Int
    /// The share inside the prediction interval.
    public var predictionInterval: Double
    /// The share inside the confidence band of the law's value.
    public var confidenceBand: Double

    /// The shares of `observed` inside each prediction's intervals; nil for no points.
    public init?(observed: [Double], predictions: [Prediction]) {
        guard !observed.isEmpty, observed.count == predictions.count else { return nil }
        let inside = zip(observed, predictions).filter { $1.predictionLower <= $0 && $0 <= $1.predictionUpper }.count
        let inBand = zip(observed, predictions).filter { $1.lower <= $0 && $0 <= $1.upper }.count
        points = observed.count
        predictionInterval = Double(inside) / Double(observed.count)
        confidenceBand = Double(inBand) / Double(observed.count)
    }

    /// `coverage of the 74 held-out runs: 95% prediction interval 98.6%, 95% confidence band of the law's value 79.7%`.
    public func sentence(of what: String) -> String {
        let pct = { (x: Double) in formatSignificant(100 * x, digits: 3) + "%" }
        return "coverage of the \(points) \(what): 95% prediction interval \(pct(predictionInterval)), 95% confidence band of the law's value \(pct(confidenceBand))"
    }
}

/// A backtest of the multilingual law, as `LawBacktest` is for the laws on the protocol: the
/// families fitted (`MultilingualFit`, each alone) on the rows a `PowerLawHoldout` keeps
/// (largest model sizes, C = 6ND above a budget, or a seeded fraction of rows), the noise
/// estimated on those rows alone (`MultilingualFit.predictionNoise`), and every row
/// predicted with its 95% prediction interval and band through the whole mix's fit
/// (`MultilingualMixFit`).
public struct MultilingualBacktest: Sendable {
    /// What was held out.
    public var holdout: PowerLawHoldout
    /// The fit to the kept rows.
    public var fit: MultilingualFit
    /// The same fit as the whole mix's, its file with the noise of the kept rows.
    public var mix: MultilingualMixFit
    /// Whether each row of the data was held out.
    public var heldOut: [Bool]
    /// Each row's prediction, in the data's order.
    public var predictions: [Prediction]
    /// The errors on the held-out rows.
    public var heldOutErrors: PredictionErrors
    /// The errors on the fitted rows (in-sample).
    public var fittedErrors: PredictionErrors
    /// The shares of held-out rows inside their intervals.
    public var coverage: BacktestCoverage?

    /// Fits on the rows `holdout` keeps and predicts every row.
    /// - Throws: `invalidData` when nothing is held out, or the kept rows cannot identify a
    ///   family (`MultilingualFit`'s message); the fit's errors.
    public init(data: MultilingualData, holdout: PowerLawHoldout, options: MultilingualFitOptions = MultilingualFitOptions()) throws {
        let held = holdout.heldOut(parameters: data.parameters, tokens: data.tokens)
        let kept = held.indices.filter { !held[$0] }
        guard kept.count < held.count else {
            throw ScaleFitError.invalidData(file: data.file, reason: "holdout \(holdout.spec) holds out no row (\(held.count) rows)")
        }
        let keptRows = data.resampled(kept)
        let fit = try MultilingualFit(data: keptRows, options: options)
        var file = FitFile(multilingual: fit, data: .init(file: data.file, rows: kept.count, droppedRows: data.droppedRowCount))
        file.noise = fit.predictionNoise(keptRows)
        mix = try MultilingualMixFit(file: file, source: data.file)
        let points = data.family.indices.map { i in
            MultilingualFamilyPoint(family: data.familyNames[data.family[i]],
                                    point: MultilingualPoint(parameters: data.parameters[i], tokens: data.tokens[i], ratio: data.ratios[i]))
        }
        let all = try mix.predict(.families(points), level: 0.95)
        self.holdout = holdout
        self.fit = fit
        heldOut = held
        predictions = all
        let scored = held.indices.filter { held[$0] }
        heldOutErrors = PredictionErrors(observed: scored.map { data.loss[$0] }, predicted: scored.map { all[$0].value })
        fittedErrors = PredictionErrors(observed: kept.map { data.loss[$0] }, predicted: kept.map { all[$0].value })
        coverage = BacktestCoverage(observed: scored.map { data.loss[$0] }, predictions: scored.map { all[$0] })
    }
}
