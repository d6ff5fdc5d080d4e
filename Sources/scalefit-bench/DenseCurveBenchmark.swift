import Foundation
import ScaleFit

/// `scalefit-bench dense [--law annealing|multipower] [--points N] [--runs R] [--write FILE]`:
/// the fit of one cosine curve logged at every step (`DenseCurveBenchmark`), N points
/// (default 100000), R runs (default 1); prints the generation time, every run's wall
/// time, the cost before and after the winning run, its effort and parameters.
/// `--write FILE` also writes the curve as CSV (step,lr,loss) for the CLI. Peak memory:
/// run it under `/usr/bin/time -v`.
let denseBenchmark = BenchSubcommand(
    name: "dense",
    synopsis: "dense [--law annealing|multipower] [--points N] [--runs R] [--write FILE]",
    summary: "one cosine curve with a loss at every step (targets: 1e5 points <= 2 s, 1e6 <= 10 s)"
) { arguments in
    var lawName = "annealing", points = 100_000, runs = 1
    var file: String?
    var i = 0
    while i < arguments.count {
        guard i + 1 < arguments.count else {
            printError("usage: scalefit-bench dense [--law annealing|multipower] [--points N] [--runs R] [--write FILE]")
            return 64
        }
        let value = arguments[i + 1]
        switch arguments[i] {
        case "--law" where LawRegistry.curveLaws.contains(where: { $0.identifier == value }): lawName = value
        case "--points" where (Int(value) ?? 0) > 0: points = Int(value)!
        case "--runs" where (Int(value) ?? 0) > 0: runs = Int(value)!
        case "--write": file = value
        default:
            printError("usage: scalefit-bench dense [--law annealing|multipower] [--points N] [--runs R] [--write FILE]")
            return 64
        }
        i += 2
    }
    do {
        let law = try LawRegistry.curveLaw(named: lawName)
        let start = Date()
        let curve = try DenseCurveBenchmark.curve(law: law, points: points)
        print("dense: \(lawName), \(points) points, generated in " + String(format: "%.3f s", Date().timeIntervalSince(start)))
        if let file {
            var text = "step,lr,loss\n"
            text.reserveCapacity(points * 48)
            for (s, l) in zip(curve.steps, curve.losses) {
                text += "\(s),\(String(format: "%.17g", curve.rates[s])),\(String(format: "%.17g", l))\n"
            }
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            print("dense: wrote \(file)")
        }
        for _ in 0..<runs {
            let (fit, seconds) = try DenseCurveBenchmark.run(law: law, curve: curve)
            let s = fit.summary
            print("dense:   " + String(format: "%.3f s", seconds) + "; cost \(formatSignificant(s.initialCost, digits: 10)) → "
                  + "\(formatSignificant(fit.objective, digits: 10)); \(s.effort); \(fit.startsPolished) polished; \(s.message)")
            print("dense:   parameters [" + fit.parameterNames.joined(separator: ", ") + "] = ["
                  + fit.parameters.map { formatSignificant($0, digits: 8) }.joined(separator: ", ") + "]")
        }
        return 0
    } catch {
        printError("scalefit-bench dense: \(error)")
        return 1
    }
}
