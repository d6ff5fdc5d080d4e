/// The laws scalefit knows, with their formulas and where they stand: what
/// `scalefit laws` lists.
public struct LawDescription: Sendable, Codable, Equatable {
    public var identifier: String
    public var formula: String
    public var reference: String
    /// Whether `scalefit fit` can fit it yet (the others are library-only so far).
    public var onCommandLine: Bool
}

public enum LawCatalog {
    public static let all: [LawDescription] = [
        LawDescription(identifier: ChinchillaLaw.identifier, formula: ChinchillaLaw.formula,
                       reference: "Hoffmann et al. 2022, approach 3 (Huber 1e-3 on log residuals, 4500 starts)",
                       onCommandLine: true),
        LawDescription(identifier: KaplanLaw.identifier, formula: KaplanLaw.formula,
                       reference: "Kaplan et al. 2020, eq. 1.5", onCommandLine: true),
        LawDescription(identifier: SaturatingPowerLaw.identifier, formula: SaturatingPowerLaw.formula,
                       reference: "saturating power law on one column (N, D, C or steps)", onCommandLine: true),
        LawDescription(identifier: "annealing", formula: "L(s) = L0 + A*S1^(-alpha) - C*S2",
                       reference: "Tissue et al. 2024 (LR annealing with momentum)", onCommandLine: true),
        LawDescription(identifier: "multipower",
                       formula: "L(t) = L0 + A*(S1(t)+S_W)^(-alpha) - B*sum_k (eta_(k-1)-eta_k)*G(eta_k^(-gamma)*S_k(t))",
                       reference: "Luo et al. 2025 (multi-power law)", onCommandLine: true),
        LawDescription(identifier: MultilingualLaw.identifier, formula: MultilingualLaw.formula,
                       reference: "He et al. 2024 (per language family; Huber 1e-3 on log residuals, 72 starts; optimal --mix)",
                       onCommandLine: true),
        LawDescription(identifier: FitFile.formulaLaw, formula: "any formula: --formula 'E + A*N^-alpha + B*D^-beta'",
                       reference: "your own law over the table's columns; exact Jacobian by forward-mode differentiation",
                       onCommandLine: true),
    ]
}
