import Foundation
import ScaleFit

/// `scalefit-bench isoflop [TRIALS] [RESAMPLES] [residuals|runs]`: the coverage of approach 2's bootstrap
/// interval for a over seeded synthetic IsoFLOP sweeps of Hoffmann's published law
/// (`IsoFLOPSweep`: 7 budgets 1e18…1e21, 9 sizes over ±0.6 decades of N*(C), 1% log-normal
/// noise; trial t uses seed t). Defaults: 200 trials, 1000 resamples, both resamplings.
let isoflopBenchmark = BenchSubcommand(
    name: "isoflop", synopsis: "isoflop [TRIALS] [RESAMPLES] [residuals|runs]",
    summary: "coverage of the IsoFLOP bootstrap interval of a over seeded synthetic sweeps (default 200 trials, 1000 resamples)"
) { args in
    let trials = args.count > 0 ? Int(args[0]) : 200, samples = args.count > 1 ? Int(args[1]) : 1000
    let kinds = args.count > 2 ? IsoFLOPProfiles.Resampling(rawValue: args[2]).map { [$0] } : IsoFLOPProfiles.Resampling.allCases
    guard let trials, let samples, let kinds, trials > 0, (10...Bootstrap.maximumSamples).contains(samples), args.count <= 3 else {
        printError("usage: scalefit-bench isoflop [TRIALS ≥ 1] [RESAMPLES in 10…\(Bootstrap.maximumSamples)] [residuals|runs]")
        return 64
    }
    let sweep = IsoFLOPSweep()
    for kind in kinds {
    let start = Date()
    do {
        let c = try sweep.coverage(trials: trials, samples: samples, resampling: kind)
        let seconds = Date().timeIntervalSince(start)
        print("approach 2, synthetic sweeps (a = \(formatSignificant(sweep.trueA, digits: 6)), 7 budgets × 9 sizes, 1% noise), resampling \(kind.rawValue): "
              + "the 95% bootstrap interval of a covered the truth in \(c.covered) of \(c.trials) trials "
              + "(\(formatSignificant(100 * Double(c.covered) / Double(c.trials), digits: 3))%), mean width \(formatSignificant(c.meanWidth, digits: 3)), "
              + "\(samples) resamples each, \(formatSignificant(seconds, digits: 3)) s")
    } catch {
        printError("scalefit-bench isoflop: \(error)")
        return 1
    }
    }
    return 0
}
