import Foundation

// The front door for scripts: read a file, fit a law, predict, save.
//
// ```swift
// import ScaleFit
// let fit = try ScaleFit.fit(file: "Data/runs.csv", law: ChinchillaLaw())
// print(fit.parameterNames, fit.parameters, fit.standardErrors)
// let p = try fit.predict(N: 7e10, D: 1.4e12)                  // p.value, p.lower, p.upper
// let a = fit.optimalAllocation(compute: 5.76e23)               // N*, D*, tokens per parameter
// try fit.save(to: "runs.fit.json")
// ```

/// Reads the log at `path` (CSV, JSON Lines, a trainer state, a W&B export or run, TensorBoard
/// events, a directory of them; `-` for standard input) and fits `law` to it.
/// - Parameters:
///   - options: columns by role, strictness, and for curve laws the schedules.
/// - Throws: `ScaleFitError` naming the file, line and column of bad data, or why the fit
///   could not be made.
public func fit<L: Law>(file path: String, law: L, options: TableOptions = TableOptions()) throws -> Fit<L> {
    try fit(files: [path], law: law, options: options)
}

/// Reads several logs (files, directories, `-`; a run per file) through `LogReader` and fits
/// `law` to them all. `options.reading` chooses the format, steps and runs; its columns and
/// `options.columns` name the same roles (the latter win).
public func fit<L: Law>(files paths: [String], law: L, options: TableOptions = TableOptions()) throws -> Fit<L> {
    var reading = options.reading
    reading.strict = reading.strict || options.strict
    let table = try LogReader.read(inputs: paths, options: reading).table
    return try Fit(law, to: try law.observations(from: table, options: options))
}

/// Fits `law` to observations already in memory (`ModelRuns`, `PowerLawRuns`, `LossCurves`).
public func fit<L: Law>(_ data: L.Observations, law: L) throws -> Fit<L> {
    try Fit(law, to: data)
}

extension Fit where L == ChinchillaLaw {
    /// E, A, B, α, β.
    public var values: ChinchillaLaw.Parameters { .init(logParameters: parameters) }

    /// L(N, D) with its interval at `level`.
    public func predict(N: Double, D: Double, level: Double = 0.95) throws -> Prediction {
        try predict([ModelSize(N: N, D: D)], level: level)[0]
    }

    /// The compute-optimal N and D for `compute` FLOPs under C = 6ND (`allocation(compute:)`,
    /// the name every `ComputeOptimalLaw` shares).
    public func optimalAllocation(compute: Double) -> ComputeOptimalAllocation {
        allocation(compute: compute)
    }
}

extension Fit where L == KaplanLaw {
    /// N_c, D_c, α_N, α_D.
    public var values: KaplanLaw.Parameters { .init(fittedParameters: parameters) }

    /// L(N, D) with its interval at `level`.
    public func predict(N: Double, D: Double, level: Double = 0.95) throws -> Prediction {
        try predict([ModelSize(N: N, D: D)], level: level)[0]
    }
}

extension Fit where L == SaturatingPowerLaw {
    /// E, A, α.
    public var values: SaturatingPowerLaw.Parameters { .init(fittedParameters: parameters) }

    /// L(x) with its interval at `level`.
    public func predict(at x: Double, level: Double = 0.95) throws -> Prediction {
        try predict([x], level: level)[0]
    }
}

extension Fit where L.Query == CurveQuery {
    /// The loss at `steps` of a run under `schedule`, each with its interval at `level`.
    public func predict(steps: [Int], schedule: LRSchedule, level: Double = 0.95) throws -> [Prediction] {
        try predict(CurveQuery(schedule: schedule, steps: steps), level: level)
    }
}
