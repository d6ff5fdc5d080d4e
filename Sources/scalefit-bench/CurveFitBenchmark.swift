import Foundation
import ScaleFit

/// `scalefit-bench curves [--runs N] [--write DIR]`: the multi-power-law fit of four
/// 72,000-step curves (`CurveFitBenchmark`), each family fitted N times (default 3); prints
/// every run's wall time, the fastest, and the fit's cost, parameters and convergence; then
/// one run from the grid's first start alone (the comparison with a single-start peer).
/// `--write DIR` also writes each family as DIR/<family>.csv (run,step,lr,loss at full
/// resolution), the data a peer fits (`Scripts/bench-curves.sh`).
let curvesBenchmark = BenchSubcommand(
    name: "curves",
    synopsis: "curves [--runs N] [--write DIR]",
    summary: "multi-power law, 4 curves x 72,000 steps, two schedule families (target < 1 s each)"
) { arguments in
    var runs = 3
    var directory: String?
    var i = 0
    while i < arguments.count {
        if arguments[i] == "--runs", i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
            runs = n
        } else if arguments[i] == "--write", i + 1 < arguments.count {
            directory = arguments[i + 1]
        } else {
            printError("usage: scalefit-bench curves [--runs N] [--write DIR]   (N a positive integer)")
            return 64
        }
        i += 2
    }
    do {
        let families = try CurveFitBenchmark.families()
        if let directory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for family in families {
                let path = (directory as NSString).appendingPathComponent(family.slug + ".csv")
                try family.csv.write(toFile: path, atomically: true, encoding: .utf8)
                print("curves: wrote \(path)")
            }
        }
        for family in families {
            var times: [Double] = []
            var last: CurveFitBenchmark.Timing?
            for _ in 0..<runs {
                let timing = try CurveFitBenchmark.run(family)
                times.append(timing.seconds)
                last = timing
            }
            guard let t = last else { continue }
            print("curves: \(t.family): change points \(t.changePoints.map(String.init).joined(separator: ", "))")
            print("curves:   runs " + times.map { String(format: "%.3f s", $0) }.joined(separator: ", ")
                  + String(format: "; fastest %.3f s", times.min() ?? 0))
            print("curves:   cost \(formatSignificant(t.fit.objective, digits: 12)), \(t.fit.search.startsTried) starts, "
                  + "\(t.fit.search.startsPolished) polished; \(t.fit.summary?.message ?? "")")
            print("curves:   parameters [L0, A, alpha, B, C, beta, gamma] = ["
                  + t.fit.parameters.map { formatSignificant($0, digits: 10) }.joined(separator: ", ") + "]")
            let single = try CurveFitBenchmark.runSingleStart(family)
            let s = single.result.summary
            print("curves:   single start " + single.start.map { String(format: "%.17g", $0) }.joined(separator: ",")
                  + String(format: ": %.3f s, ", single.seconds) + "\(s.effort), cost "
                  + "\(formatSignificant(single.result.cost, digits: 10)); \(s.message)")
        }
        return 0
    } catch {
        printError("scalefit-bench curves: \(error)")
        return 1
    }
}
