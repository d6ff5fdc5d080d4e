import Foundation
import ScaleFit

/// What `--fix`, `--bounds`, `--starts` and `--max-evaluations` make of a curve fit: the
/// library's `CurveSearchSettings`, handed to the law (`searching(_:)`), which makes the
/// starts, the box, the fixed parameters and the evaluation budget. A parameter name the
/// law does not have is a usage error (64) listing the law's names.
struct CurveSearch {
    var starts: [[Double]]
    var bounds: ParameterBounds
    var fixed: [Bool]
    var options: SolverOptions

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
    /// error naming the flag, the law and its parameters.
    static func searching<L: LossCurveLaw>(_ law: L, _ args: ParsedArguments, identifier: String) throws -> L {
        do {
            return try law.searching(try settings(args))
        } catch let ScaleFitError.badArgument(argument, _, _, found)
                    where ["fixed", "bounds"].contains(argument) && !law.parameterNames.contains(found) {
            let flag = argument == "fixed" ? "--fix" : "--bounds"
            let hint = nearest(found, in: law.parameterNames).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "\(flag): the \(identifier) law has no parameter \"\(found)\" (its parameters: \(law.parameterNames.joined(separator: ", ")))\(hint)")
        }
    }

    /// The search for `law` on `curves` under the command line's options.
    init(_ args: ParsedArguments, law: CurveLaw, curves: [LossCurve], options: SolverOptions) throws {
        switch law {
        case let .annealing(l): self.init(try Self.searching(l, args, identifier: law.identifier), curves: curves, options: options)
        case let .multipower(l): self.init(try Self.searching(l, args, identifier: law.identifier), curves: curves, options: options)
        }
    }

    private init<L: LossCurveLaw>(_ law: L, curves: [LossCurve], options: SolverOptions) {
        let s = law.searchSettings, names = law.parameterNames
        bounds = s.bounds(law.bounds(for: curves), names: names)
        starts = s.starts(law.startingGrid(for: curves), names: names, bounds: bounds)
        fixed = s.fixed(names: names) ?? [Bool](repeating: false, count: names.count)
        self.options = s.options(options)
    }

    /// The multi-start fit of `curves` with this search.
    func fit(_ law: CurveLaw, _ curves: [LossCurve]) throws -> CurveFit.Result {
        try law.fit(curves, options: options, starts: starts, bounds: bounds, fixed: fixed.contains(true) ? fixed : nil)
    }
}
