import Foundation

/// The versioned fit file (`*.fit.json`) that `scalefit fit -o` writes and `predict` and
/// `optimal` read back: the law, its fitted parameters and their covariance, the objective,
/// a summary of the data and the options used.
///
/// Version 2 holds any law: `law` names it (`chinchilla`, `kaplan`, `power`, `annealing`,
/// `multipower`, `formula`, …), `parameterNames`/`parameters`/`covariance` are in the
/// law's own parametrisation, and the optional fields carry what a law needs beyond its
/// parameters to predict: `variables` (the input columns of a formula, in order) and
/// `settings` (law options as text, e.g. a curve law's momentum or the schedules it was
/// fitted under). Version 1 files (Chinchilla only, same fields) are still read. A reader
/// refuses any other version with `unsupportedVersion`.
public struct FitFile: Sendable, Codable, Equatable {
    /// The format version this build writes.
    public static let currentVersion = 2
    /// The versions this build reads.
    public static let readableVersions = [1, 2]

    /// Where the fitted data came from: the file, the rows used and the rows dropped.
    public struct DataSummary: Sendable, Codable, Equatable {
        /// The data file's path (or `<data>` for data given directly).
        public var file: String
        /// How many rows (observations) the fit used.
        public var rows: Int
        /// How many rows could not be used and were dropped.
        public var droppedRows: Int
        /// A summary of `rows` used and `droppedRows` dropped from `file`.
        public init(file: String, rows: Int, droppedRows: Int) {
            self.file = file; self.rows = rows; self.droppedRows = droppedRows
        }
    }

    /// The format version the file was written in (`currentVersion` for new files).
    public var formatVersion: Int
    /// The law's identifier (`chinchilla`, `kaplan`, `power`, …), which says how to read `parameters`.
    public var law: String
    /// The law in one line, with its options (`Law.formula`).
    public var formula: String
    /// The names of θ, in the law's own order.
    public var parameterNames: [String]
    /// θ, the fitted parameters in the law's parametrisation (e.g. Chinchilla's (e, a, b, α, β)).
    public var parameters: [Double]
    /// Scaled covariance of `parameters`.
    public var covariance: Matrix
    /// The fit's cost at its optimum (½·Σρ(rᵢ²); Σ Huber_δ(rᵢ) for a Huber loss).
    public var objective: Double
    /// The robust loss the fit minimised, as its spec (`RobustLoss.spec`).
    public var loss: String
    /// How many starting points the search tried.
    public var starts: Int
    /// The data the law was fitted to.
    public var data: DataSummary
    /// The input variables of the law, in the order its predictions take them (formulas).
    public var variables: [String]?
    /// Law options needed to predict (text values; each law documents its keys).
    public var settings: [String: String]?
    /// The bootstrap over runs, when one was made: resamples, failures, seed and the
    /// percentile intervals (Chinchilla: parameters and the compute-optimal allocation).
    public var bootstrap: BootstrapSummary?
    /// The winning solver run's summary (fits made through `Fit`).
    public var solver: FitSummary?
    /// What made the fit unsound, in words (absent when it was sound).
    public var diagnostics: [String]?
    /// The scatter of a new observation about the law, which turns the confidence band
    /// into a prediction interval (absent in files written before it was estimated).
    public var noise: PredictionNoise?
    /// AIC, BIC, reduced χ² and the correlation of the parameters (absent in older files).
    public var statistics: FitStatistics?

    /// What a fit file keeps of a bootstrap: enough to report its intervals again.
    public struct BootstrapSummary: Sendable, Codable, Equatable {
        /// How many resamples were drawn.
        public var samples: Int
        /// How many resamples were dropped because their refit failed.
        public var failed: Int
        /// The seed the resamples derive from.
        public var seed: UInt64
        /// The budget the allocation intervals are for (FLOPs), when there is one.
        public var compute: Double?
        /// The 2.5%, 50% and 97.5% percentiles of each reported quantity.
        public var intervals: [Bootstrap.Interval]
        /// θ of every converged resample (fits made through `Fit`), so intervals of any
        /// prediction or allocation can be made again from the file.
        public var draws: [[Double]]?

        /// What a Chinchilla bootstrap keeps: its counts, seed, budget and intervals (no draws).
        public init(_ b: ChinchillaBootstrap) {
            samples = b.samples; failed = b.failed; seed = b.seed; compute = b.compute; intervals = b.intervals
            draws = b.laws.isEmpty ? nil : b.laws.map(\.logParameters)
        }

        /// A summary given field by field.
        public init(samples: Int, failed: Int, seed: UInt64, compute: Double?, intervals: [Bootstrap.Interval],
                    draws: [[Double]]?) {
            self.samples = samples; self.failed = failed; self.seed = seed; self.compute = compute
            self.intervals = intervals; self.draws = draws
        }
    }

    /// A fit file for any law. `covariance` must be n×n for n parameters.
    public init(law: String, formula: String, parameterNames: [String], parameters: [Double],
                covariance: Matrix, objective: Double, loss: String, starts: Int, data: DataSummary,
                variables: [String]? = nil, settings: [String: String]? = nil) {
        precondition(parameterNames.count == parameters.count
                     && covariance.rows == parameters.count && covariance.columns == parameters.count,
                     "a fit file needs one name and one covariance row and column per parameter")
        formatVersion = Self.currentVersion
        self.law = law
        self.formula = formula
        self.parameterNames = parameterNames
        self.parameters = parameters
        self.covariance = covariance
        self.objective = objective
        self.loss = loss
        self.starts = starts
        self.data = data
        self.variables = variables
        self.settings = settings
    }

