import Foundation
import ScaleFit

/// `scalefit-bench curves [--runs N]`: the multi-power-law fit of four 72,000-step curves
/// (`CurveFitBenchmark`), each family fitted N times (default 3); prints every run's wall
/// time, the fastest, and the fit's cost and convergence.
let curvesBenchmark = BenchSubcommand(
    name: "curves",
    synopsis: "curves [--runs N]",
    summary: "multi-power law, 4 curves x 72,000 steps, two schedule families (target < 1 s each)"
) { arguments in
    var runs = 3
    if arguments.count == 2, arguments[0] == "--runs", let n = Int(arguments[1]), n > 0 {
        runs = n
    } else if !arguments.isEmpty {
        printError("usage: scalefit-bench curves [--runs N]   (N a positive integer)")
        return 64
    }
    do {
        for family in try CurveFitBenchmark.families() {
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
            print("curves:   cost \(formatSignificant(t.fit.cost, digits: 12)), \(t.fit.startsTried) starts, "
                  + "\(t.fit.startsPolished) polished; \(t.fit.summary.message)")
        }
        return 0
    } catch {
        printError("scalefit-bench curves: \(error)")
        return 1
    }
}
