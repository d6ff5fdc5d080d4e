import Foundation
import ScaleFit

/// `scalefit backtest CURVES --law annealing|multipower --fit-runs A,B`: fits a loss-curve
/// law on some runs and scores its prediction of the others.
enum CurveBacktest {
    static let fitRuns = Option<String>(OptionDeclaration("fit-runs", value: "A,B", help: "the runs to fit (names in the run column)",
                                                          laws: FitLaw.curves))
    static let scoreRuns = Option<String>(OptionDeclaration("score-runs", value: "C,…", help: "the runs to score (default: every other run)",
                                                            laws: FitLaw.curves))

    static func run(_ input: FitInput, law fitLaw: FitLaw) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        guard let fitText = args.text(fitRuns) else {
            throw UsageError(message: "backtest needs --fit-runs\n\n\(BacktestCommand.spec.helpText)")
        }
        let law = try CurveOptions.law(fitLaw, args)
        let set = try CurveFitting.readCurves(table: input.table!, path: path, args: args, out: out)
        let names = set.curves.map(\.name)
        func runList(_ text: String, flag: String) throws -> [Int] {
            try text.split(separator: ",").map { part in
                let name = part.trimmingCharacters(in: .whitespaces)
                guard let i = names.firstIndex(of: name) else {
                    let hint = nearest(name, in: names).map { "; did you mean '\($0)'?" } ?? ""
                    throw UsageError(message: "\(flag): no run \"\(name)\" in \(path) (runs: \(names.joined(separator: ", ")))\(hint)")
                }
                return i
            }
        }
        let fitIndices = try runList(fitText, flag: "--fit-runs")
        let scoreIndices = try args.text(scoreRuns).map { try runList($0, flag: "--score-runs") }
            ?? names.indices.filter { !fitIndices.contains($0) }
        guard !scoreIndices.isEmpty else { throw UsageError(message: "--score-runs: no run left to score") }
        let fitted = fitIndices.map { set.curves[$0] }
        let search = try CurveSearch(args, law: law, curves: fitted, options: try CurveFitting.options(args))
        let options = search.options
        out.note("fitting \(law.identifier) to \(fitIndices.map { names[$0] }.joined(separator: ", ")) from \(search.starts.count) starts; scoring \(scoreIndices.map { names[$0] }.joined(separator: ", "))…")
        let fit = try search.fit(law, fitted)
        func item(_ i: Int) -> (curve: LossCurve, lines: [Int], schedule: String) { (set.curves[i], set.lineNumbers[i], set.sources[i]) }
        let report = try CurveFitReport(law: law, fit: fit, loss: options.loss, fitted: fitIndices.map(item),
                                        scored: scoreIndices.map(item))
        let title = "\(law.identifier): fit on \(fitIndices.map { names[$0] }.joined(separator: ", ")), rest predicted"
        return try CurveFitting.finish(report, fit: fit, law: law, set: set, fitted: fitIndices, title: title,
                                       path: path, args: args, loss: options.loss, format: format, out: out)
    }
}
