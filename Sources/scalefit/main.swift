import Foundation
import ScaleFitCLI

/// The command line: a thin shell over ScaleFitCLI, which returns the exit status.
exit(ScaleFitCLI.run(Array(CommandLine.arguments.dropFirst()), output: .standard))
