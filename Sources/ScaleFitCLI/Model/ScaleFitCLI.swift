import ScaleFit

/// The command line as a library: `run(_:output:)` parses, validates and runs one
/// command line and returns its exit status — 0 ok, 1 the fit failed, 64 usage, 65 bad
/// data, 74 output cannot be written. Nothing here calls `exit` or prints directly.
public enum ScaleFitCLI {
    public static let version = "0.1.0"

    /// Every subcommand, in help order.
    static let subcommands: [(name: String, summary: String, type: any Subcommand.Type)] = [
        ("fit", "fit a law to a data file and report parameters, uncertainty and residuals", FitCommand.self),
        ("predict", "predict from a saved fit: at model sizes and tokens, or at steps under a schedule", PredictCommand.self),
        ("optimal", "compute-optimal model size and tokens for a FLOP budget, or (--mix) language sampling ratios", OptimalCommand.self),
        ("compare-approaches", "Hoffmann's approaches 1, 2 and 3 side by side: a, b and the allocation at a budget", CompareApproachesCommand.self),
        ("check-independence", "does each language family's loss depend on its own sampling ratio only?", CheckIndependenceCommand.self),
        ("backtest", "fit a law on some runs (or model sizes) and score its prediction of the others", BacktestCommand.self),
        ("plot", "draw a saved fit over data as SVG (-o FIG.svg)", PlotCommand.self),
        ("laws", "list the laws with their formulas", LawsCommand.self),
        ("help", "show help for a command", HelpCommand.self),
    ]

    static var generalUsage: String {
        let rows = subcommands.map { c -> String in
            let label = c.name + (["predict", "optimal"].contains(c.name) ? " FIT" : ["fit", "backtest", "check-independence", "compare-approaches"].contains(c.name) ? " FILE" : c.name == "plot" ? " FIT DATA" : c.name == "help" ? " [COMMAND]" : "")
            return CommandSpec.entry(label, c.summary)
        }
        return """
        USAGE: scalefit <command> [options]

        Fits scaling laws and loss curves of neural-network training, and predicts from them.

        COMMANDS:
        \(rows.joined())
        OPTIONS:
        \(CommandSpec.entry("-h, --help", "show this help"))\(CommandSpec.entry("--version", "show the version"))
        See 'scalefit help <command>' for a command's options.
        """
    }

    static func command(named name: String) -> (any Subcommand.Type)? {
        subcommands.first { $0.name == name }?.type
    }

    static func unknownCommand(_ name: String) -> UsageError {
        let hint = nearest(name, in: subcommands.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
        return UsageError(message: "unknown command '\(name)'\(hint)")
    }

    /// Runs one command line (without the program name) writing to `output`.
    public static func run(_ argv: [String], output out: CommandOutput) -> Int32 {
        do {
            if argv.isEmpty || argv == ["--help"] || argv == ["-h"] {
                try out.print(generalUsage)
                return argv.isEmpty ? 64 : 0
            }
            if argv == ["--version"] { try out.print("scalefit \(version)"); return 0 }
            guard let command = command(named: argv[0]) else {
                let e = unknownCommand(argv[0])
                out.noteLines("scalefit: \(e.message)\n\n\(generalUsage)")
                return 64
            }
            let args = try ParsedArguments(Array(argv.dropFirst()), declarations: command.spec.declarations)
            if args.help { try out.write(command.spec.helpText); return 0 }
            try args.checkValues()
            try command.validate(args)
            return try command.run(args, out)
        } catch let e as UsageError {
            out.noteLines("scalefit: \(e.message)")
            return 64
        } catch let e as OutputError {
            out.note("scalefit: \(e.description)")
            return 74
        } catch let e as ScaleFitError {
            out.note("scalefit: \(ArgumentFlags.naming(e).description)")
            return e.exitCode
        } catch {
            out.note("scalefit: \(error)")
            return 1
        }
    }
}

