import Foundation
import ScaleFit

/// Parses of option values shared by several options; each error names the flag.
enum Values {
    static func double(_ text: String, flag: String) throws -> Double {
        guard let v = Double(text), v.isFinite else {
            throw UsageError(message: "option '\(flag)' expects a number, found \"\(text)\"")
        }
        return v
    }

    static func int(_ text: String, flag: String) throws -> Int {
        guard let v = Int(text) else {
            throw UsageError(message: "option '\(flag)' expects an integer, found \"\(text)\"")
        }
        return v
    }

    static func seed(_ text: String) throws -> Int {
        let seed = try int(text, flag: "--seed")
        guard seed >= 0 else { throw UsageError(message: "--seed: expected a non-negative integer, found \(seed)") }
        return seed
    }

    /// Comma-separated names, trimmed.
    static func names(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    }
}

/// A comma-separated list of positive numbers (size suffixes allowed: 70M, 1.3B, 1.4T).
func numberList(_ text: String, flag: String) throws -> [Double] {
    var out: [Double] = []
    var position = 1
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        let s = part.trimmingCharacters(in: .whitespaces)
        var v = Double(s)
        if v == nil, let last = s.last, let base = Double(s.dropLast()) {
            let scale: [Character: Double] = ["K": 1e3, "k": 1e3, "M": 1e6, "m": 1e6, "B": 1e9, "b": 1e9, "G": 1e9, "T": 1e12, "t": 1e12]
            if let f = scale[last] { v = base * f }
        }
        guard let value = v, value.isFinite, value > 0 else {
            throw ScaleFitError.badArgument(flag: flag, position: position, expected: "a positive number (e.g. 7e10 or 70B)", found: s)
        }
        out.append(value)
        position += part.count + 1
    }
    return out
}
