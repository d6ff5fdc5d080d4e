import Foundation
import ScaleFit

/// `scalefit check-independence FILE`: does each language family's loss depend on its own
/// sampling ratio only (the multilingual law's hypothesis)?
enum CheckIndependenceCommand: Subcommand {
    static let noise = Option<Double>(OptionDeclaration("noise", value: "REL", help:
        "the relative noise of a loss (e.g. 0.01), when the data has no replicates")) { text in
        let noise = try Values.double(text, flag: "--noise")
        guard noise > 0 else { throw UsageError(message: "--noise: expected a positive relative noise, found \(noise)") }
        return noise
    }

    static let spec = CommandSpec(
        name: "check-independence",
        usage: ["FILE [--noise REL] [--x PARAMS,TOKENS] [--y LOSS] [--group RUN] [--family COL] [--ratio COL] [--strict]",
                "         [--format table|json|csv|markdown]"],
        discussion: """
        Checks the multilingual law's hypothesis (He et al. 2024) that a language family's loss
        depends on its own sampling ratio only. Where runs share N, D and family i's ratio but
        differ in the other families' ratios, the spread of family i's log loss (pooled SD) is
        set against the noise level: the relative noise given, else the spread between replicate
        runs (same N, D and mix). A family is flagged when spread²/noise² is significant at 1%
        (F test against the replicates' degrees of freedom; χ² when --noise is given).
        """,
        arguments: [("FILE", "a table with one row per (run, language family): params, tokens, family, ratio and loss")],
        groups: [("options", [noise.declaration] + InputOptions.declarations(laws: nil)
                  + [CurveOptions.group.declaration.applying(to: nil), MultilingualOptions.family.declaration,
                     MultilingualOptions.ratio.declaration, OutputOptions.format.declaration])])

    static func validate(_ args: ParsedArguments) throws {
        guard args.positionals.count == 1 else { throw UsageError(message: "expected one data file\n\n\(spec.helpText)") }
    }

    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        let format = try args.value(OutputOptions.format)!
        let noise = try args.value(Self.noise)
        let path = args.positionals[0]
        guard FileManager.default.fileExists(atPath: path) else { throw ScaleFitError.invalidData(file: path, reason: "no such file") }
        let check: IndependenceCheck
        do {
            let table = try RunTableReader.read(path: path)
            check = try IndependenceCheck(data: try MultilingualFitting.data(table: table, path: path, args: args, out: out).data, noise: noise)
        } catch ScaleFitError.invalidData(let file, let reason) where reason.hasPrefix("no replicate runs") {
            throw ScaleFitError.invalidData(file: file, reason: reason + " with --noise")
        }
        if format == .json { try out.write(jsonText(check)); return 0 }
        let t = TextTable(header: ["family", "groups", "df", "spread", "noise", "noise_df", "noise_from", "ratio", "p_value", "verdict"], rows: check.families.map {
            [$0.name, "\($0.groups)", "\($0.degreesOfFreedom)", formatSignificant($0.spread, digits: 4), formatSignificant($0.noise, digits: 4),
             $0.noiseSource == "given" ? "-" : "\($0.noiseDegreesOfFreedom)", $0.noiseSource, formatSignificant($0.ratio, digits: 3),
             formatSignificant($0.pValue, digits: 3),
             $0.consistent.map { $0 ? "consistent" : "depends on the mix" } ?? "not checked"]
        })
        try out.write(t.render(format.style) + "verdict: \(check.verdict)\n")
        return 0
    }
}
