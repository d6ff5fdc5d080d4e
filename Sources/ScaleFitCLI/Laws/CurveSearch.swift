import Foundation
import ScaleFit

/// What `--fix`, `--bounds`, `--starts` and `--max-evaluations` make of a curve fit: the
/// library's `CurveSearchSettings`, handed to the law (`searching(_:)`), which makes the
/// starts, the box, the fixed parameters and the evaluation budget of its `Fit`. A
/// parameter name the law does not have is a usage error (64) listing the law's names.
enum CurveSearch {
    /// The search settings the command line gives.
    static func settings(_ args: ParsedArguments) throws -> CurveSearchSettings {
        let held = try args.text(MultilingualOptions.fix).map {
            try CurveOptions.namedValues($0, flag: "--fix").map { CurveSearchSettings.Held(name: $0.name, value: $0.value) }
        } ?? []
        return CurveSearchSettings(held: held, bounds: try args.value(FormulaOptions.bounds),
                                   startCount: try args.value(CurveOptions.starts),
                                   maxEvaluations: try args.value(CurveOptions.maxEvaluations))
    }

    /// `law` with the command line's search settings; a name it does not have is a usage
    /// error naming the flag, the law and its parameters (and the nearest name).
    static func searching<L: CurveFittingLaw>(_ law: L, _ args: ParsedArguments) throws -> L {
        do {
            return try law.searching(try settings(args))
        } catch let ScaleFitError.badArgument(argument, _, _, found)
                    where ["fixed", "bounds"].contains(argument) && !law.parameterNames.contains(found) {
            let flag = argument == "fixed" ? "--fix" : "--bounds"
            let hint = nearest(found, in: law.parameterNames).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "\(flag): the \(L.identifier) law has no parameter \"\(found)\" (its parameters: \(law.parameterNames.joined(separator: ", ")))\(hint)")
        }
    }
}
