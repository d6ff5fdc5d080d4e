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
