/// The `name=value,name=value` lists of `--start` and `--bounds`, split into items that
/// remember where they are (1-based character positions in the flag's value), so that an
/// error can point at the place.
struct NamedValueList {
    struct Item {
        var name: String
        var namePosition: Int
        var value: String
        var valuePosition: Int
    }

    static func items(of text: String, flag: String) throws -> [Item] {
        let s = Array(text.unicodeScalars)
        var items: [Item] = []
        var seen: Set<String> = []
        var start = 0
        while start <= s.count {
            var end = start
            while end < s.count && s[end] != "," { end += 1 }
            let item = try parse(s, from: start, to: end, flag: flag)
            guard seen.insert(item.name).inserted else {
                throw ScaleFitError.badArgument(flag: flag, position: item.namePosition,
                                                expected: "each parameter at most once", found: item.name)
            }
            items.append(item)
            start = end + 1
        }
        return items
    }

    /// One `name=value` between `from` and `to` (exclusive), blanks around either part allowed.
    private static func parse(_ s: [Unicode.Scalar], from: Int, to: Int, flag: String) throws -> Item {
        func text(_ lo: Int, _ hi: Int) -> String { String(String.UnicodeScalarView(s[lo..<hi])) }
        func trimmed(_ lo: Int, _ hi: Int) -> (String, Int) {
            var a = lo, b = hi
            while a < b && (s[a] == " " || s[a] == "\t") { a += 1 }
            while b > a && (s[b - 1] == " " || s[b - 1] == "\t") { b -= 1 }
            return (text(a, b), a + 1)
        }
        guard let equals = s[from..<to].firstIndex(of: "=") else {
            let (item, position) = trimmed(from, to)
            throw ScaleFitError.badArgument(flag: flag, position: position,
                                            expected: "name=value", found: item)
        }
        let (name, namePosition) = trimmed(from, equals)
        guard isIdentifier(name) else {
            throw ScaleFitError.badArgument(flag: flag, position: namePosition,
                                            expected: "a parameter name before '='", found: name)
        }
        let (value, valuePosition) = trimmed(equals + 1, to)
        return Item(name: name, namePosition: namePosition, value: value, valuePosition: valuePosition)
    }

    /// A letter or `_`, then letters, digits or `_`: the names a formula can use.
    static func isIdentifier(_ name: String) -> Bool {
        func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_"
        }
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy(isWordCharacter)
    }

    /// A finite or infinite number as written (`2`, `1e-3`, `-inf`), nil when not a number.
    static func number(_ text: String) -> Double? {
        let t = trimmed(text).lowercased()
        switch t {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        // Swift's Double(_:) would also take "nan" and hexadecimal; a user means neither.
        guard !t.isEmpty, t.unicodeScalars.allSatisfy({ "0123456789.eE+-".unicodeScalars.contains($0) }),
              let v = Double(t), v.isFinite else { return nil }
        return v
    }

    /// Without leading and trailing spaces and tabs.
    static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
