/// A law the command line fits or reads from a fit file: what an option's applicability
/// names. The cases are `LawRegistry.identifiers` and `nist` (a test keeps them so), so the
/// typed declarations cannot miss a law the library knows. `nist` is a NIST StRD `.dat` file, fitted with its own model; `isoflop` and
/// `envelope` are Hoffmann et al.'s approaches 2 and 1 (two-stage allocation fits).
public enum FitLaw: String, CaseIterable, Sendable, Comparable {
    case chinchilla, power, kaplan, annealing, multipower, multilingual, isoflop, envelope, formula, nist

    /// The two loss-curve laws.
    public static let curves: Set<FitLaw> = [.annealing, .multipower]
    /// Hoffmann's approaches 2 and 1: N_opt ∝ C^a fitted through per-budget optima.
    public static let allocation: Set<FitLaw> = [.isoflop, .envelope]

    public static func < (a: FitLaw, b: FitLaw) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The law of a fit file's `law` field, nil for one the command line does not know.
    public init?(fitFileLaw name: String) { self.init(rawValue: name) }
}