    /// The Chinchilla law this file holds, or `invalidData` naming the law it holds instead.
    public func chinchilla(file: String) throws -> ChinchillaLaw.Parameters {
        try require(law: ChinchillaLaw.identifier, parameters: 5, file: file, for: "this needs")
        return ChinchillaLaw.Parameters(logParameters: parameters)
    }

    /// Throws `invalidData` unless the file holds `identifier` with `count` parameters.
    public func require(law identifier: String, parameters count: Int, file: String, for purpose: String) throws {
        guard law == identifier, parameters.count == count else {
            throw ScaleFitError.invalidData(file: file, reason: "the fit file holds the \(law) law with \(parameters.count) parameters; \(purpose) a \(identifier) fit (\(count) parameters)")
        }
    }

    /// Deterministic JSON (sorted keys; ±∞ and NaN as strings).
    public func encoded() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try enc.encode(self)
    }

    /// Writes `encoded()` to `path`; `cannotWrite` (exit 74) naming the path if it cannot.
    public func write(to path: String) throws {
        do { try encoded().write(to: URL(fileURLWithPath: path)) } catch {
            throw ScaleFitError.cannotWrite(path: path, reason: "cannot write the fit file: \(error.localizedDescription)")
        }
    }

    /// Reads and checks a fit file (`validate(file:)`). Throws `invalidData` for unreadable or
    /// malformed JSON or a value that fails a check, naming its JSON path, and
    /// `unsupportedVersion` for a version this build does not read.
    public static func read(path: String) throws -> FitFile {
        return try decode(try BoundedRead.contents(of: path, what: "the fit file"), file: path)
    }

    /// Decodes and checks a fit file's bytes (`file` names it in errors): `invalidData` for JSON
    /// that is not a fit file or whose names, parameters and covariance disagree (or a version-1
    /// file that is not Chinchilla's), `unsupportedVersion` for a version this build does not read.
    public static func decode(_ data: Data, file: String) throws -> FitFile {
        struct Version: Decodable { let formatVersion: Int? }
        guard let v = try? JSONDecoder().decode(Version.self, from: data) else {
            throw ScaleFitError.invalidData(file: file, reason: "not a scalefit fit file (not a JSON object)")
        }
        guard let version = v.formatVersion else {
            throw ScaleFitError.invalidData(file: file, reason: "not a scalefit fit file (no formatVersion)")
        }
        guard readableVersions.contains(version) else {
            throw ScaleFitError.unsupportedVersion(file: file, found: version, supported: currentVersion)
        }
        let dec = JSONDecoder()
        dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            let f = try dec.decode(FitFile.self, from: data)
            if version == 1 { try f.require(law: ChinchillaLaw.identifier, parameters: 5, file: file, for: "a version-1 file must be") }
            try f.validate(file: file)
            return f
        } catch let e as ScaleFitError {
            throw e
        } catch let e as DecodingError {
            throw ScaleFitError.invalidData(file: file, reason: "malformed fit file: \(describe(e))")
        } catch {
            throw ScaleFitError.invalidData(file: file, reason: "malformed fit file: \(error)")
        }
    }

    /// The 95% delta-method interval of a positive prediction ŷ whose log has gradient
    /// `g` = ∂log ŷ/∂θ: sd = √(gᵀΣg), interval ŷ·exp(±1.96·sd).
    public func logNormalInterval(value: Double, logGradient g: [Double]) -> (lower: Double, upper: Double) {
        let p = prediction(value: value, logGradient: g)
        return (p.lower, p.upper)
    }

    /// ŷ with its 95% confidence band and prediction interval (`Prediction`, with this
    /// file's `noise`), from ∂log ŷ/∂θ.
    /// `foldValues`: the predictions of the noise's `foldParameters` at the same point.
    /// `extraVariance`: the horizon term (`PredictionNoise.horizonVariance(atStep:)`).
    public func prediction(value: Double, logGradient g: [Double], level: Double = 0.95, foldValues: [Double]? = nil,
                           extraVariance: Double = 0) -> Prediction {
        precondition(g.count == parameters.count, "one gradient entry per parameter")
        return Prediction(LawValue(value: value, logGradient: g), covariance: covariance, level: level, noise: noise,
                          foldValues: foldValues, extraVariance: extraVariance)
    }

    /// The noise's fold parameters that fit this file's law (one entry per parameter), or none.
    var foldParameters: [[Double]] {
        (noise?.foldParameters ?? []).filter { $0.count == parameters.count }
    }

    /// The Chinchilla prediction at (N, D) with a 95% interval from the parameter covariance
    /// by the delta method on log L: g = ∂log L/∂θ (the softmax weights of the LSE form).
    /// Throws `invalidData` if the file holds another law.
    public func predict(parameters n: Double, tokens d: Double, file: String = "fit file") throws -> (loss: Double, lower: Double, upper: Double) {
        let p = try chinchillaPrediction(N: n, D: d, file: file)
        return (p.value, p.lower, p.upper)
    }

    /// The Chinchilla prediction at (N, D) with its confidence band and prediction interval
    /// (`Prediction`, with this file's `noise`).
    public func chinchillaPrediction(N n: Double, D d: Double, file: String = "fit file") throws -> Prediction {
        _ = try chinchilla(file: file)
        let (logL, w1, w2, w3) = ChinchillaLogProblem.logLoss(parameters, logN: log(n), logD: log(d))
        let loss = exp(logL)
        guard loss.isFinite else {
            throw ScaleFitError.invalidData(file: file, reason: "the prediction at N = \(n), D = \(d) is \(loss), not a finite loss")
        }
        let folds = foldParameters.map { exp(ChinchillaLogProblem.logLoss($0, logN: log(n), logD: log(d)).0) }
        return prediction(value: loss, logGradient: [w3, w1, w2, -w1 * log(n), -w2 * log(d)],
                          foldValues: folds.count >= 2 ? folds : nil)
    }
}
