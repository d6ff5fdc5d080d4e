import Foundation
import ScaleFit

/// The interval columns every prediction table prints, and the line on stderr that says
/// what they cover: `lower95`/`upper95` the 95% prediction interval for an observed loss,
/// `mean_lower95`/`mean_upper95` the 95% confidence band of the law's value.
enum IntervalColumns {
    static let header = ["lower95", "upper95", "mean_lower95", "mean_upper95"]

    /// The loss and its four interval ends, as the tables print them.
    static func cells(loss: Double, lower95: Double, upper95: Double, meanLower95: Double, meanUpper95: Double,
                      digits: Int = 6) -> [String] {
        [loss, lower95, upper95, meanLower95, meanUpper95].map { formatSignificant($0, digits: digits) }
    }

    /// What the columns cover for this fit file, and the fit's diagnostics again.
    static func note(_ fit: FitFile, out: CommandOutput) {
        if let notes = fit.diagnostics, !notes.isEmpty {
            out.note("warning: the fit is not sound: " + notes.joined(separator: "; "))
        }
        if let noise = fit.noise, noise.sigma.isFinite {
            let scale = noise.scale == .log ? "log L" : "y"
            out.note("lower95/upper95: 95% prediction interval for an observed value (parameter uncertainty and σ = \(formatSignificant(noise.sigma, digits: 3)) on \(scale); \(noise.method)); mean_lower95/mean_upper95: 95% confidence band of the law's value")
        } else {
            out.note("lower95/upper95 = mean_lower95/mean_upper95: the 95% confidence band of the law's value only; the fit file holds no noise estimate, so the interval leaves out the scatter of an observation (refit with this scalefit for a prediction interval)")
        }
    }
}
