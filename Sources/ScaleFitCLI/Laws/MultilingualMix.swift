import Foundation
import ScaleFit

/// `scalefit optimal FIT.json --mix …` and `scalefit predict FIT.json --at FAMILY=p …` for a
/// multilingual fit.
enum MultilingualMix {
    /// `NAME=V,NAME=V`: values by name, checked finite; `flag` names the option in errors.
    static func namedValues(_ text: String, flag: String) throws -> [String: Double] {
        var out: [String: Double] = [:]
        var position = 1
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, !pieces[0].isEmpty, let v = Double(pieces[1]), v.isFinite else {
                throw ScaleFitError.badArgument(flag: flag, position: position, expected: "FAMILY=NUMBER", found: String(part))
            }
            guard out[pieces[0]] == nil else {
                throw ScaleFitError.badArgument(flag: flag, position: position, expected: "each family once", found: pieces[0])
            }
            out[pieces[0]] = v
            position += part.count + 1
        }
        return out
    }

    /// Checks every name is a family of the fit, pointing at the first one that is not.
    static func checkFamilies(_ text: String, flag: String, families: [String]) throws {
        var position = 1
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard families.contains(name) else {
                throw ScaleFitError.badArgument(flag: flag, position: position,
                                                expected: "a family of the fit (\(families.joined(separator: ", ")))", found: name)
            }
            position += part.count + 1
        }
    }

    /// One N and one D from --params and --tokens.
    static func scale(_ args: ParsedArguments, purpose: String) throws -> (Double, Double) {
        guard let n = try args.value(PredictCommand.params), let d = try args.value(PredictCommand.tokens) else {
            throw UsageError(message: "\(purpose) needs --params N and --tokens D")
        }
        guard n.count == 1, d.count == 1 else { throw UsageError(message: "\(purpose): give one --params and one --tokens value") }
        return (n[0], d[0])
    }

    struct OptimalOutput: Codable { let optimal: OptimalMix; let current: Current? }
    struct Current: Codable { let shares: [OptimalMix.Share]; let objective: Double }

    static func optimal(_ fit: FitFile, path: String, args: ParsedArguments, format: OutputFormat, out: CommandOutput) throws -> Int32 {
        let law = try fit.multilingual(file: path)
        let families = law.families.map(\.name)
        let (n, d) = try scale(args, purpose: "optimal --mix")
        var weights: [String: Double] = [:]
        if let w = args.text(OptimalCommand.weights) {
            weights = try namedValues(w, flag: "--weights")
            try checkFamilies(w, flag: "--weights", families: families)
        }
        let minRatio = try args.value(OptimalCommand.minRatio)!
        let normalized = args.has(OptimalCommand.normalize)
        var current: Current?
        if let c = args.text(OptimalCommand.current) {
            let mix = try namedValues(c, flag: "--current")
            try checkFamilies(c, flag: "--current", families: families)
            let sum = mix.values.reduce(0, +)
            guard abs(sum - 1) <= MultilingualData.ratioSumTolerance else {
                throw UsageError(message: "--current: the ratios sum to \(sum), not 1")
            }
            let e = try OptimalMix.evaluate(law: law, parameters: n, tokens: d, mix: mix, weights: weights, normalized: normalized)
            current = Current(shares: e.shares, objective: e.objective)
        }
        let mix = try OptimalMix(law: law, parameters: n, tokens: d, weights: weights, normalized: normalized,
                                 minRatio: minRatio, source: path)
        for name in mix.nonDecreasing {
            let g = mix.shares.first { $0.family == name }!.gamma
            out.note("note: family \(name): gamma = \(formatSignificant(g, digits: 4)) ≤ 0, its loss does not fall with its ratio; it gets the minimum ratio \(minRatio)")
        }
        if format == .json { try out.write(jsonText(OptimalOutput(optimal: mix, current: current))); return 0 }
        var header = ["family", "weight", "gamma", "ratio", "loss"]
        if current != nil { header += ["current_ratio", "current_loss"] }
        let t = TextTable(header: header, rows: mix.shares.indices.map { i in
            let s = mix.shares[i]
            var row = [s.family, formatSignificant(s.weight, digits: 4), formatSignificant(s.gamma, digits: 4),
                       formatSignificant(s.ratio, digits: 6) + (s.atMinimum ? " (min)" : ""), formatSignificant(s.loss, digits: 6)]
            if let c = current { row += [formatSignificant(c.shares[i].ratio, digits: 6), formatSignificant(c.shares[i].loss, digits: 6)] }
            return row
        })
        let what = normalized ? "sum of w_i * L_i / L_i(N, D, 1)" : "sum of w_i * L_i"
        var text = "optimal mix at N = \(formatSignificant(n, digits: 4)), D = \(formatSignificant(d, digits: 4)), min ratio \(minRatio)\n"
        text += t.render(format.style)
        text += "objective (\(what)): \(formatSignificant(mix.objective, digits: 8))"
        if let c = current { text += "; current mix: \(formatSignificant(c.objective, digits: 8))" }
        try out.print(text)
        return 0
    }

    struct PredictRow: Codable {
        let family: String; let params: Double; let tokens: Double; let ratio: Double
        let loss: Double; let lower95: Double; let upper95: Double; let meanLower95: Double; let meanUpper95: Double
    }

    /// `predict FIT.json --params N[,…] --tokens D[,…] --at FAMILY=p[,p…] [--at …]`: each
    /// family's loss at each ratio, for each (N, D), from the fit file opened as the fit of
    /// the whole mix (`LawRegistry`, a `.families` query).
    static func predict(_ fitted: any FittedLaw, path: String, args: ParsedArguments, format: OutputFormat, out: CommandOutput) throws -> Int32 {
        let law = try fitted.file.multilingual(file: path)
        let families = law.families.map(\.name)
        let (n, d) = try PredictCommand.pairedSizes(args, missing: "predicting from a multilingual fit needs --params, --tokens and --at FAMILY=p[,p…]")
        let specs = try args.values(PredictCommand.at)
        guard !specs.isEmpty else {
            throw UsageError(message: "a multilingual fit predicts per family: give --at FAMILY=p[,p…] (families: \(families.joined(separator: ", ")))")
        }
        var points: [(String, [Double])] = []
        for spec in specs {
            guard let eq = spec.firstIndex(of: "=") else { throw UsageError(message: "--at: expected FAMILY=p[,p…], found \"\(spec)\"") }
            let name = spec[..<eq].trimmingCharacters(in: .whitespaces)
            try checkFamilies(name, flag: "--at", families: families)
            let ratios = try numberList(String(spec[spec.index(after: eq)...]), flag: "--at")
            if let bad = ratios.first(where: { $0 > 1 }) {
                throw ScaleFitError.badArgument(flag: "--at", position: 0, expected: "ratios in (0, 1] for \(name)", found: "\(bad)")
            }
            points.append((name, ratios))
        }
        let query = zip(n, d).flatMap { ni, di in
            points.flatMap { name, ratios in
                ratios.map { MultilingualFamilyPoint(family: name, point: MultilingualPoint(parameters: ni, tokens: di, ratio: $0)) }
            }
        }
        let predictions = try fitted.predict(.families(query), level: 0.95)
        let rows = zip(query, predictions).map { q, p in
            PredictRow(family: q.family, params: q.point.parameters, tokens: q.point.tokens, ratio: q.point.ratio, loss: p.value,
                       lower95: p.predictionLower, upper95: p.predictionUpper, meanLower95: p.lower, meanUpper95: p.upper)
        }
        if format == .json { try out.write(jsonText(rows)); return 0 }
        let t = TextTable(header: ["family", "params", "tokens", "ratio", "loss"] + IntervalColumns.header, rows: rows.map {
            [$0.family, formatSignificant($0.params, digits: 4), formatSignificant($0.tokens, digits: 4), formatSignificant($0.ratio, digits: 4)]
                + IntervalColumns.cells(loss: $0.loss, lower95: $0.lower95, upper95: $0.upper95, meanLower95: $0.meanLower95, meanUpper95: $0.meanUpper95)
        })
        try out.write(t.render(format.style))
        return 0
    }
}
