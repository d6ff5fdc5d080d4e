import Foundation
import ScaleFit

/// The library names its arguments and options (`minRatio`, `LogReadOptions.format`); this
/// command line reports them as the flags that set them (`--min-ratio`, `--input-format`).
/// One table, applied once, where `ScaleFitCLI.run` reports an error.
enum ArgumentFlags {
    /// A `badArgument`'s argument name → the flag that gives it.
    static let arguments: [String: String] = [
        "formula": "--formula", "variables": "--x", "bounds": "--bounds", "starts": "--start",
        "minRatio": "--min-ratio", "mix": "--current", "weights": "--weights",
        "samples": "--bootstrap", "holdout": "--holdout",
        "steps": "--steps", "peak": "--peak", "warmup": "--warmup", "minimumRate": "--min-lr",
        "fixed": "--fix", "startCount": "--starts", "maxEvaluations": "--max-evaluations",
    ]

    /// A phrase of an error's text that names an option → what the command line says there.
    static let phrases: [(library: String, flag: String)] = [
        ("LogReadOptions.format", "--input-format"),
        ("LogReadOptions.minStep", "--min-step"),
        ("LoggedSchedule.Before.linearFromZero", "--warmup linear"),
        ("give its schedule (the schedules argument)", "give --schedule"),
        ("or give a schedule (the schedules argument)", "or give --schedule"),
        ("the power law on tokens", "--law power --x tokens"),
        ("the power law on params", "--law power --x params"),
        ("a sweep over model sizes", "--sweep"),
        (" (strict)", " (--strict)"),
    ]

    /// `error` with the library's argument names as this command line's flags.
    static func naming(_ error: ScaleFitError) -> ScaleFitError {
        switch error {
        case let .badArgument(flag, position, expected, found):
            return .badArgument(flag: arguments[flag] ?? flag, position: position, expected: flags(in: expected), found: found)
        case let .invalidData(file, reason):
            return .invalidData(file: file, reason: flags(in: reason))
        case let .missingColumn(file, name, available):
            return .missingColumn(file: file, name: flags(in: name), available: available)
        default:
            return error
        }
    }

    /// `text` with every option phrase of the library replaced by its flag.
    static func flags(in text: String) -> String {
        phrases.reduce(text) { $0.replacingOccurrences(of: $1.library, with: $1.flag) }
    }
}
