/// The laws scalefit knows, with their formulas and where they stand: what
/// `scalefit laws` lists.
public struct LawDescription: Sendable, Codable, Equatable {
    public var identifier: String
    public var formula: String
    public var reference: String
    /// Whether `scalefit fit` can fit it yet (the others are library-only so far).
    public var onCommandLine: Bool
}

/// The list `scalefit laws` prints; kept as a name for `LawRegistry.descriptions`.
public enum LawCatalog {
    public static var all: [LawDescription] { LawRegistry.descriptions }
}
