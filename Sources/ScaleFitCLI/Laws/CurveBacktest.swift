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
        guard input.args.text(fitRuns) != nil else {
            throw UsageError(message: "backtest needs --fit-runs\n\n\(BacktestCommand.spec.helpText)")
        }
        return try CurveFitting.withLaw(fitLaw, input.args) { try run(input, law: $0) }
    }

    static func run<L: CurveFittingLaw>(_ input: FitInput, law: L) throws -> Int32 {
        let (path, args, format, out) = (input.path, input.args, input.format, input.out)
        let fitText = args.text(fitRuns)!
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
        let law = try CurveSearch.searching(law, args)
        let data = LossCurves(set, file: path).selecting(curves: fitIndices)
        out.note("fitting \(L.identifier) to \(fitIndices.map { names[$0] }.joined(separator: ", ")) from \(law.starts(for: data).count) starts; scoring \(scoreIndices.map { names[$0] }.joined(separator: ", "))…")
        let fit = try Fit(law, to: data)
        func item(_ i: Int) -> (curve: LossCurve, lines: [Int], schedule: String) { (set.curves[i], set.lineNumbers[i], set.sources[i]) }
        let report = try CurveFitReport(fit, fitted: fitIndices.map(item), scored: scoreIndices.map(item))
        let title = "\(L.identifier): fit on \(fitIndices.map { names[$0] }.joined(separator: ", ")), rest predicted"
        return try CurveFitting.finish(report, fit: fit, data: data, set: set, fitted: fitIndices, title: title,
                                       path: path, args: args, format: format, out: out)
    }
}
