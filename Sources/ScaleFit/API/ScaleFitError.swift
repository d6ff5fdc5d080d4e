import Foundation

/// Every error the library can throw. One enum, `Equatable`, so tests compare errors
/// exactly; each case carries where the problem is (file, line and column, or the flag)
/// and what was expected. The command line maps `exitCode` to its exit status.
public enum ScaleFitError: Error, Equatable, Sendable {
    // MARK: Input data (exit 65)

    /// A cell, token or field that is not what was expected.
    case badValue(file: String, line: Int, column: Int, expected: String, found: String)
    /// Bytes of a binary file (a TensorBoard event file) that are not what was expected;
    /// `offset` is the 0-based byte offset in the file where the problem starts.
    case badBytes(file: String, offset: Int, expected: String, found: String)
    /// A file with no data at all.
    case emptyFile(file: String)
    /// A file that has a header but no data rows.
    case headerOnly(file: String)
    /// Two columns with the same name in a header.
    case duplicateColumn(file: String, line: Int, column: Int, name: String)
    /// A column the user asked for (or a law needs) that is not in the table.
    case missingColumn(file: String, name: String, available: [String])
    /// Data that cannot be used for the stated reason (too few points, non-monotone steps…).
    case invalidData(file: String, reason: String)
    /// Rows would be dropped and the table is read in strict mode (`TableOptions.strict`).
    case droppedRows(file: String, count: Int, first: String)
    /// A fit file whose format version this build does not read.
    case unsupportedVersion(file: String, found: Int, supported: Int)

    // MARK: Usage (exit 64)

    /// A flag's value (a schedule spec, a formula, a number) that does not parse.
    /// `position` is the 1-based character position inside the value, 0 when not applicable.
    case badArgument(flag: String, position: Int, expected: String, found: String)

    // MARK: Numerics (exit 1)

    /// A LAPACK routine returned a non-zero `info`.
    case lapack(routine: String, info: Int)
    /// A residual or Jacobian entry was NaN or infinite at the point where it was needed.
    case nonFinite(what: String, row: Int, column: Int)
    /// Dimensions that do not agree (a programming error surfaced as a value).
    case dimensionMismatch(expected: String, found: String)
    /// The fit could not be carried out for the stated reason.
    case fitFailed(reason: String)

    // MARK: Output (exit 74)

    /// An output (a fit file, a figure, a report) that cannot be written.
    case cannotWrite(path: String, reason: String)
}

extension ScaleFitError {
    /// The exit status the command line uses for this error: 64 usage, 65 bad data, 1 a
    /// fit or numerical failure (the BSD `sysexits.h` convention).
    public var exitCode: Int32 {
        switch self {
        case .badValue, .badBytes, .emptyFile, .headerOnly, .duplicateColumn, .missingColumn,
             .invalidData, .droppedRows, .unsupportedVersion:
            return 65
        case .badArgument:
            return 64
        case .lapack, .nonFinite, .dimensionMismatch, .fitFailed:
            return 1
        case .cannotWrite:
            return 74
        }
    }
}

extension ScaleFitError: CustomStringConvertible {
    /// A one-line message in the `file:line:column: what` form compilers use.
    public var description: String {
        switch self {
        case let .badValue(file, line, column, expected, found):
            return "\(file):\(line):\(column): expected \(expected), found \"\(found)\""
        case let .badBytes(file, offset, expected, found):
            return "\(file): byte \(offset): expected \(expected), found \(found)"
        case let .emptyFile(file):
            return "\(file): the file is empty"
        case let .headerOnly(file):
            return "\(file): the file has a header but no data rows"
        case let .duplicateColumn(file, line, column, name):
            return "\(file):\(line):\(column): duplicate column name \"\(name)\""
        case let .missingColumn(file, name, available):
            return "\(file): no column \"\(name)\" (columns: \(available.joined(separator: ", ")))"
        case let .invalidData(file, reason):
            return "\(file): \(reason)"
        case let .droppedRows(file, count, first):
            return "\(file): \(count) row\(count == 1 ? "" : "s") would be dropped (\(first)) in strict mode"
        case let .unsupportedVersion(file, found, supported):
            return "\(file): fit file format version \(found) is not supported (this build reads version \(supported))"
        case let .badArgument(flag, position, expected, found):
            let at = position > 0 ? " at \(position)" : ""
            return "\(flag): expected \(expected)\(at), found \"\(found)\""
        case let .lapack(routine, info):
            return "LAPACK \(routine) failed with info = \(info)"
        case let .nonFinite(what, row, column):
            return "non-finite \(what) at row \(row), column \(column)"
        case let .dimensionMismatch(expected, found):
            return "dimension mismatch: expected \(expected), found \(found)"
        case let .fitFailed(reason):
            return "the fit failed: \(reason)"
        case let .cannotWrite(path, reason):
            return "\(path): cannot be written: \(reason)"
        }
    }
}

extension ScaleFitError: LocalizedError {
    /// The same one-line message as `description`, so `error.localizedDescription` and
    /// `print(error)` say what went wrong and where.
    public var errorDescription: String? { description }
}
