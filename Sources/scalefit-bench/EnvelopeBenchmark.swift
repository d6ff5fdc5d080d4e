import Foundation
import ScaleFit

/// `scalefit-bench envelope [TRIALS] [RESAMPLES]`: the coverage of approach 1's bootstrap
/// interval for a over seeded synthetic training curves of Hoffmann's published law
/// (`LossEnvelopeSweep`: 8 sizes over 1.5 decades, 100 log-spaced logged steps each, 0.5%
/// log-normal noise; trial t uses seed t), and the noise-free sweep's a (the envelope's own
/// bias). Defaults: 200 trials, 1000 resamples.
let envelopeBenchmark = BenchSubcommand(
    name: "envelope", synopsis: "envelope [TRIALS] [RESAMPLES]",
    summary: "coverage of the loss-envelope bootstrap interval of a over seeded synthetic curves (default 200 trials, 1000 resamples)"
) { args in
    let trials = args.count > 0 ? Int(args[0]) : 200, samples = args.count > 1 ? Int(args[1]) : 1000
    guard let trials, let samples, trials > 0, (10...Bootstrap.maximumSamples).contains(samples), args.count <= 2 else {
        printError("usage: scalefit-bench envelope [TRIALS ≥ 1] [RESAMPLES in 10…\(Bootstrap.maximumSamples)]")
        return 64
    }
    let sweep = LossEnvelopeSweep()
    let start = Date()
    do {
        var exact = sweep
        exact.noise = 0
        let clean = try LossEnvelope(try exact.curves(seed: 0), options: .init(bootstrapSamples: 0))
        let c = try sweep.coverage(trials: trials, samples: samples)
        let seconds = Date().timeIntervalSince(start)
        print("approach 1, synthetic curves (a = \(formatSignificant(sweep.trueA, digits: 6)), \(sweep.sizes.count) sizes over 1.5 decades, "
              + "\(sweep.steps.count) logged steps each, \(formatSignificant(100 * sweep.noise, digits: 2))% noise): noise-free a = "
              + "\(formatSignificant(clean.law.a, digits: 4)) (\(clean.used) of \(clean.points.count) budgets used); "
              + "the 95% bootstrap interval of a covered the truth in \(c.covered) of \(c.trials) trials "
              + "(\(formatSignificant(100 * Double(c.covered) / Double(c.trials), digits: 3))%), mean width \(formatSignificant(c.meanWidth, digits: 3)), "
              + "mean a \(formatSignificant(c.meanA, digits: 4)) (sd across trials \(formatSignificant(c.sdA, digits: 3))), \(samples) resamples each, \(formatSignificant(seconds, digits: 3)) s")
    } catch {
        printError("scalefit-bench envelope: \(error)")
        return 1
    }
    return 0
}
