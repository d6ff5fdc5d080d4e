import Foundation
import ScaleFit

/// Deterministic JSON: sorted keys, and non-finite numbers as the strings "inf", "-inf", "nan".
func jsonText<T: Encodable>(_ value: T) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: (try? enc.encode(value)) ?? Data(), as: UTF8.self) + "\n"
}

/// Writes `svg` to `path` (`--plot`, or `plot -o`) and says so on stderr; exit 74 if it cannot.
func writePlot(_ svg: String, to path: String, flag: String = "--plot", out: CommandOutput) throws {
    try OutputDestination.write(svg, to: path, flag: flag)
    out.note("wrote \(path)")
}

/// Writes the fit file to `path` (`-o`) and says so on stderr; exit 74 if it cannot.
func writeFitFile(_ file: FitFile, to path: String, args: ParsedArguments, out: CommandOutput) throws {
    try OutputDestination.write(try file.encoded(), to: path, flag: args.spelling(OutputOptions.output.declaration))
    out.note("wrote \(path)")
}

/// Says on stderr, before the report, that a fit is not sound and why (the report and the
/// fit file say it too).
func warnIfUnsound(_ diagnostics: [String], out: CommandOutput) {
    out.warnUnsound(diagnostics)
}

extension FitFile {
    /// The file with a bootstrap's intervals and resamples (unchanged without one).
    func withBootstrap(_ b: Bootstrap?) -> FitFile {
        guard let b else { return self }
        var f = self
        f.bootstrap = BootstrapSummary(samples: b.samples, failed: b.failed, seed: b.seed, compute: nil,
                                       intervals: b.intervals, draws: b.draws)
        return f
    }

    /// The file with the fit's AIC, BIC, reduced χ² and correlation.
    func withStatistics(_ s: FitStatistics) -> FitFile {
        var f = self
        f.statistics = s
        return f
    }

    /// The file with the fit's diagnostics (none kept when the fit is sound).
    func withDiagnostics(_ diagnostics: [String]) -> FitFile {
        var f = self
        f.diagnostics = diagnostics.isEmpty ? nil : diagnostics
        return f
    }
}
