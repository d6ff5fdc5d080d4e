import ScaleFit

/// `scalefit laws`: the laws with their formulas.
enum LawsCommand {
    static let usage = """
    USAGE: scalefit laws [--format table|json|csv|markdown]

    Lists the laws scalefit knows, their formulas and references, and whether
    'scalefit fit --law' takes them yet.
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueFlags: ["format"])
        if args.help { print(usage); return 0 }
        guard args.positionals.isEmpty else { throw UsageError(message: "laws takes no arguments\n\n\(usage)") }
        let format = try outputFormat(args)
        if format == "json" { print(jsonText(LawCatalog.all), terminator: ""); return 0 }
        let t = TextTable(header: ["law", "formula", "cli", "reference"], rows: LawCatalog.all.map {
            [$0.identifier, $0.formula, $0.onCommandLine ? "fit" : "library", $0.reference]
        })
        print(t.render(TextTable.Style(rawValue: format) ?? .table), terminator: "")
        return 0
    }
}
