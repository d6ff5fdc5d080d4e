/// The parser behind `NISTDataset(contentsOf:)`.
///
/// A StRD file announces its own layout in the header:
///
/// ```
/// Starting Values   (lines 41 to 43)     one line per parameter: "b1 = start1 start2 value sd"
/// Certified Values  (lines 41 to 48)     the same lines, then RSS, residual SD, DoF, m
/// Data              (lines 61 to 188)    "y x" or "y x1 x2" per line
/// ```
///
/// The reader trusts those ranges for where things are and checks everything it reads:
/// each parameter line is `bK = a b c d` with K counting up, the summary lines are found by
/// their labels, every data row has the same number of numbers (two or three), and the row
/// count equals the stated number of observations. Lines end in CRLF in NIST's files; LF
/// and CR are accepted too.
struct NISTDatasetReader {
    let file: String
    let lines: [Substring]

    init(text: String, file: String) {
        self.file = file
        self.lines = Self.splitLines(text)
    }

    /// Splits on CRLF, LF or CR. (`String.split(separator: "\n")` would not split CRLF,
    /// which Swift treats as one Character.)
    static func splitLines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "\n" || c == "\r" {
                result.append(Substring(scalars[start..<i]))
                var next = scalars.index(after: i)
                if c == "\r", next < scalars.endIndex, scalars[next] == "\n" {
                    next = scalars.index(after: next)
                }
                start = next
                i = next
            } else {
                i = scalars.index(after: i)
            }
        }
        if start < scalars.endIndex { result.append(Substring(scalars[start..<scalars.endIndex])) }
        return result
    }

    /// A whitespace-separated token and its 1-based column.
    struct Token {
        let text: Substring
        let column: Int
    }

    static func tokens(_ line: Substring) -> [Token] {
        var out: [Token] = []
        var column = 1
        var current = ""
        var currentColumn = 0
        for ch in line {
            if ch == " " || ch == "\t" {
                if !current.isEmpty { out.append(Token(text: Substring(current), column: currentColumn)) }
                current = ""
            } else {
                if current.isEmpty { currentColumn = column }
                current.append(ch)
            }
            column += 1
        }
        if !current.isEmpty { out.append(Token(text: Substring(current), column: currentColumn)) }
        return out
    }

    /// The 1-based line `number`, or an error when the file is shorter.
    func line(_ number: Int) throws -> Substring {
        guard number >= 1 && number <= lines.count else {
            throw ScaleFitError.invalidData(
                file: file, reason: "the header points to line \(number) but the file has \(lines.count) lines")
        }
        return lines[number - 1]
    }

    func number(_ token: Token, line: Int, what: String) throws -> Double {
        guard let v = Double(token.text), v.isFinite else {
            throw ScaleFitError.badValue(file: file, line: line, column: token.column,
                                         expected: what, found: String(token.text))
        }
        return v
    }

    /// The "(lines X to Y)" range on the header line that starts with `label`.
    func headerRange(_ label: String) throws -> ClosedRange<Int> {
        for (index, text) in lines.prefix(20).enumerated() {
            // "File Format:   ASCII" shares no line with a range; strip that label if present.
            var body = Substring(text.lowercased()).drop { $0 == " " || $0 == "\t" }
            if body.hasPrefix("file format:") { body = body.dropFirst("file format:".count).drop { $0 == " " } }
            guard body.hasPrefix(label.lowercased()) else { continue }
            let rest = body.dropFirst(label.count).drop { $0 == " " || $0 == "\t" }
            guard rest.hasPrefix("(lines"), let open = text.firstIndex(of: "(") else { continue }
            let inside = text[text.index(after: open)...].prefix { $0 != ")" }
            let words = inside.split(separator: " ")
            let column = text.distance(from: text.startIndex, to: open) + 2
            guard words.count == 4, words[0] == "lines", words[2] == "to",
                  let a = Int(words[1]), let b = Int(words[3]), a >= 1, a <= b else {
                throw ScaleFitError.badValue(file: file, line: index + 1, column: column,
                                             expected: "(lines X to Y)", found: String(inside))
            }
            return a...b
        }
        throw ScaleFitError.invalidData(file: file, reason: "no \"\(label) (lines X to Y)\" in the header")
    }

    func read() throws -> NISTDataset {
        guard !lines.isEmpty else { throw ScaleFitError.emptyFile(file: file) }
        let startRange = try headerRange("Starting Values")
        let certifiedRange = try headerRange("Certified Values")
        let dataRange = try headerRange("Data")

        var starts: [[Double]] = [[], []]
        var values: [Double] = [], deviations: [Double] = []
        for lineNumber in startRange {
            let toks = Self.tokens(try line(lineNumber))
            let k = values.count + 1
            guard toks.count == 6, toks[0].text == "b\(k)", toks[1].text == "=" else {
                let column = toks.first?.column ?? 1
                throw ScaleFitError.badValue(file: file, line: lineNumber, column: column,
                                             expected: "b\(k) = start1 start2 value sd",
                                             found: String(try line(lineNumber)).trimmed)
            }
            starts[0].append(try number(toks[2], line: lineNumber, what: "start 1 of b\(k)"))
            starts[1].append(try number(toks[3], line: lineNumber, what: "start 2 of b\(k)"))
            values.append(try number(toks[4], line: lineNumber, what: "certified value of b\(k)"))
            deviations.append(try number(toks[5], line: lineNumber, what: "certified SD of b\(k)"))
        }

        let rss = try labelled("Residual Sum of Squares:", in: certifiedRange)
        let residualSD = try labelled("Residual Standard Deviation:", in: certifiedRange)
        let dof = try labelled("Degrees of Freedom:", in: certifiedRange)
        let observations = try labelled("Number of Observations:", in: certifiedRange)

        let (response, predictors) = try readData(dataRange)
        guard Double(response.count) == observations.value else {
            throw ScaleFitError.badValue(file: file, line: observations.line, column: observations.column,
                                         expected: "the number of data rows (\(response.count))",
                                         found: "\(observations.text)")
        }
        // The stated degrees of freedom are kept as written, not checked against m − n:
        // Rat43.dat says 9 where m − n = 11 (its certified residual SD uses 11).
        guard dof.value == dof.value.rounded(), dof.value >= 0 else {
            throw ScaleFitError.badValue(file: file, line: dof.line, column: dof.column,
                                         expected: "a whole number of degrees of freedom", found: dof.text)
        }
        return NISTDataset(name: try datasetName(), modelText: modelText(before: startRange.lowerBound),
                           starts: starts, certifiedValues: values,
                           certifiedStandardDeviations: deviations,
                           certifiedResidualSumOfSquares: rss.value,
                           certifiedResidualStandardDeviation: residualSD.value,
                           degreesOfFreedom: Int(dof.value), response: response, predictors: predictors)
    }

    /// The number after `label` on the line in `range` that starts with it.
    func labelled(_ label: String, in range: ClosedRange<Int>)
        throws -> (value: Double, line: Int, column: Int, text: String) {
        for lineNumber in range {
            let text = try line(lineNumber)
            let toks = Self.tokens(text)
            let labelWords = label.split(separator: " ").count
            guard toks.count >= labelWords,
                  toks.prefix(labelWords).map({ String($0.text) }).joined(separator: " ") == label else { continue }
            guard toks.count == labelWords + 1 else {
                throw ScaleFitError.badValue(file: file, line: lineNumber, column: toks.last!.column,
                                             expected: "one number after \"\(label)\"",
                                             found: String(text).trimmed)
            }
            let tok = toks[labelWords]
            return (try number(tok, line: lineNumber, what: "a number after \"\(label)\""),
                    lineNumber, tok.column, String(tok.text))
        }
        throw ScaleFitError.invalidData(
            file: file, reason: "no \"\(label)\" line in lines \(range.lowerBound) to \(range.upperBound)")
    }

    func readData(_ range: ClosedRange<Int>) throws -> (response: [Double], predictors: [[Double]]) {
        var response: [Double] = []
        var predictors: [[Double]] = []
        for lineNumber in range {
            let toks = Self.tokens(try line(lineNumber))
            if predictors.isEmpty {
                guard toks.count == 2 || toks.count == 3 else {
                    throw ScaleFitError.badValue(file: file, line: lineNumber, column: toks.first?.column ?? 1,
                                                 expected: "a data row \"y x\" or \"y x1 x2\"",
                                                 found: String(try line(lineNumber)).trimmed)
                }
                predictors = Array(repeating: [], count: toks.count - 1)
            }
            guard toks.count == predictors.count + 1 else {
                let column = toks.count > predictors.count + 1
                    ? toks[predictors.count + 1].column : (toks.last.map { $0.column + $0.text.count } ?? 1)
                throw ScaleFitError.badValue(file: file, line: lineNumber, column: column,
                                             expected: "\(predictors.count + 1) numbers per data row",
                                             found: String(try line(lineNumber)).trimmed)
            }
            response.append(try number(toks[0], line: lineNumber, what: "a number (y)"))
            for p in 0..<predictors.count {
                predictors[p].append(try number(toks[p + 1], line: lineNumber, what: "a number (x)"))
            }
        }
        return (response, predictors)
    }

    func datasetName() throws -> String {
        for (index, text) in lines.prefix(10).enumerated() {
            let toks = Self.tokens(text)
            guard toks.count >= 2, toks[0].text == "Dataset", toks[1].text == "Name:" else { continue }
            guard toks.count >= 3 else {
                throw ScaleFitError.badValue(file: file, line: index + 1, column: text.count + 1,
                                             expected: "a dataset name", found: "")
            }
            return String(toks[2].text)
        }
        throw ScaleFitError.invalidData(file: file, reason: "no \"Dataset Name:\" line in the header")
    }

    /// The non-blank lines from "Model:" up to the starting-values block, trimmed.
    func modelText(before end: Int) -> String {
        guard let first = lines.firstIndex(where: { $0.hasPrefix("Model:") }), first < end - 1 else { return "" }
        var out: [String] = []
        for (offset, text) in lines[first..<(end - 1)].enumerated() {
            var s = String(text).trimmed
            if offset == 0 { s = String(s.dropFirst("Model:".count)).trimmed }
            // The block ends at the column headings above the parameter lines.
            if s.hasPrefix("Starting") || s.hasPrefix("Start 1") { break }
            if !s.isEmpty { out.append(s) }
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
