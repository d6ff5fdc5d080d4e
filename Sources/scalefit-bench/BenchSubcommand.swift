import Foundation

/// One `scalefit-bench` subcommand: its name, a one-line usage and summary, and the code that
/// runs it on the remaining arguments and returns the exit status.
struct BenchSubcommand: Sendable {
    let name: String
    /// "nist [DIR]": the name and its arguments, for the usage text.
    let synopsis: String
    let summary: String
    let run: @Sendable ([String]) -> Int32
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
