/// One command-line option as declared once: its names, the value it takes, its help text
/// and the laws it applies to. Help, parsing, "did you mean" and the applicability check
/// are all made from these declarations.
public struct OptionDeclaration: Sendable {
    /// What follows the option on the command line.
    public enum Arity: Sendable, Equatable {
        /// A switch: present or absent (`--strict`).
        case flag
        /// One value; given twice, the last wins (`--format json`).
        case single
        /// A value each time it is given, kept in order (`--at N=1 --at D=2`).
        case repeatable
    }

    /// The long name without dashes (`bootstrap`).
    public let name: String
    /// The short name (`o` for `-o`), if any.
    public let short: Character?
    /// The value's name in help (`N`, `FILE.svg`); empty for a flag.
    public let valueName: String
    public let arity: Arity
    /// One or more sentences; the help wraps them.
    public let help: String
    /// The laws the option applies to; nil when it applies whatever the law.
    public let laws: Set<FitLaw>?
    /// Parses a value and throws what the typed option's parse throws (set by `Option`).
    var check: (@Sendable (String) throws -> Void)?

    public init(_ name: String, short: Character? = nil, value valueName: String = "", arity: Arity = .single,
                help: String, laws: Set<FitLaw>? = nil) {
        self.name = name
        self.short = short
        self.valueName = valueName
        self.arity = valueName.isEmpty ? .flag : arity
        self.help = help
        self.laws = laws
    }

    /// The same option applying to other laws (a shared option whose reach differs by command).
    public func applying(to laws: Set<FitLaw>?) -> OptionDeclaration {
        var d = OptionDeclaration(name, short: short, value: valueName, arity: arity, help: help, laws: laws)
        d.check = check
        return d
    }

    /// `-o, --output FILE` as help shows it.
    var label: String {
        (short.map { "-\($0), " } ?? "") + "--\(name)" + (valueName.isEmpty ? "" : " \(valueName)")
    }
}

/// An option with a typed value: the declaration and the parse from the command-line text.
/// The parse throws a usage error naming the flag, so every value is checked before any work.
public struct Option<Value>: Sendable {
    public let declaration: OptionDeclaration
    /// Text to value; throws `UsageError` or `ScaleFitError.badArgument` naming the flag.
    public let parse: @Sendable (String) throws -> Value
    /// The value when the option is absent, if it has one.
    public let defaultValue: (@Sendable () -> Value)?

    public init(_ declaration: OptionDeclaration, default defaultValue: (@Sendable () -> Value)? = nil,
                parse: @escaping @Sendable (String) throws -> Value) {
        var d = declaration
        d.check = { _ = try parse($0) }
        self.declaration = d
        self.parse = parse
        self.defaultValue = defaultValue
    }

    /// The same option applying to other laws.
    public func applying(to laws: Set<FitLaw>?) -> Option<Value> {
        Option(declaration.applying(to: laws), default: defaultValue, parse: parse)
    }
}

/// A switch: present or absent.
public struct Flag: Sendable {
    public let declaration: OptionDeclaration
    public init(_ name: String, help: String, laws: Set<FitLaw>? = nil) {
        declaration = OptionDeclaration(name, help: help, laws: laws)
    }
    private init(declaration: OptionDeclaration) { self.declaration = declaration }

    /// The same flag applying to other laws.
    public func applying(to laws: Set<FitLaw>?) -> Flag { Flag(declaration: declaration.applying(to: laws)) }
}

extension Option where Value == String {
    /// An option whose value is its text.
    public init(_ declaration: OptionDeclaration) { self.init(declaration) { $0 } }
}
