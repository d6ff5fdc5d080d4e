import Foundation
import ScaleFit

/// `scalefit-bench coverage [--trials N] [--law chinchilla|annealing|multipower|all]`: the
/// share of fresh noisy observations inside `predict`'s 95% prediction interval (and inside
/// the 95% confidence band) over N seeded trials of data drawn from each law
/// (`IntervalCoverage`): Chinchilla tables of 30 runs with 1% noise, fitted with Hoffmann's
/// grid and loss; three loss curves (constant, cosine, WSD; 4,000 steps, logged every 50
/// from step 400) with 0.5% noise, fitted with each curve law's defaults.
let coverageBenchmark = BenchSubcommand(
    name: "coverage",
    synopsis: "coverage [--trials N] [--law chinchilla|annealing|multipower|all]",
    summary: "95% prediction-interval coverage of fresh noisy points over seeded trials (target 93-97%)"
) { arguments in
    var trials = 200
    var laws = ["chinchilla", "annealing", "multipower"]
    var i = 0
    while i < arguments.count {
        if arguments[i] == "--trials", i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0, n <= 100_000 {
            trials = n
        } else if arguments[i] == "--law", i + 1 < arguments.count, ["chinchilla", "annealing", "multipower", "all"].contains(arguments[i + 1]) {
            if arguments[i + 1] != "all" { laws = [arguments[i + 1]] }
        } else {
            printError("usage: scalefit-bench coverage [--trials N] [--law chinchilla|annealing|multipower|all]   (N from 1 to 100000)")
            return 64
        }
        i += 2
    }
    do {
        let schedules = try ["constant:peak=3e-4,warmup=400,total=4000", "cosine:peak=3e-4,warmup=400,total=4000,final=0.1",
                             "wsd:peak=3e-4,warmup=400,stable=2800,decay=800,shape=linear,final=0.1"].map { try LRSchedule(spec: $0) }
        for law in laws {
            let start = Date()
            let r: IntervalCoverage.Result
            switch law {
            case "chinchilla":
                r = IntervalCoverage.chinchilla(trials: trials)
            case "annealing":
                r = IntervalCoverage.curves(law: AnnealingLaw(), truth: [3.37, 0.27, 0.87, 0.5], schedules: schedules,
                                            first: 400, every: 50, trials: trials)
            default:
                r = IntervalCoverage.curves(law: MultiPowerLaw(), truth: [3.2, 0.4, 0.6, 300, 1.5, 0.5, 0.6], schedules: schedules,
                                            first: 400, every: 50, trials: trials)
            }
            let sorted = r.trialCoverages.sorted()
            let median = sorted.isEmpty ? Double.nan : sorted[sorted.count / 2]
            print(String(format: "coverage %@: %d trials (%d failed), %d fresh points: prediction interval %.1f%%, band %.1f%%; per trial median %.1f%%, 10th percentile %.1f%%; %.1f s",
                         law, r.trials, r.failed, r.points, 100 * r.coverage, 100 * r.bandCoverage, 100 * median,
                         100 * (sorted.isEmpty ? .nan : sorted[sorted.count / 10]), Date().timeIntervalSince(start)))
        }
        return 0
    } catch {
        printError("scalefit-bench coverage: \(error)")
        return 1
    }
}
