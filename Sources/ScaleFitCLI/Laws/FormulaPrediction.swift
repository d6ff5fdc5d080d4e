import Foundation
import ScaleFit

/// `scalefit predict fit.json --at N=7e10,1e11 --at D=1.4e12` for a formula fit: the
/// formula at each point with a 95% delta-method interval (ŷ ± 1.96·√(gᵀΣg), g the exact
/// gradient in the parameters), from the fit file opened as the fit of its law
/// (`LawRegistry`, `Fit.predict` with a `.columns` query).
enum FormulaPrediction {
    struct Row: Codable {
        let inputs: [String: Double]
        let predicted: Double
        let standardError: Double
        let lower95: Double
        let upper95: Double
        let meanLower95: Double
        let meanUpper95: Double
    }

    static func run(_ fitted: any FittedLaw, path: String, args: ParsedArguments, format: OutputFormat, out: CommandOutput) throws -> Int32 {
        let variables = fitted.file.variables ?? []
        let inputs = try points(try args.values(PredictCommand.at), variables: variables)
        let query = Dictionary(zip(variables, inputs), uniquingKeysWith: { a, _ in a })
        let predictions = try fitted.predict(.columns(query), level: 0.95)
        let rows = predictions.indices.map { i in
            Row(inputs: Dictionary(uniqueKeysWithValues: variables.indices.map { (variables[$0], inputs[$0][i]) }),
                predicted: predictions[i].value, standardError: predictions[i].standardError,
                lower95: predictions[i].predictionLower, upper95: predictions[i].predictionUpper,
                meanLower95: predictions[i].lower, meanUpper95: predictions[i].upper)
        }
        if format == .json { try out.write(jsonText(rows)); return 0 }
        let t = TextTable(header: variables + ["predicted", "std_error"] + IntervalColumns.header, rows: rows.indices.map { i in
            variables.indices.map { formatSignificant(inputs[$0][i], digits: 6) }
                + [formatSignificant(rows[i].predicted, digits: 8), formatSignificant(rows[i].standardError, digits: 4)]
                + [rows[i].lower95, rows[i].upper95, rows[i].meanLower95, rows[i].meanUpper95].map { formatSignificant($0, digits: 8) }
        })
        try out.write(t.render(format.style))
        return 0
    }

    /// The `--at NAME=v1,v2,…` values as one column per variable, in `variables` order; a
    /// single value is repeated to the length of the other lists.
    static func points(_ specs: [String], variables: [String]) throws -> [[Double]] {
        let listing = variables.isEmpty ? "the formula has no variables" : "the formula's variables are \(variables.joined(separator: ", "))"
        var given: [String: [Double]] = [:]
        for spec in specs {
            guard let eq = spec.firstIndex(of: "=") else {
                throw UsageError(message: "--at: expected NAME=v1,v2,…, found \"\(spec)\"")
            }
            let name = spec[..<eq].trimmingCharacters(in: .whitespaces)
            guard variables.contains(name) else {
                throw UsageError(message: "--at: unknown variable \"\(name)\"; \(listing)")
            }
            guard given[name] == nil else { throw UsageError(message: "--at: \(name) is given twice") }
            given[name] = try values(String(spec[spec.index(after: eq)...]), offset: spec[..<eq].count + 2)
        }
        for name in variables where given[name] == nil {
            throw UsageError(message: "--at: no values for the variable \(name) (give --at \(name)=v1,v2,…; \(listing))")
        }
        let lengths = variables.map { given[$0]!.count }
        let count = lengths.max() ?? 1
        for (name, length) in zip(variables, lengths) where length != 1 && length != count {
            let longest = variables[lengths.firstIndex(of: count)!]
            throw UsageError(message: "--at: \(name) has \(length) values and \(longest) \(count); give equal counts or one value")
        }
        return variables.map { name in
            let v = given[name]!
            return v.count == 1 ? Array(repeating: v[0], count: count) : v
        }
    }

    /// Comma-separated finite numbers; `offset` is the 1-based position of the first in the flag's value.
    private static func values(_ text: String, offset: Int) throws -> [Double] {
        var position = offset
        return try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let s = part.trimmingCharacters(in: .whitespaces)
            guard let v = Double(s), v.isFinite, s.lowercased() != "nan" else {
                throw ScaleFitError.badArgument(flag: "--at", position: position, expected: "a finite number", found: s)
            }
            position += part.count + 1
            return v
        }
    }
}
