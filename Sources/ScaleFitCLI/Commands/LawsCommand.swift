import ScaleFit

/// `scalefit laws`: the laws with their formulas.
enum LawsCommand: Subcommand {
    static let spec = CommandSpec(
        name: "laws", usage: ["[--format table|json|csv|markdown]"],
        discussion: """
        Lists the laws scalefit knows, their formulas and references, and whether
        'scalefit fit --law' takes them yet.
        """,
        groups: [("options", [OutputOptions.format.declaration])])

    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        guard args.positionals.isEmpty else { throw UsageError(message: "laws takes no arguments\n\n\(spec.helpText)") }
        let format = try args.value(OutputOptions.format)!
        if format == .json { try out.write(jsonText(LawRegistry.descriptions)); return 0 }
        let t = TextTable(header: ["law", "formula", "cli", "reference"], rows: LawRegistry.descriptions.map {
            [$0.identifier, $0.formula, $0.onCommandLine ? "fit" : "library", $0.reference]
        })
        try out.write(t.render(format.style))
        return 0
    }
}
