import Foundation

/// Which runs a power-law backtest holds out: the runs of the largest model sizes, the
/// runs above a compute budget (C = 6·N·D FLOPs), or a seeded random fraction.
public enum PowerLawHoldout: Sendable, Equatable {
    /// The runs of the `count` largest distinct model sizes N.
    case largest(count: Int)
    /// The runs with C = 6·N·D strictly above `compute` FLOPs.
    case computeAbove(Double)
    /// `round(fraction · runs)` runs (at least one) drawn without replacement by a
    /// `SeededGenerator(seed:)` Fisher–Yates shuffle: same seed, same runs.
    case random(fraction: Double, seed: UInt64)

    /// Parses `largest`, `largest:K`, `compute>X` and `random:F` (0 < F < 1); the error
    /// names `flag` and the character position.
    public init(spec: String, seed: UInt64 = 0, flag: String = "holdout") throws {
        let expected = "largest[:K], compute>FLOPS or random:FRACTION (e.g. largest:2, compute>1e21, random:0.2)"
        if spec == "largest" { self = .largest(count: 1); return }
        if spec.hasPrefix("largest:") {
            let text = spec.dropFirst("largest:".count)
            guard let k = Int(text), k >= 1 else {
                throw ScaleFitError.badArgument(flag: flag, position: 9, expected: "a positive number of model sizes after largest:", found: spec)
            }
            self = .largest(count: k); return
        }
        if spec.hasPrefix("compute>") {
            let text = spec.dropFirst("compute>".count)
            guard let c = Double(text), c.isFinite, c >= 0 else {
                throw ScaleFitError.badArgument(flag: flag, position: 9, expected: "a number of FLOPs after compute> (e.g. 1e21)", found: spec)
            }
            self = .computeAbove(c); return
        }
        if spec.hasPrefix("random:") {
            let text = spec.dropFirst("random:".count)
            guard let f = Double(text), f > 0, f < 1 else {
                throw ScaleFitError.badArgument(flag: flag, position: 8, expected: "a fraction strictly between 0 and 1 after random:", found: spec)
            }
            self = .random(fraction: f, seed: seed); return
        }
        throw ScaleFitError.badArgument(flag: flag, position: 1, expected: expected, found: spec)
    }

    /// What is held out, in words ("the runs of the largest model size (N = 1.6e+09)").
    public var description: String {
        switch self {
        case .largest(let k): return k == 1 ? "the runs of the largest model size" : "the runs of the \(k) largest model sizes"
        case .computeAbove(let c): return "the runs with C = 6ND > \(formatSignificant(c, digits: 3)) FLOPs"
        case let .random(f, seed): return "a random \(formatSignificant(f, digits: 3)) of the runs (seed \(seed))"
        }
    }

    /// Whether each run is held out. `largest` with K at least the number of distinct
    /// sizes holds out every run; the caller checks enough runs remain.
    public func heldOut(parameters n: [Double], tokens d: [Double]) -> [Bool] {
        switch self {
        case .largest(let k):
            let sizes = Array(Set(n)).sorted(by: >)
            guard let cut = sizes.prefix(k).last else { return n.map { _ in false } }
            return n.map { $0 >= cut }
        case .computeAbove(let c):
            return zip(n, d).map { 6 * $0 * $1 > c }
        case let .random(f, seed):
            var order = Array(n.indices)
            var g = SeededGenerator(seed: seed)
            if order.count > 1 {
                for i in stride(from: order.count - 1, to: 0, by: -1) {
                    let j = Int(g.next() % UInt64(i + 1))
                    order.swapAt(i, j)
                }
            }
            let count = n.isEmpty ? 0 : min(n.count, max(1, Int((f * Double(n.count)).rounded())))
            var out = n.map { _ in false }
            for i in order.prefix(count) { out[i] = true }
            return out
        }
    }
}

/// The error of a law's predictions on a set of runs, with e = predicted − observed:
///
/// ```
/// MAE = mean |e|,  RMSE = sqrt(mean e²),  mean abs rel = mean |e| / observed,
/// max abs = max |e|,  max abs rel = max |e| / observed
/// ```
public struct PredictionErrors: Sendable, Codable, Equatable {
    /// How many runs were scored.
    public var runs: Int
    /// MAE = mean |e|, in loss units.
    public var meanAbsoluteError: Double
    /// RMSE = √ mean e², in loss units.
    public var rootMeanSquaredError: Double
    /// mean |e| / observed.
    public var meanAbsoluteRelativeError: Double
    /// max |e|, in loss units.
    public var maxAbsoluteError: Double
    /// max |e| / observed.
    public var maxAbsoluteRelativeError: Double

