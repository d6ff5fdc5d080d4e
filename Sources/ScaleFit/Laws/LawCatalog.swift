/// The laws scalefit knows, with their formulas and where they stand: what
/// `scalefit laws` lists.
public struct LawDescription: Sendable, Codable, Equatable {
    /// The name `--law` takes and fit files keep (`Law.identifier`).
    public var identifier: String
    /// The law in one line, in ASCII.
    public var formula: String
    /// Where the law comes from, in a line.
    public var reference: String
    /// Whether `scalefit fit` can fit it yet (the others are library-only so far).
    public var onCommandLine: Bool
}

/// The list `scalefit laws` prints; kept as a name for `LawRegistry.descriptions`.
public enum LawCatalog {
    /// Every law `scalefit laws` lists: the registered laws, then the multilingual law.
    public static var all: [LawDescription] { LawRegistry.descriptions }
}
