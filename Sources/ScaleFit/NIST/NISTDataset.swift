import Foundation

/// One problem of the NIST Statistical Reference Datasets for nonlinear least squares
/// (StRD, NIST ITL), as its `.dat` file states it: two starting vectors, the certified
/// parameters and their standard deviations, the certified residual sum of squares, and
/// the data.
///
/// The certified values are the minimiser of
///
/// ```
/// RSS(b) = Σᵢ (yᵢ − f(xᵢ; b))²,   residual SD = √(RSS / (m − n)),   m − n = degreesOfFreedom
/// ```
///
/// for the model named in the file (written in Swift in `NISTModels`; the model text of the
/// file is kept only for display). For Nelson the response of the model is log y: `response`
/// holds the raw y of the file, and the model takes the logarithm.
package struct NISTDataset: Sendable, Equatable {
    /// The dataset name as the file gives it ("Misra1a", "Nelson", …).
    package var name: String
    /// The model as the file writes it (display only).
    package var modelText: String
    /// The two certified starting vectors: Start 1 (far) and Start 2 (near).
    package var starts: [[Double]]
    /// The certified parameter values b₁…bₙ.
    package var certifiedValues: [Double]
    /// The certified standard deviations of the parameters.
    package var certifiedStandardDeviations: [Double]
    /// The certified residual sum of squares at `certifiedValues`.
    package var certifiedResidualSumOfSquares: Double
    /// The certified residual standard deviation √(RSS/(m − n)).
    package var certifiedResidualStandardDeviation: Double
    /// The degrees of freedom as the file states them, m − n except for Rat43, whose file
    /// says 9 where m − n = 11 (its certified residual SD is √(RSS/11)).
    package var degreesOfFreedom: Int
    /// The response y, one entry per observation, as in the file.
    package var response: [Double]
    /// The predictors, one array per predictor (x, or x1 and x2), each with one entry per
    /// observation.
    package var predictors: [[Double]]

    /// n, the number of parameters.
    package var parameterCount: Int { certifiedValues.count }
    /// m, the number of observations.
    package var observationCount: Int { response.count }

    package init(name: String, modelText: String, starts: [[Double]], certifiedValues: [Double],
                certifiedStandardDeviations: [Double], certifiedResidualSumOfSquares: Double,
                certifiedResidualStandardDeviation: Double, degreesOfFreedom: Int,
                response: [Double], predictors: [[Double]]) {
        self.name = name
        self.modelText = modelText
        self.starts = starts
        self.certifiedValues = certifiedValues
        self.certifiedStandardDeviations = certifiedStandardDeviations
        self.certifiedResidualSumOfSquares = certifiedResidualSumOfSquares
        self.certifiedResidualStandardDeviation = certifiedResidualStandardDeviation
        self.degreesOfFreedom = degreesOfFreedom
        self.response = response
        self.predictors = predictors
    }

    /// Reads a NIST StRD `.dat` file. Throws `ScaleFitError` naming the line and column of
    /// anything that does not parse.
    package init(contentsOf url: URL) throws {
        let data = try BoundedRead.contents(of: url.path, limit: 16 << 20, what: "the NIST file")
        guard !data.isEmpty else { throw ScaleFitError.emptyFile(file: url.path) }
        let text = String(decoding: data, as: UTF8.self)
        self = try NISTDatasetReader(text: text, file: url.path).read()
    }

    /// Parses the text of a NIST StRD `.dat` file; `file` names it in errors.
    package init(parsing text: String, file: String) throws {
        self = try NISTDatasetReader(text: text, file: file).read()
    }
}

/// The log relative error of a computed value against a certified one, as NIST StRD
/// solvers are judged (McCullough 1998; Mondragon & Borchers 2005):
///
/// ```
/// LRE(x, x*) = −log₁₀(|x − x*| / |x*|)      (−log₁₀|x| when x* = 0)
/// ```
///
/// clamped to [0, `cap`]: 11 by default, the digits NIST certifies; a NaN or infinite x
/// scores 0. Roughly, the number of leading digits x and x* share.
package func logRelativeError(_ value: Double, certified: Double, cap: Double = 11) -> Double {
    guard value.isFinite else { return 0 }
    let error = certified == 0 ? abs(value) : abs(value - certified) / abs(certified)
    if error == 0 { return cap }
    let lre = -log10(error)
    return min(max(lre, 0), cap)
}
