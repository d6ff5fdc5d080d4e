import Foundation

/// The loss-curve laws by name, with their options, so that a command line, a fit file or
/// a script can choose one at run time: `annealing` (Tissue et al. 2024) or `multipower`
/// (Luo et al. 2025).
///
/// `settings` writes the options a fit file must keep to predict as the fit did:
///
/// ```
/// annealing    momentum = "0.999" (λ fixed) or "fitted";  warmup = countedAtPeak | asScheduled
/// multipower   convention = repository | paper
/// ```
public enum CurveLaw: Sendable {
    case annealing(AnnealingLaw)
    case multipower(MultiPowerLaw)

    /// The identifiers, as `--law` takes them.
    public static let identifiers = ["annealing", "multipower"]

    /// The law's identifier.
    public var identifier: String {
        switch self {
        case .annealing: return "annealing"
        case .multipower: return "multipower"
        }
    }

    /// The law in one line, with its option.
    public var formula: String {
        switch self {
        case let .annealing(law):
            let lambda: String
            switch law.momentum {
            case let .fixed(value): lambda = "lambda = \(value) fixed"
            case .fitted: lambda = "lambda fitted"
            }
            return "L(s) = L0 + A*S1(s)^(-alpha) - C*S2(s), S2 with momentum (\(lambda)); warmup \(law.warmup.rawValue)"
        case let .multipower(law):
            return "L(t) = L0 + A*S1(t)^(-alpha) - B*sum_k (eta_(k-1)-eta_k)*(1-(C*eta_k^(-gamma)*S_k(t)+1)^(-beta)); \(law.convention.rawValue) convention"
        }
    }

    /// The parameters' names, in the order of θ.
    public var parameterNames: [String] {
        switch self {
        case let .annealing(law): return law.parameterNames
        case let .multipower(law): return law.parameterNames
        }
    }

    /// The options a fit file keeps (see the type's documentation).
    public var settings: [String: String] {
        switch self {
        case let .annealing(law):
            let momentum: String
            switch law.momentum {
            case let .fixed(value): momentum = "\(value)"
            case .fitted: momentum = "fitted"
            }
            return ["momentum": momentum, "warmup": law.warmup.rawValue]
        case let .multipower(law):
            return ["convention": law.convention.rawValue]
        }
    }

    /// The law named `identifier` with the options in `settings` (missing keys take the
    /// laws' defaults). `file` names the source in errors (`invalidData`).
    public init(identifier: String, settings: [String: String] = [:], file: String = "fit file") throws {
        switch identifier {
        case "annealing":
            var momentum = AnnealingLaw.Momentum.fixed(0.999)
            if let text = settings["momentum"] {
                if text == "fitted" {
                    momentum = .fitted
                } else if let value = Double(text), value >= 0, value < 1 {
                    momentum = .fixed(value)
                } else {
                    throw ScaleFitError.invalidData(file: file, reason: "momentum \"\(text)\": expected a number in [0, 1) or \"fitted\"")
                }
            }
            var warmup = AnnealingLaw.Warmup.countedAtPeak
            if let text = settings["warmup"] {
                guard let w = AnnealingLaw.Warmup(rawValue: text) else {
                    throw ScaleFitError.invalidData(file: file, reason: "warmup \"\(text)\": expected countedAtPeak or asScheduled")
                }
                warmup = w
            }
            self = .annealing(AnnealingLaw(momentum: momentum, warmup: warmup))
        case "multipower":
            var convention = MultiPowerLaw.Convention.repository
            if let text = settings["convention"] {
                guard let c = MultiPowerLaw.Convention(rawValue: text) else {
                    throw ScaleFitError.invalidData(file: file, reason: "convention \"\(text)\": expected repository or paper")
                }
                convention = c
            }
            self = .multipower(MultiPowerLaw(convention: convention))
        default:
            throw ScaleFitError.invalidData(file: file, reason: "\"\(identifier)\" is not a loss-curve law (expected \(Self.identifiers.joined(separator: " or ")))")
        }
    }

    /// The predicted loss at `steps` (increasing) of a run with η = `rates`, and
    /// ∂L/∂θ column-major (`gradient[j + p·steps.count]`).
    public func predictWithGradient(rates: [Double], steps: [Int], parameters: [Double]) -> (values: [Double], gradient: [Double]) {
        var values = [Double](repeating: 0, count: steps.count)
        var gradient = [Double](repeating: 0, count: steps.count * parameterNames.count)
        switch self {
        case let .annealing(law):
            law.predictWithGradient(law.prepare(rates: rates, steps: steps), parameters: parameters, values: &values, gradient: &gradient)
        case let .multipower(law):
            law.predictWithGradient(law.prepare(rates: rates, steps: steps), parameters: parameters, values: &values, gradient: &gradient)
        }
        return (values, gradient)
    }

    /// The predicted loss at `steps` (increasing) of a run with η = `rates`.
    public func predict(rates: [Double], steps: [Int], parameters: [Double]) -> [Double] {
        switch self {
        case let .annealing(law): return law.predict(rates: rates, steps: steps, parameters: parameters)
        case let .multipower(law): return law.predict(rates: rates, steps: steps, parameters: parameters)
        }
    }
}
