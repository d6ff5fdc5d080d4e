import ScaleFit

/// `scalefit help [COMMAND]`: the same text as `scalefit COMMAND --help`.
enum HelpCommand: Subcommand {
    static let spec = CommandSpec(name: "help", usage: ["[COMMAND]"], discussion: "Shows the help of a command (the same as 'scalefit COMMAND --help').",
                                  arguments: [("COMMAND", "a command: " + ScaleFitCLI.subcommands.map(\.name).joined(separator: ", "))], groups: [])

    static func run(_ args: ParsedArguments, _ out: CommandOutput) throws -> Int32 {
        guard let topic = args.positionals.first else { try out.print(ScaleFitCLI.generalUsage); return 0 }
        guard args.positionals.count == 1 else { throw UsageError(message: "help takes one command") }
        guard let command = ScaleFitCLI.command(named: topic) else { throw ScaleFitCLI.unknownCommand(topic) }
        try out.write(command.spec.helpText)
        return 0
    }
}
