import Foundation
import ScaleFit

/// `scalefit-bench nist [DIR]`: the 27 NIST StRD problems from both certified starts with
/// `LevenbergMarquardt()` default options, one start per fit. Prints per fit the worst
/// parameter's log relative error (LRE, capped at 11), whether every parameter reached
/// LRE ≥ 4 ("solved"), the termination, iterations (of which "gn" Gauss–Newton refinement
/// steps) and evaluations, and the time of one fit; then the total time of the 54 fits and the tally `nist: solved S/54, mean LRE M`.
///
/// Time is taken with the monotonic clock. Each fit is repeated in batches of k runs, k
/// doubled until a batch lasts at least 5 ms, and the fastest of three batches gives the
/// time of one fit (the minimum filters out scheduler noise on a shared machine).
let nistBenchmark = BenchSubcommand(
    name: "nist",
    synopsis: "nist [DIR] [--ftol X] [--xtol X] [--gtol X] [--no-refine]",
    summary: "NIST StRD: 27 problems × 2 starts; DIR defaults to ../shared/data/nist",
    run: runNISTBenchmark
)

@Sendable func runNISTBenchmark(_ arguments: [String]) -> Int32 {
    // Optional overrides of the solver's tolerances, for studying the stopping tests;
    // the certification figures are those of the defaults.
    var options = SolverOptions()
    var positional: [String] = []
    var i = 0
    while i < arguments.count {
        let a = arguments[i]
        let flags: [String: WritableKeyPath<SolverOptions, Double>] = [
            "--ftol": \.functionTolerance, "--xtol": \.parameterTolerance, "--gtol": \.gradientTolerance,
        ]
        if a == "--no-refine" {
            options.refinesStationaryPoint = false
            i += 1
        } else if let key = flags[a] {
            guard i + 1 < arguments.count, let v = Double(arguments[i + 1]), v >= 0 else {
                printError("scalefit-bench nist: \(a) needs a non-negative number")
                return 64
            }
            options[keyPath: key] = v
            i += 2
        } else if a.hasPrefix("-") {
            printError("scalefit-bench nist: unknown flag \(a)\nusage: scalefit-bench nist [DIR] [--ftol X] [--xtol X] [--gtol X] [--no-refine]")
            return 64
        } else {
            positional.append(a)
            i += 1
        }
    }
    guard positional.count <= 1 else {
        printError("usage: scalefit-bench nist [DIR] [--ftol X] [--xtol X] [--gtol X] [--no-refine]")
        return 64
    }
    let directory = URL(fileURLWithPath: positional.first ?? "../shared/data/nist")
    let files: [URL]
    do {
        files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "dat" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    } catch {
        printError("scalefit-bench nist: cannot list \(directory.path): \(error.localizedDescription)")
        return 66
    }
    guard !files.isEmpty else {
        printError("scalefit-bench nist: no .dat files in \(directory.path)")
        return 66
    }

    let solver = LevenbergMarquardt(options: options)
    print(pad("problem", 10) + pad("start", 6) + lpad("LRE", 6) + lpad("RSS LRE", 9) + "  "
          + pad("solved", 7) + pad("termination", 31) + lpad("iter", 5) + lpad("gn", 4) + lpad("fev", 6)
          + lpad("jev", 5) + lpad("time/µs", 10))
    var solved = 0, fits = 0
    var lreSum = 0.0, totalSeconds = 0.0
    for file in files {
        do {
            let dataset = try NISTDataset(contentsOf: file)
            let model = try NISTModels.model(for: dataset, file: file.path)
            for (s, start) in dataset.starts.enumerated() {
                let result = try model.fit(from: start, with: solver)
                let worst = zip(result.parameters, dataset.certifiedValues)
                    .map { logRelativeError($0, certified: $1) }.min() ?? 0
                let rss = result.residuals.reduce(0) { $0 + $1 * $1 }
                let rssLRE = logRelativeError(rss, certified: dataset.certifiedResidualSumOfSquares)
                let seconds = try timeOneFit { _ = try model.fit(from: start, with: solver) }
                fits += 1
                if worst >= 4 { solved += 1 }
                lreSum += worst
                totalSeconds += seconds
                let sum = result.summary
                print(pad(dataset.name, 10) + pad("\(s + 1)", 6) + lpad(fixed(worst, 1), 6)
                      + lpad(fixed(rssLRE, 1), 9) + "  " + pad(worst >= 4 ? "yes" : "NO", 7)
                      + pad(sum.termination.rawValue, 31) + lpad("\(sum.iterations)", 5)
                      + lpad("\(sum.refinementSteps)", 4) + lpad("\(sum.residualEvaluations)", 6) + lpad("\(sum.jacobianEvaluations)", 5)
                      + lpad(fixed(seconds * 1e6, 1), 10))
            }
        } catch let error as ScaleFitError {
            printError("scalefit-bench nist: \(error)")
            return error.exitCode
        } catch {
            printError("scalefit-bench nist: \(file.path): \(error)")
            return 1
        }
    }
    print("nist: total time \(fixed(totalSeconds, 4)) s for \(fits) fits")
    print("nist: solved \(solved)/\(fits), mean LRE \(fixed(lreSum / Double(max(fits, 1)), 2))")
    return solved == fits ? 0 : 1
}

/// Seconds of the monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The time of one run of `body`: batches of k runs with k doubled until a batch lasts
/// 5 ms, then the fastest of three such batches divided by k.
func timeOneFit(_ body: () throws -> Void) throws -> Double {
    var k = 1
    var best = Double.infinity
    while true {
        let t0 = monotonicSeconds()
        for _ in 0..<k { try body() }
        let t = monotonicSeconds() - t0
        if t >= 0.005 { best = t; break }
        k *= 2
    }
    for _ in 0..<2 {
        let t0 = monotonicSeconds()
        for _ in 0..<k { try body() }
        best = min(best, monotonicSeconds() - t0)
    }
    return best / Double(k)
}

func fixed(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

func lpad(_ s: String, _ width: Int) -> String {
    s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
}
