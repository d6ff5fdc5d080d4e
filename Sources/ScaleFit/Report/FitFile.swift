import Foundation

/// The versioned fit file (`*.fit.json`) that `scalefit fit -o` writes and `predict` and
/// `optimal` read back: the law, its fitted parameters and their covariance, the objective,
/// a summary of the data and the options used.
///
/// Version 1 holds the Chinchilla law in its fitted (log-space) parameters
/// (e, a, b, α, β). A reader refuses any other version with `unsupportedVersion`.
public struct FitFile: Sendable, Codable, Equatable {
    /// The format version this build writes and reads.
    public static let currentVersion = 1

    public struct DataSummary: Sendable, Codable, Equatable {
        public var file: String
        public var rows: Int
        public var droppedRows: Int
        public init(file: String, rows: Int, droppedRows: Int) {
            self.file = file; self.rows = rows; self.droppedRows = droppedRows
        }
    }

    public var formatVersion: Int
    public var law: String
    public var formula: String
    public var parameterNames: [String]
    public var parameters: [Double]
    /// Scaled covariance of `parameters`.
    public var covariance: Matrix
    public var objective: Double
    public var loss: String
    public var starts: Int
    public var data: DataSummary

    public init(chinchilla fit: ChinchillaFit, loss: RobustLoss, data: DataSummary) throws {
        formatVersion = Self.currentVersion
        law = ChinchillaLaw.identifier
        formula = ChinchillaLaw.formula
        parameterNames = ChinchillaLaw.parameterNames
        parameters = fit.logParameters
        covariance = try ParameterCovariance(result: fit.multiStart.best).scaled
        objective = fit.objective
        self.loss = loss.spec
        starts = fit.multiStart.finalCosts.count
        self.data = data
    }

    /// The Chinchilla law this file holds.
    public var chinchilla: ChinchillaLaw { ChinchillaLaw(logParameters: parameters) }

    /// Deterministic JSON (sorted keys; ±∞ and NaN as strings).
    public func encoded() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try enc.encode(self)
    }

    /// Reads and checks a fit file. Throws `invalidData` for unreadable or malformed JSON and
    /// `unsupportedVersion` for a version this build does not read.
    public static func read(path: String) throws -> FitFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScaleFitError.invalidData(file: path, reason: "cannot open the fit file")
        }
        return try decode(data, file: path)
    }

    public static func decode(_ data: Data, file: String) throws -> FitFile {
        struct Version: Decodable { let formatVersion: Int? }
        guard let v = try? JSONDecoder().decode(Version.self, from: data) else {
            throw ScaleFitError.invalidData(file: file, reason: "not a scalefit fit file (not a JSON object)")
        }
        guard let version = v.formatVersion else {
            throw ScaleFitError.invalidData(file: file, reason: "not a scalefit fit file (no formatVersion)")
        }
        guard version == currentVersion else {
            throw ScaleFitError.unsupportedVersion(file: file, found: version, supported: currentVersion)
        }
        let dec = JSONDecoder()
        dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            let f = try dec.decode(FitFile.self, from: data)
            guard f.law == ChinchillaLaw.identifier, f.parameters.count == 5,
                  f.covariance.rows == 5, f.covariance.columns == 5 else {
                throw ScaleFitError.invalidData(file: file, reason: "fit file for law \"\(f.law)\" with \(f.parameters.count) parameters; this build predicts from chinchilla fits (5 parameters)")
            }
            return f
        } catch let e as ScaleFitError {
            throw e
        } catch {
            throw ScaleFitError.invalidData(file: file, reason: "malformed fit file: \(error)")
        }
    }

    /// The predicted loss at (N, D) with a 95% interval from the parameter covariance by the
    /// delta method on log L: with g = ∂log L/∂θ (the softmax weights of the LSE form),
    /// sd = √(gᵀΣg), interval L̂·exp(±1.96·sd).
    public func predict(parameters n: Double, tokens d: Double) -> (loss: Double, lower: Double, upper: Double) {
        let (logL, w1, w2, w3) = ChinchillaLogProblem.logLoss(parameters, logN: log(n), logD: log(d))
        let loss = exp(logL)
        let g = [w3, w1, w2, -w1 * log(n), -w2 * log(d)]
        var v = 0.0
        for i in 0..<5 { for j in 0..<5 { v += g[i] * covariance[i, j] * g[j] } }
        let sd = max(v, 0).squareRoot()
        return (loss, loss * exp(-1.959963984540054 * sd), loss * exp(1.959963984540054 * sd))
    }
}