    /// The errors e = predicted − observed over the runs, pair by pair (all 0 for no runs).
    public init(observed: [Double], predicted: [Double]) {
        let e = zip(predicted, observed).map { $0 - $1 }
        let m = Double(max(1, e.count))
        runs = e.count
        meanAbsoluteError = e.map(abs).reduce(0, +) / m
        rootMeanSquaredError = (e.map { $0 * $0 }.reduce(0, +) / m).squareRoot()
        let rel = zip(e, observed).map { abs($0) / $1 }
        meanAbsoluteRelativeError = rel.reduce(0, +) / m
        maxAbsoluteError = e.map(abs).max() ?? 0
        maxAbsoluteRelativeError = rel.max() ?? 0
    }
}

/// A Chinchilla backtest: fit L = E + A/N^α + B/D^β (Hoffmann's Huber objective and grid)
/// on the runs a `PowerLawHoldout` keeps, and score the law's prediction of the held-out
/// runs — the Hitchhiker's Guide's way to judge a law by its extrapolation. The fit, its
/// noise and the intervals are `LawBacktest<ChinchillaLaw>`'s (the one backtest of a law
/// fitted to runs); this adds the law's values (E, A, B, α, β) and C = 6ND per run.
public struct PowerLawBacktest: Sendable, Encodable {
    /// One run with the backtest law's value at it; error = predicted − observed,
    /// relativeError = error / observed.
    public struct Run: Sendable, Codable, Equatable {
        /// The run's 1-based line in the data file.
        public var line: Int
        /// The run's name (the run column) or `line K`.
        public var label: String
        /// N, the run's model size (parameters).
        public var parameters: Double
        /// D, the tokens the run was trained on.
        public var tokens: Double
        /// C = 6·N·D, FLOPs.
        public var compute: Double
        /// The run's observed final loss.
        public var observed: Double
        /// L(N, D) of the backtest law at the run.
        public var predicted: Double
        /// predicted − observed.
        public var error: Double
        /// (predicted − observed) / observed.
        public var relativeError: Double
        /// Whether the run was held out (scored) rather than used in the fit.
        public var heldOut: Bool
    }

    /// What was held out, in words (`PowerLawHoldout.description`).
    public var holdout: String
    /// The law fitted on the kept runs: (E, A, B, α, β).
    public var law: ChinchillaLaw.Parameters
    /// The fit on the kept runs (its search and covariance; not encoded).
    public var fit: Fit<ChinchillaLaw>
    /// Σ Huber_δ(rᵢ) of the fit at its optimum, summed directly at θ (`ChinchillaReport`'s objective).
    public var objectiveValue: Double
    /// Why the fit's winning run stopped.
    public var summary: FitSummary
    /// Every run, the fitted ones first, each part in input order.
    public var runs: [Run]
    /// The held-out runs' errors.
    public var heldOutErrors: PredictionErrors
    /// The fitted runs' errors (in-sample residuals).
    public var fittedErrors: PredictionErrors
    /// Each run's prediction with its 95% prediction interval (the noise estimated on the
    /// kept runs) and band, in `runs` order.
    public var predictions: [Prediction]
    /// The shares of held-out runs inside their intervals.
    public var coverage: BacktestCoverage?

    enum CodingKeys: String, CodingKey {
        case holdout, law, objectiveValue, summary, runs, heldOutErrors, fittedErrors, coverage
    }

    /// Fits on the runs `holdout` keeps and predicts the others. Throws `invalidData`
    /// when nothing is held out or fewer than 6 runs remain to fit (5 parameters).
    public init(parameters n: [Double], tokens d: [Double], loss: [Double], lines: [Int], labels: [String],
                holdout: PowerLawHoldout, delta: Double = 1e-3, starts: [[Double]] = ChinchillaLaw.hoffmannGrid,
                file: String = "data") throws {
        let held = holdout.heldOut(parameters: n, tokens: d)
        let kept = held.indices.filter { !held[$0] }
        guard kept.count < n.count else {
            throw ScaleFitError.invalidData(file: file, reason: "holdout \(holdout.spec) holds out no run (\(n.count) runs, largest C = 6ND is \(formatSignificant(zip(n, d).map { 6 * $0 * $1 }.max() ?? 0, digits: 3)) FLOPs)")
        }
        guard kept.count >= 6 else {
            throw ScaleFitError.invalidData(file: file, reason: "holdout \(holdout.spec) leaves \(kept.count) runs to fit; Chinchilla's 5 parameters need at least 6")
        }
        var all = try ModelRuns(N: n, D: d, loss: loss, labels: labels, file: file)
        all.lines = lines
        // The one backtest of a law fitted to runs, with Hoffmann's objective and grid.
        let generic = try LawBacktest(ChinchillaLaw(loss: .huber(scale: delta), grid: starts), to: all, holdout: holdout)
        let fit = generic.fit
        let law = fit.values
        guard let summary = fit.summary else { throw ScaleFitError.fitFailed(reason: "the backtest fit has no solver summary") }
        self.fit = fit
        self.holdout = holdout.description
        self.law = law
        objectiveValue = ChinchillaLogProblem(parameters: kept.map { n[$0] }, tokens: kept.map { d[$0] }, loss: kept.map { loss[$0] })
            .huberObjective(at: fit.parameters, delta: delta)
        self.summary = summary
        let order = kept + held.indices.filter { held[$0] }
        // The law as printed (E, A, B, α, β) at each run: `generic.predictions` to the last ulp.
        runs = order.map { i in
            let p = law.loss(parameters: n[i], tokens: d[i])
            return Run(line: lines[i], label: labels[i], parameters: n[i], tokens: d[i], compute: 6 * n[i] * d[i],
                       observed: loss[i], predicted: p, error: p - loss[i], relativeError: (p - loss[i]) / loss[i],
                       heldOut: held[i])
        }
        predictions = order.map { generic.predictions[$0] }
        let scored = runs.filter(\.heldOut), fitted = runs.filter { !$0.heldOut }
        heldOutErrors = PredictionErrors(observed: scored.map(\.observed), predicted: scored.map(\.predicted))
        fittedErrors = PredictionErrors(observed: fitted.map(\.observed), predicted: fitted.map(\.predicted))
        coverage = generic.coverage
    }
}

