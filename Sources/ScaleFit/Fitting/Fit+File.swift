import Foundation

/// A fit as the versioned fit file (`*.fit.json`), and back.
extension Fit {
    /// The fit file of this fit.
    public var file: FitFile {
        var f = FitFile(law: L.identifier, formula: law.formula, parameterNames: parameterNames,
                        parameters: parameters, covariance: covariance, objective: objective,
                        loss: law.loss.spec, starts: search.startsTried, data: data,
                        variables: variables, settings: settings.isEmpty ? nil : settings)
        f.solver = summary
        f.diagnostics = diagnostics.isEmpty ? nil : diagnostics.map(\.description)
        f.noise = noise
        f.statistics = statistics
        if let b = bootstrap {
            f.bootstrap = FitFile.BootstrapSummary(samples: b.samples, failed: b.failed, seed: b.seed, compute: nil,
                                                   intervals: b.intervals, draws: b.draws)
        }
        return f
    }

    /// Writes the fit file to `path`.
    /// - Throws: `ScaleFitError.cannotWrite` naming the path.
    public func save(to path: String) throws {
        try file.write(to: path)
    }

    /// The fit in the fit file at `path`.
    /// - Throws: `invalidData` for a file that is not a fit file, holds another law or
    ///   parameters that do not match it; `unsupportedVersion` for a version this build
    ///   does not read.
    public static func load(path: String) throws -> Fit<L> {
        try Fit(file: try FitFile.read(path: path), source: path)
    }

    /// The fit a fit file holds; `source` names it in errors.
    public init(file f: FitFile, source: String = "fit file") throws {
        guard f.law == L.identifier else {
            throw ScaleFitError.invalidData(file: source, reason: "the fit file holds the \(f.law) law, not \(L.identifier)")
        }
        let law = try L(fitFile: f, source: source)
        guard law.parameterNames == f.parameterNames else {
            throw ScaleFitError.invalidData(file: source, reason: "parameters \(f.parameterNames) do not match the \(f.law) law's \(law.parameterNames)")
        }
        self.law = law
        parameters = f.parameters
        covariance = f.covariance
        standardErrors = (0..<f.parameters.count).map { i in
            let v = f.covariance[i, i]
            return v >= 0 ? v.squareRoot() : .nan
        }
        objective = f.objective
        rank = nil
        degreesOfFreedom = nil
        summary = f.solver
        search = SearchCounts(startsTried: f.starts, startsPolished: 0, startsConverged: 0, startsAtBest: 0, bestStart: 0)
        data = f.data
        goodness = nil
        diagnostics = []
        settings = f.settings ?? [:]
        variables = f.variables
        bootstrap = f.bootstrap.flatMap { b in
            b.draws.map { Bootstrap(samples: b.samples, failed: b.failed, seed: b.seed, intervals: b.intervals, draws: $0) }
        }
        noise = f.noise
        statistics = f.statistics
        if let saved = f.diagnostics, !saved.isEmpty { diagnostics = saved.map { .recorded($0) } }
    }
}
