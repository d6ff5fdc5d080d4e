import Foundation
import ScaleFit

/// `scalefit-bench lossdrop [--points N] [--every S] [--repeat R]`: one evaluation of the
/// multi-power law (the published 25M fit) on a cosine of N steps after a 2,160-step warmup
/// (every step a change point), logged every S steps (default 1: a dense log), with and
/// without the gradient; prints the fastest of R (default 5) timings of each. The cost of
/// one trial point of a fit, apart from the solver.
let lossDropBenchmark = BenchSubcommand(
    name: "lossdrop",
    synopsis: "lossdrop [--points N] [--every S] [--repeat R]",
    summary: "one multi-power evaluation (values; values and gradient) on a cosine of N steps logged every S"
) { arguments in
    var points = 100_000, every = 1, repeats = 5
    var i = 0
    while i < arguments.count {
        guard i + 1 < arguments.count, let value = Int(arguments[i + 1]), value > 0 else {
            printError("usage: scalefit-bench lossdrop [--points N] [--every S] [--repeat R]")
            return 64
        }
        switch arguments[i] {
        case "--points": points = value
        case "--every": every = value
        case "--repeat": repeats = value
        default:
            printError("usage: scalefit-bench lossdrop [--points N] [--every S] [--repeat R]")
            return 64
        }
        i += 2
    }
    let law = MultiPowerLaw()
    let rates = DenseCurveBenchmark.schedule(points: points).rates(count: 2160 + points)
    let steps = Array(stride(from: 2160, to: 2160 + points, by: every))
    var start = Date()
    let prepared = law.prepare(rates: rates, steps: steps)
    let prepareSeconds = Date().timeIntervalSince(start)
    var values = [Double](repeating: 0, count: steps.count)
    var gradient = [Double](repeating: 0, count: steps.count * 7)
    var plain = Double.infinity, joint = Double.infinity
    for _ in 0..<repeats {
        start = Date()
        law.predict(prepared, parameters: CurveFitBenchmark.truth, into: &values)
        plain = min(plain, Date().timeIntervalSince(start))
        start = Date()
        law.predictWithGradient(prepared, parameters: CurveFitBenchmark.truth, values: &values, gradient: &gradient)
        joint = min(joint, Date().timeIntervalSince(start))
    }
    print("lossdrop: \(steps.count) logged steps, K = \(prepared.changeCount) change points; prepare "
          + String(format: "%.4f s; values %.4f s; values and gradient %.4f s (fastest of %d); L at the last step %.12g",
                   prepareSeconds, plain, joint, repeats, values.last ?? .nan))
    return 0
}
