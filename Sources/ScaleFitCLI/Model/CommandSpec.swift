import Foundation

/// A subcommand as declared: its usage lines, what it does, its arguments and its options.
/// `helpText` is generated from these, so `scalefit help fit` and `scalefit fit --help`
/// print the same text, and the options' help cannot drift from what is parsed.
public struct CommandSpec: Sendable {
    /// The subcommand's name (`fit`).
    public let name: String
    /// One line per form, after `scalefit NAME ` (e.g. `FILE [--law LAW] …`).
    public let usage: [String]
    /// What the command does, in paragraphs separated by blank lines.
    public let discussion: String
    /// Positional arguments and their help.
    public let arguments: [(name: String, help: String)]
    /// Every option, grouped as help shows them (a group title may be empty).
    public let groups: [(title: String, options: [OptionDeclaration])]

    public init(name: String, usage: [String], discussion: String, arguments: [(name: String, help: String)] = [],
                groups: [(title: String, options: [OptionDeclaration])]) {
        self.name = name
        self.usage = usage
        self.discussion = discussion
        self.arguments = arguments
        self.groups = groups
    }

    /// The declarations the parser takes.
    public var declarations: [OptionDeclaration] { groups.flatMap(\.options) }

    /// The help: usage, discussion, arguments, and each option with its laws.
    public var helpText: String {
        var text = ""
        let command = "scalefit \(name) "
        for (k, line) in usage.enumerated() {
            // A line that starts with a space continues the form above it.
            let continued = line.first == " "
            text += (k == 0 ? "USAGE: " : "       ")
                + (continued ? String(repeating: " ", count: command.count + 2) + line.trimmingCharacters(in: .whitespaces) : command + line) + "\n"
        }
        text += "\n" + discussion + "\n"
        if !arguments.isEmpty {
            text += "\nARGUMENTS:\n" + arguments.map { Self.entry($0.name, $0.help) }.joined()
        }
        for group in groups where !group.options.isEmpty {
            text += "\n" + (group.title.isEmpty ? "OPTIONS" : group.title.uppercased()) + ":\n"
            for o in group.options {
                let laws = o.laws.map { " [\($0.sorted().map(\.rawValue).joined(separator: ", "))]" } ?? ""
                text += Self.entry(o.label, o.help + laws)
            }
        }
        if groups.allSatisfy(\.options.isEmpty) { text += "\nOPTIONS:\n" }
        text += Self.entry("-h, --help", "show this help")
        return text
    }

    static let labelWidth = 22
    static let width = 96

    /// `  LABEL   help…` with the help wrapped under itself.
    static func entry(_ label: String, _ help: String) -> String {
        let indent = String(repeating: " ", count: labelWidth + 2)
        let lines = wrap(help, width: width - indent.count)
        var first = "  " + label
        var rest = lines
        if label.count < labelWidth, let head = rest.first {
            first += String(repeating: " ", count: labelWidth - label.count) + head
            rest.removeFirst()
        }
        return ([first] + rest.map { indent + $0 }).joined(separator: "\n") + "\n"
    }

    /// Greedy word wrap.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

/// A subcommand: its declarations and what it does with a parsed command line.
public protocol Subcommand: Sendable {
    static var spec: CommandSpec { get }
    /// Checks the combinations of options and positionals that no single value shows wrong
    /// (after every value has parsed, before any file is read); throws `UsageError`.
    static func validate(_ args: ParsedArguments) throws
    /// Does the work (the law's applicability and the output destinations are checked
    /// first, once the law is known); returns the exit status.
    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32
}

extension Subcommand {
    public static func validate(_ args: ParsedArguments) throws {}
}
