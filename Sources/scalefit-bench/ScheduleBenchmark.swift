import Foundation
import ScaleFit

/// `scalefit-bench schedule [--runs N] [--steps T,…]`: the free optimal schedule
/// (`OptimalSchedule`, family free) of the published 25M and 100M multi-power-law fits
/// (PROVENANCE of `../shared/data/lrcurves`, repository convention) for T = 24,000 and 100,000
/// (peak 3e-4, warmup 2,160, η_min 3e-5), N times each (default 3): every run's wall time,
/// the fastest and the CPU time of each (the wall time on an idle core: the search is
/// single-threaded), the final loss, the gains over the cosine and the best WSD, the shape, the
/// iterations and the optimality measure. Targets: ≤ 2 s for 24,000 steps, ≤ 10 s for 100,000.
let scheduleBenchmark = BenchSubcommand(
    name: "schedule",
    synopsis: "schedule [--runs N] [--steps T,...]",
    summary: "free optimal LR schedule, multi-power law 25M/100M (target <= 2 s at 24,000 steps, <= 10 s at 100,000)"
) { arguments in
    var runs = 3
    var horizons = [24_000, 100_000]
    var i = 0
    while i < arguments.count {
        if arguments[i] == "--runs", i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
            runs = n
        } else if arguments[i] == "--steps", i + 1 < arguments.count,
                  case let list = arguments[i + 1].split(separator: ",").compactMap({ Int($0) }), !list.isEmpty,
                  list.allSatisfy({ $0 > 2160 && $0 <= 10_000_000 }) {
            horizons = list
        } else {
            printError("usage: scalefit-bench schedule [--runs N] [--steps T,...]   (N > 0, 2160 < T <= 10^7)")
            return 64
        }
        i += 2
    }
    let published: [(String, [Double])] = [
        ("25M", [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257]),
        ("100M", [2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199, 0.65523644]),
    ]
    do {
        for steps in horizons {
            let constraints = try ScheduleConstraints(steps: steps, peak: 3e-4, warmup: 2160, minimumRate: 3e-5)
            for (model, theta) in published {
                var times: [Double] = [], cpu: [Double] = []
                var last: OptimalSchedule?
                for _ in 0..<runs {
                    let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processorSeconds()
                    last = try OptimalSchedule(law: MultiPowerLaw(), parameters: theta, constraints: constraints)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    cpu.append(processorSeconds() - cpuStart)
                }
                guard let o = last, let s = o.search else { continue }
                print("schedule: \(model) T=\(steps): runs " + times.map { String(format: "%.3f s", $0) }.joined(separator: ", ")
                      + String(format: "; fastest %.3f s", times.min() ?? 0)
                      + "; CPU " + cpu.map { String(format: "%.3f s", $0) }.joined(separator: ", "))
                print("schedule:   final loss \(formatSignificant(o.finalLoss.value, digits: 10)); cosine "
                      + "\(formatSignificant(o.cosine.finalLoss.value, digits: 10)) (gain \(formatSignificant(o.gainOverCosine, digits: 4))), best WSD "
                      + "\(formatSignificant(o.bestWSD.finalLoss.value, digits: 10)) (gain \(formatSignificant(o.gainOverBestWSD, digits: 4))) \(o.bestWSD.schedule.spec)")
                print("schedule:   \(o.shape.description); \(s.iterations) iterations, \(s.evaluations) evaluations, optimality "
                      + "\(formatSignificant(s.optimality, digits: 3)) (\(s.reason)); starts "
                      + zip(s.startNames, s.startLosses).map { "\($0) \(formatSignificant($1, digits: 10))" }.joined(separator: ", "))
            }
        }
    } catch {
        printError("schedule: \(error)")
        return 1
    }
    return 0
}

/// The process's CPU time in seconds (single-threaded work: what the wall time would be on an idle core).
func processorSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