extension PowerLawHoldout {
    /// The spec this holdout parses from.
    public var spec: String {
        switch self {
        case .largest(let k): return "largest:\(k)"
        case .computeAbove(let c): return "compute>\(c)"
        case .random(let f, _): return "random:\(f)"
        }
    }
}

/// How a Chinchilla fit's prediction of the largest model size converges as sizes are
/// added: fit on the runs of the smallest k distinct sizes, k = k₀…n (k₀ the first k with
/// at least 6 runs), and predict every run of the largest size. The last row (k = n)
/// includes those runs in the fit.
public struct PowerLawSweep: Sendable, Codable, Equatable {
    /// One fit of the sweep: on the runs of the smallest `sizes` distinct model sizes.
    public struct Step: Sendable, Codable, Equatable {
        /// Distinct model sizes used (the smallest `sizes`), the largest of them, runs used.
        public var sizes: Int
        /// N of the largest model size in this fit.
        public var largestSizeUsed: Double
        /// How many runs this fit used.
        public var runs: Int
        /// The law fitted on those runs: (E, A, B, α, β).
        public var law: ChinchillaLaw.Parameters
        /// The law at each target run, in `targets` order.
        public var predicted: [Double]
        /// The errors of `predicted` on the target runs.
        public var errors: PredictionErrors
        /// Whether the target runs were in this fit.
        public var targetsInFit: Bool
    }

    /// The runs of the largest model size.
    public var targets: [PowerLawBacktest.Run]
    /// One fit per k = k₀…n, fewest sizes first.
    public var steps: [Step]

    /// Fits on growing sets of model sizes (runs with model size `n`, tokens `d`, final loss
    /// `loss`, Huber(`delta`) from `starts`) and predicts the largest size's runs. Throws
    /// `invalidData` for fewer than 2 distinct sizes, or fewer than 6 runs below the largest.
    public init(parameters n: [Double], tokens d: [Double], loss: [Double], lines: [Int], labels: [String],
                delta: Double = 1e-3, starts: [[Double]] = ChinchillaLaw.hoffmannGrid, file: String = "data") throws {
        let sizes = Array(Set(n)).sorted()
        guard sizes.count >= 2 else {
            throw ScaleFitError.invalidData(file: file, reason: "a sweep over model sizes needs at least 2 distinct model sizes, found \(sizes.count)")
        }
        let targetIndices = n.indices.filter { n[$0] == sizes.last! }
        guard let first = (1...sizes.count).first(where: { k in n.filter { $0 <= sizes[k - 1] }.count >= 6 }),
              first < sizes.count else {
            throw ScaleFitError.invalidData(file: file, reason: "a sweep over model sizes: the sizes below the largest have fewer than 6 runs; Chinchilla's 5 parameters need at least 6")
        }
        let observed = targetIndices.map { loss[$0] }
        steps = try (first...sizes.count).map { k in
            let use = n.indices.filter { n[$0] <= sizes[k - 1] }
            let runs = try ModelRuns(N: use.map { n[$0] }, D: use.map { d[$0] }, loss: use.map { loss[$0] }, file: file)
            let law = try Fit(ChinchillaLaw(loss: .huber(scale: delta), grid: starts), to: runs).values
            let predicted = targetIndices.map { law.loss(parameters: n[$0], tokens: d[$0]) }
            return Step(sizes: k, largestSizeUsed: sizes[k - 1], runs: use.count, law: law, predicted: predicted,
                        errors: PredictionErrors(observed: observed, predicted: predicted), targetsInFit: k == sizes.count)
        }
        let last = steps.last!.law
        targets = targetIndices.map { i in
            let p = last.loss(parameters: n[i], tokens: d[i])
            return PowerLawBacktest.Run(line: lines[i], label: labels[i], parameters: n[i], tokens: d[i], compute: 6 * n[i] * d[i],
                                        observed: loss[i], predicted: p, error: p - loss[i], relativeError: (p - loss[i]) / loss[i],
                                        heldOut: false)
        }
    }
}
