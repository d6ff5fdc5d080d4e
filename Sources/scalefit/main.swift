import Foundation
import ScaleFit

/// The command line: a thin client of the ScaleFit library. Exit status: 0 ok, 1 the fit
/// failed, 64 usage, 65 bad data.
let version = "0.1.0"

let generalUsage = """
USAGE: scalefit <command> [options]

Fits scaling laws and loss curves of neural-network training, and predicts from them.

COMMANDS:
  fit FILE        fit a law to a data file and report parameters, uncertainty and residuals
  predict FIT     predict from a saved fit: at model sizes and tokens, or at steps under a schedule
  optimal FIT     compute-optimal model size and tokens for a FLOP budget, or (--mix) language sampling ratios
  check-independence FILE  does each language family's loss depend on its own sampling ratio only?
  backtest FILE   fit a law on some runs (or model sizes) and score its prediction of the others
  plot FIT DATA   draw a saved fit over data as SVG (-o FIG.svg)
  laws            list the laws with their formulas
  help [COMMAND]  show help for a command

OPTIONS:
  -h, --help      show this help
  --version       show the version

See 'scalefit help <command>' for a command's options.
"""

let commands: [String: (usage: String, run: ([String]) throws -> Int32)] = [
    "fit": (FitCommand.usage, FitCommand.run),
    "predict": (PredictCommand.usage, PredictCommand.run),
    "optimal": (OptimalCommand.usage, OptimalCommand.run),
    "laws": (LawsCommand.usage, LawsCommand.run),
    "backtest": (CurveFitCommand.backtestUsage, CurveFitCommand.backtest),
    "plot": (PlotCommand.usage, PlotCommand.run),
    "check-independence": (MultilingualCommand.checkUsage, MultilingualCommand.checkIndependence),
]

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("scalefit: \(message)\n".utf8))
    exit(code)
}

var argv = Array(CommandLine.arguments.dropFirst())
if argv.isEmpty || argv == ["--help"] || argv == ["-h"] {
    print(generalUsage)
    exit(argv.isEmpty ? 64 : 0)
}
if argv == ["--version"] { print("scalefit \(version)"); exit(0) }
var name = argv.removeFirst()
if name == "help" {
    guard let topic = argv.first else { print(generalUsage); exit(0) }
    guard let c = commands[topic] else {
        let hint = nearest(topic, in: Array(commands.keys)).map { "; did you mean '\($0)'?" } ?? ""
        fail("unknown command '\(topic)'\(hint)", code: 64)
    }
    print(c.usage)
    exit(0)
}
guard let command = commands[name] else {
    let hint = nearest(name, in: Array(commands.keys)).map { "; did you mean '\($0)'?" } ?? ""
    fail("unknown command '\(name)'\(hint)\n\n\(generalUsage)", code: 64)
}
do {
    exit(try command.run(argv))
} catch let e as UsageError {
    fail(e.message, code: 64)
} catch let e as ScaleFitError {
    fail(e.description, code: e.exitCode)
} catch {
    fail("\(error)", code: 1)
}
