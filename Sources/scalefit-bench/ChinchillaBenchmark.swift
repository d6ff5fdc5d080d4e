import Foundation
import ScaleFit

/// `scalefit-bench chinchilla [CSV]`: Hoffmann et al.'s 4500-start Huber fit on Epoch AI's
/// Chinchilla data (five highest-loss rows dropped, D = C/(6N)); prints the time, the
/// parameters, the objective reached and the objective at Epoch's published estimates.
let chinchillaBenchmark = BenchSubcommand(
    name: "chinchilla",
    synopsis: "chinchilla [CSV]",
    summary: "4500-start Hoffmann fit on Epoch's Chinchilla data (default ../shared/data/chinchilla/svg_extracted_data.csv)"
) { args in
    let path = args.first ?? "../shared/data/chinchilla/svg_extracted_data.csv"
    do {
        let table = try RunTableReader.read(path: path)
        var rows = zip(try table.values(of: "Model Size"), zip(try table.values(of: "Training FLOP"), try table.values(of: "loss")))
            .map { (n: $0.0, c: $0.1.0, l: $0.1.1) }
        rows.sort { $0.l < $1.l }
        rows.removeLast(5)
        let n = rows.map(\.n), d = rows.map { $0.c / (6 * $0.n) }, l = rows.map(\.l)
        let start = DispatchTime.now().uptimeNanoseconds
        let fit = try Fit(ChinchillaLaw(), to: try ModelRuns(N: n, D: d, loss: l, file: path))
        let law = fit.values
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let epoch = ChinchillaLaw.Parameters(E: 1.82, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658)
        let epochObjective = ChinchillaLogProblem(parameters: n, tokens: d, loss: l).huberObjective(at: epoch.logParameters)
        let opt = ComputeOptimalAllocation(law: law, compute: 5.76e23)
        print(String(format: "chinchilla: E=%.4f A=%.2f B=%.2f alpha=%.4f beta=%.4f", law.E, law.A, law.B, law.alpha, law.beta))
        print(String(format: "chinchilla: objective %.12g (at Epoch's estimates %.12g); %d starts screened, %d/%d polished at the best",
                     fit.objective, epochObjective, fit.search.startsTried, fit.search.startsAtBest, fit.search.startsPolished))
        print(String(format: "chinchilla: at C = 5.76e23: N* = %.4g, D* = %.4g, tokens/param = %.2f, loss %.4f",
                     opt.parameters, opt.tokens, opt.tokensPerParameter, opt.loss))
        print(String(format: "chinchilla: total time %.3f s for %d starts", seconds, fit.search.startsTried))
        return 0
    } catch {
        printError("scalefit-bench chinchilla: \(error)")
        return 65
    }
}

/// `scalefit-bench formula`: a compiled formula over 10⁶ points against the same formula
/// hand-written in Swift (values and Jacobian).
let formulaBenchmark = BenchSubcommand(
    name: "formula",
    synopsis: "formula",
    summary: "compiled formula vs hand-written Swift over 10^6 points"
) { _ in
    guard let r = try? benchmarkFormulaEvaluation(points: 1_000_000, repetitions: 5) else {
        printError("scalefit-bench formula: the benchmark formula failed to compile")
        return 1
    }
    print("formula: \(r.formula) over \(r.points) points")
    print(String(format: "formula: values compiled %.4f s, hand-written %.4f s, ratio %.2f",
                 r.compiledValueSeconds, r.handWrittenValueSeconds, r.valueRatio))
    print(String(format: "formula: Jacobian compiled %.4f s, hand-written %.4f s, ratio %.2f",
                 r.compiledJacobianSeconds, r.handWrittenJacobianSeconds, r.jacobianRatio))
    return 0
}

/// `scalefit-bench read [csv|jsonl|tensorboard] [--mb N]`: writes a log of N MB (100 by
/// default) to the temporary directory unless it is there, then times one read of it.
let readBenchmark = BenchSubcommand(
    name: "read",
    synopsis: "read [csv|jsonl|tensorboard] [--mb N]",
    summary: "read a generated N MB log (default CSV, 100 MB; peak memory: run under /usr/bin/time -v)"
) { arguments in
    var format = RunTableFormat.csv
    var megabytes = 100
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        if argument == "--mb", index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 {
            megabytes = value
            index += 2
        } else if let named = RunTableFormat(name: argument), ReadBenchmark.formats.contains(named) {
            format = named
            index += 1
        } else {
            printError("scalefit-bench read: expected csv, jsonl, tensorboard or --mb N, found \"\(argument)\"")
            return 64
        }
    }
    do {
        print(try ReadBenchmark.run(format: format, targetBytes: megabytes * 1_000_000))
        return 0
    } catch {
        printError("scalefit-bench read: \(error)")
        return 65
    }
}
