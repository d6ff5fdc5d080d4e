import Foundation

// scalefit-bench <subcommand> [arguments]: one entry per benchmark. To add one, write a
// `BenchSubcommand` value in its own file and list it here.

let subcommands: [BenchSubcommand] = [
    nistBenchmark,
    chinchillaBenchmark,
    formulaBenchmark,
    readBenchmark,
    curvesBenchmark,
    denseBenchmark,
    lossDropBenchmark,
    scheduleBenchmark,
    coverageBenchmark,
    isoflopBenchmark,
    envelopeBenchmark,
]

func usage() -> String {
    var text = "usage: scalefit-bench <subcommand> [arguments]\n\nsubcommands:\n"
    let width = subcommands.map { $0.synopsis.count }.max() ?? 0
    for s in subcommands {
        text += "  " + s.synopsis.padding(toLength: width + 2, withPad: " ", startingAt: 0) + s.summary + "\n"
    }
    return text
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first else {
    FileHandle.standardError.write(Data(usage().utf8))
    exit(64)
}
if name == "help" || name == "--help" || name == "-h" {
    print(usage(), terminator: "")
    exit(0)
}
guard let subcommand = subcommands.first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("scalefit-bench: unknown subcommand \"\(name)\"\n\n\(usage())".utf8))
    exit(64)
}
exit(subcommand.run(Array(arguments.dropFirst())))
