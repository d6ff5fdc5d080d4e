import Foundation
import ScaleFit

/// The prediction noise a fit file keeps (`PredictionNoise`): estimated when a fit file is
/// written (`-o`, `--report`, `backtest`), so that `predict` prints prediction intervals.
enum NoiseEstimate {
    /// `file` with the σ_r and leave-one-group-out σ_h of the law fitted to `data`, said on
    /// stderr. The refits search as `law` does when it is given (the fit's own law value,
    /// with the parameters `--fix` holds and the `--bounds` box, which a fit file does not
    /// keep); otherwise as the law the file describes.
    static func attach<L: Law>(_ file: FitFile, as type: L.Type, law: L? = nil, data: L.Observations, source: String,
                               out: CommandOutput) throws -> FitFile where L.Observations: GroupedObservations {
        guard file.noise == nil else { return file }
        let groups = data.groupNames.count
        if groups >= 2 { out.note("prediction noise: \(groups) leave-one-out refits (\(data.groupNames.joined(separator: ", ")))…") }
        var f = file
        var fit = try Fit<L>(file: file, source: source)
        if let law { fit.law = law }
        f.noise = fit.predictionNoise(data)
        note(f.noise!, out: out)
        return f
    }

    /// `file` with the residual scatter only (formula fits: no groups to leave out).
    static func attachResidual(_ file: FitFile, observed: [Double], fitted: [Double], parameterCount: Int,
                               scale: LawValue.Scale, out: CommandOutput) -> FitFile {
        var f = file
        f.noise = PredictionNoise.residualOnly(observed: observed, fitted: fitted, parameterCount: parameterCount, scale: scale)
        note(f.noise!, out: out)
        return f
    }

    static func note(_ n: PredictionNoise, out: CommandOutput) {
        let scale = n.scale == .log ? "log L" : "y"
        let held = n.heldOut.map { ", σ_h = \(formatSignificant($0, digits: 3))" } ?? ""
        out.note("prediction noise: σ = \(formatSignificant(n.sigma, digits: 3)) on \(scale) (σ_r = \(formatSignificant(n.residual, digits: 3))\(held)); \(n.method)")
    }
}
