import Foundation
import ScaleFit

/// The options of Hoffmann's approaches 2 and 1 (`--law isoflop`, `--law envelope`,
/// `compare-approaches`): the binning of budgets, the envelope's spacing and the tokens per step.
enum AllocationOptions {
    static let computeTolerance = Option<Double>(OptionDeclaration("compute-tolerance", value: "DEX", help:
        "IsoFLOP budgets: runs sorted by compute join one budget while log10 C rises at most DEX decades from one run to the next (default 0.03; 0 groups equal C only)",
        laws: [.isoflop]), default: { ComputeBinning.defaultTolerance }) { text in
        let v = try Values.double(text, flag: "--compute-tolerance")
        guard v >= 0, v <= 1 else { throw UsageError(message: "--compute-tolerance: expected decades in [0, 1], found \(text)") }
        return v
    }
    static let binWidth = Option<Double>(OptionDeclaration("bin-width", value: "DEX", help:
        "loss envelope: the budgets C = 10^(k·DEX) at which the curves are compared (default 0.05 decades)",
        laws: [.envelope]), default: { 0.05 }) { text in
        let v = try Values.double(text, flag: "--bin-width")
        guard v >= 0.001, v <= 1 else { throw UsageError(message: "--bin-width: expected decades in [0.001, 1], found \(text)") }
        return v
    }
    static let tokensPerStep = Option<Double>(OptionDeclaration("tokens-per-step", value: "K", help:
        "loss envelope: tokens seen per step, D = step·K, for curves logged by step without a tokens column",
        laws: [.envelope])) { text in
        let v = try Values.double(text, flag: "--tokens-per-step")
        guard v > 0 else { throw UsageError(message: "--tokens-per-step: expected a positive number of tokens, found \(text)") }
        return v
    }

    static let resample = Option<IsoFLOPProfiles.Resampling>(OptionDeclaration("resample", value: "residuals|runs", help:
        "IsoFLOP bootstrap within each budget: residuals (default; each run keeps its N and takes a residual of its budget's parabola drawn with replacement; 96% coverage of a's 95% interval on 200 synthetic sweeps) or runs (whole runs drawn with replacement; 98%)",
        laws: [.isoflop]), default: { .residuals }) { text in
        guard let r = IsoFLOPProfiles.Resampling(rawValue: text) else {
            throw UsageError(message: "--resample: expected residuals or runs, found \"\(text)\"")
        }
        return r
    }

    /// The resamples of an allocation fit: `--bootstrap N`, else 1000 (each is a few parabolas, not a refit).
    static func samples(_ args: ParsedArguments) throws -> Int { try args.value(BootstrapOptions.bootstrap) ?? 1000 }
}
