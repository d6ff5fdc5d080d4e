import ScaleFit

/// A usage error: a message and exit status 64 (`sysexits.h` EX_USAGE).
struct UsageError: Error {
    let message: String
}

/// The parsed command line of one subcommand: positionals and `--flag value` options.
///
/// Matches swift-argument-parser's conventions by hand: `--flag value` and `--flag=value`,
/// `-o` as a short form of `--output`, `--help`/`-h` anywhere, and an unknown flag names
/// the nearest known one.
struct Arguments {
    var positionals: [String] = []
    var options: [String: String] = [:]
    /// Every value of each flag, in order (`--at N=1 --at D=2`); `options` keeps the last.
    var repeated: [String: [String]] = [:]
    var help = false

    /// Parses `args` for a command that takes the given value flags (without dashes).
    init(_ args: [String], valueFlags: [String], boolFlags: [String] = []) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--help" || a == "-h" { help = true; i += 1; continue }
            if a == "-o" { i += 1; try take("output", args, &i); continue }
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                var inline: String?
                if let eq = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if boolFlags.contains(name) {
                    options[name] = "true"; i += 1; continue
                }
                guard valueFlags.contains(name) else {
                    let known = valueFlags + boolFlags
                    let hint = nearest(name, in: known).map { "; did you mean '--\($0)'?" } ?? ""
                    throw UsageError(message: "unknown option '--\(name)'\(hint)")
                }
                if let v = inline { options[name] = v; repeated[name, default: []].append(v); i += 1 } else { i += 1; try take(name, args, &i) }
                continue
            }
            if a.hasPrefix("-") && a.count > 1 && Double(a) == nil {
                throw UsageError(message: "unknown option '\(a)'")
            }
            positionals.append(a)
            i += 1
        }
    }

    private mutating func take(_ name: String, _ args: [String], _ i: inout Int) throws {
        guard i < args.count else { throw UsageError(message: "option '--\(name)' needs a value") }
        options[name] = args[i]
        repeated[name, default: []].append(args[i])
        i += 1
    }

    /// The option's value parsed as a Double, or nil when absent.
    func double(_ name: String) throws -> Double? {
        guard let s = options[name] else { return nil }
        guard let v = Double(s), v.isFinite else {
            throw UsageError(message: "option '--\(name)' expects a number, found \"\(s)\"")
        }
        return v
    }

    /// The option's value parsed as an Int, or nil when absent.
    func int(_ name: String) throws -> Int? {
        guard let s = options[name] else { return nil }
        guard let v = Int(s) else {
            throw UsageError(message: "option '--\(name)' expects an integer, found \"\(s)\"")
        }
        return v
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
func nearest(_ word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word, $0)) }.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    guard let best = scored.first, best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = prev
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[y.count]
}
