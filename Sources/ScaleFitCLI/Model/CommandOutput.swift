import Foundation
import ScaleFit

/// Where a command writes: its standard output (the results) and its standard error
/// (progress, warnings and errors), as two text sinks.
///
/// The executable passes `CommandOutput.standard`, which writes each piece as it comes;
/// tests pass `CommandOutput.capturing()` and read `stdout` and `stderr` back. A failing
/// write of the results (a full disk, `>/dev/full`) throws `OutputError` (exit 74).
public final class CommandOutput: @unchecked Sendable {
    private let writeOut: (String) throws -> Void
    private let writeErr: (String) -> Void
    private let lock = NSLock()
    private var capturedOut = ""
    private var capturedErr = ""
    private var unsound = false
    private let captures: Bool

    /// A sink pair from two closures; `out` may throw when the text cannot be written.
    public init(out: @escaping (String) throws -> Void, err: @escaping (String) -> Void) {
        writeOut = out
        writeErr = err
        captures = false
    }

    private init(capturing: Void) {
        writeOut = { _ in }
        writeErr = { _ in }
        captures = true
    }

    /// Text kept in memory, for tests: read it back from `stdout` and `stderr`.
    public static func capturing() -> CommandOutput { CommandOutput(capturing: ()) }

    /// The process's standard output and error, written unbuffered as each piece comes.
    /// Results that go to a terminal have their control characters shown escaped (tables
    /// escape their cells whatever the destination; JSON escapes them itself).
    public static var standard: CommandOutput {
        let terminal = isatty(STDOUT_FILENO) == 1
        return CommandOutput(out: { text in
            let text = terminal ? text.terminalMessageEscaped : text
            do { try FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) } catch {
                throw OutputError(path: "<stdout>", reason: OutputError.reason(error))
            }
        }, err: { text in
            try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
        })
    }

    /// What was written to standard output (capturing outputs only).
    public var stdout: String { lock.withLock { capturedOut } }
    /// What was written to standard error (capturing outputs only).
    public var stderr: String { lock.withLock { capturedErr } }

    /// Writes `text` to standard output as it is (no newline added).
    public func write(_ text: String) throws {
        if captures { lock.withLock { capturedOut += text }; return }
        try writeOut(text)
    }

    /// Writes `line` and a newline to standard output.
    public func print(_ line: String) throws { try write(line + "\n") }

    /// Whether a command warned that its fit is not sound (`warnUnsound`): `fit --strict`
    /// then exits 1.
    public var warnedUnsound: Bool { lock.withLock { unsound } }

    /// The warning every unsound fit gives on standard error, recorded for `warnedUnsound`.
    func warnUnsound(_ diagnostics: [String]) {
        guard !diagnostics.isEmpty else { return }
        lock.withLock { unsound = true }
        note("warning: the fit is not sound: " + diagnostics.joined(separator: "; "))
    }

    /// Writes `line` and a newline to standard error as one line: control characters from
    /// data (an ANSI escape, a newline or a tab in a run name or a cell) shown escaped,
    /// `\u{1B}`, `\u{A}`, so no string can forge a line of the message.
    public func note(_ line: String) {
        writeNote(line.terminalEscaped)
    }

    /// Writes `text`, a message of several lines (a usage error with its help), and a newline
    /// to standard error; its newlines and tabs kept, other control characters escaped.
    public func noteLines(_ text: String) {
        writeNote(text.terminalMessageEscaped)
    }

    private func writeNote(_ line: String) {
        if captures { lock.withLock { capturedErr += line + "\n" }; return }
        writeErr(line + "\n")
    }
}

/// A result that cannot be written: standard output or a file named by `-o`, `--plot` or
/// `--report` (exit 74, `sysexits.h` EX_IOERR).
public struct OutputError: Error, Equatable, CustomStringConvertible {
    /// The option that named the path (`-o`, `--plot`, `--report`), nil for standard output.
    public let flag: String?
    /// The path that cannot be written (`<stdout>` for standard output).
    public let path: String
    /// Why, in words.
    public let reason: String

    public init(flag: String? = nil, path: String, reason: String) {
        self.flag = flag
        self.path = path
        self.reason = reason
    }

    /// The system's words for a failed write (`No space left on device`), else Foundation's.
    static func reason(_ error: Error) -> String {
        let e = error as NSError
        if e.domain == NSPOSIXErrorDomain, let s = strerror(Int32(e.code)) { return String(cString: s) }
        if let u = e.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain, let s = strerror(Int32(u.code)) {
            return String(cString: s)
        }
        return e.localizedDescription
    }

    public var description: String { (flag.map { "\($0): " } ?? "") + "cannot write \(path): \(reason)" }
}

/// A usage error: a message and exit status 64 (`sysexits.h` EX_USAGE), thrown by parsing
/// and validation before any work.
public struct UsageError: Error, Equatable {
    public let message: String
    public init(message: String) { self.message = message }
}
