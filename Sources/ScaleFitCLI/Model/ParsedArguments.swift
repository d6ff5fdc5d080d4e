/// A subcommand's command line split by its declarations: the positionals and the raw text
/// of each option given, in order. Typed values come from `value(_:)`, which runs the
/// option's parse.
///
/// swift-argument-parser's conventions, by hand: `--flag value` and `--flag=value`, short
/// names (`-o FILE`), `--help`/`-h` anywhere, and an unknown flag named with the nearest
/// flag of this subcommand.
public struct ParsedArguments: Sendable {
    public private(set) var positionals: [String] = []
    /// Every value of each option given (by long name), in order; a flag has one empty value.
    public private(set) var raw: [String: [String]] = [:]
    /// The options given, by long name, in the order first given, as the user spelled them.
    public private(set) var given: [(name: String, spelled: String)] = []
    public private(set) var help = false
    public let declarations: [OptionDeclaration]

    public init(_ args: [String], declarations: [OptionDeclaration]) throws {
        self.declarations = declarations
        let byName = Dictionary(declarations.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--help" || a == "-h" { help = true; continue }
            var declaration: OptionDeclaration?
            var spelled = a
            var inline: String?
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                spelled = "--\(name)"
                guard let d = byName[name] else {
                    let hint = nearest(name, in: declarations.map(\.name)).map { "; did you mean '--\($0)'?" } ?? ""
                    throw UsageError(message: "unknown option '--\(name)'\(hint)")
                }
                declaration = d
            } else if a.hasPrefix("-") && a.count > 1 && Double(a) == nil {
                guard a.count == 2, let d = declarations.first(where: { $0.short == a.last }) else {
                    throw UsageError(message: "unknown option '\(a)'")
                }
                declaration = d
            } else {
                positionals.append(a)
                continue
            }
            let d = declaration!
            if !given.contains(where: { $0.name == d.name }) { given.append((d.name, spelled)) }
            if d.arity == .flag {
                guard inline == nil else { throw UsageError(message: "option '\(spelled)' takes no value") }
                raw[d.name, default: []].append("")
                continue
            }
            if let inline {
                raw[d.name, default: []].append(inline)
            } else {
                guard i < args.count else { throw UsageError(message: "option '\(spelled)' needs a value") }
                raw[d.name, default: []].append(args[i])
                i += 1
            }
        }
    }

    /// Parses every value given, in command-line order, so that a bad value is refused
    /// (exit 64, naming the flag) before any work.
    public func checkValues() throws {
        for (name, _) in given {
            guard let check = declarations.first(where: { $0.name == name })?.check else { continue }
            for text in raw[name] ?? [] { try check(text) }
        }
    }

    /// Whether the option was given.
    public func has(_ declaration: OptionDeclaration) -> Bool { raw[declaration.name] != nil }
    public func has(_ flag: Flag) -> Bool { has(flag.declaration) }
    public func has<V>(_ option: Option<V>) -> Bool { has(option.declaration) }

    /// The option's text as given (the last time), or nil.
    public func text<V>(_ option: Option<V>) -> String? { raw[option.declaration.name]?.last }

    /// The option's value parsed (the last one given), else its default, else nil.
    public func value<V>(_ option: Option<V>) throws -> V? {
        if let text = raw[option.declaration.name]?.last { return try option.parse(text) }
        return option.defaultValue?()
    }

    /// Every value of a repeatable option, parsed, in order.
    public func values<V>(_ option: Option<V>) throws -> [V] {
        try (raw[option.declaration.name] ?? []).map(option.parse)
    }

    /// The spelling the user gave an option (`-o` or `--output`), for messages.
    public func spelling(_ declaration: OptionDeclaration) -> String {
        given.first { $0.name == declaration.name }?.spelled ?? "--\(declaration.name)"
    }

    /// Refuses the first option given (in command-line order) that does not apply to `law`:
    /// "--bootstrap does not apply to the kaplan law (it applies to: chinchilla)".
    public func checkApplicability(to law: FitLaw) throws {
        for (name, spelled) in given {
            guard let d = declarations.first(where: { $0.name == name }), let laws = d.laws, !laws.contains(law) else { continue }
            throw UsageError(message: "\(spelled) does not apply to the \(law.rawValue) law (it applies to: \(laws.sorted().map(\.rawValue).joined(separator: ", ")))")
        }
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
public func nearest(_ word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word, $0)) }.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    guard let best = scored.first, best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = prev
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[y.count]
}
