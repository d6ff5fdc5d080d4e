import Foundation

/// The rows a multilingual fit reads: one per (run, language family), with the model size N,
/// the total training tokens D, the family's sampling ratio p in that run's mix and its loss.
///
/// Checked on the way in: N, D and the loss must be positive, p must lie in (0, 1], a run
/// may list a family once, and the ratios of one run should sum to 1 within 1e-6 (a
/// warning naming the run, or an error when `strict`). Rows whose cells are missing are
/// dropped and counted by `RunTable.usableRows`, never silently.
public struct MultilingualData: Sendable, Equatable {
    /// How far the ratios of one run may sum from 1 before it is reported.
    public static let ratioSumTolerance = 1e-6

    /// The file the rows came from (named in errors and reports).
    public var file: String
    /// The family names in order of first appearance.
    public var familyNames: [String]
    /// Each row's family, an index into `familyNames`.
    public var family: [Int]
    /// N, the model size (parameters) of each row's run.
    public var parameters: [Double]
    /// D, the total tokens each row's run was trained on (all families together).
    public var tokens: [Double]
    /// p, the family's sampling ratio in the run's mix, in (0, 1].
    public var ratios: [Double]
    /// The family's loss in that run.
    public var loss: [Double]
    /// Each row's 1-based line in the file.
    public var lines: [Int]
    /// Each row's run (the run column's text, or `line N` without one).
    public var runs: [String]
    /// What the checks found that does not stop a fit (ratio sums off 1, no run column).
    public var warnings: [String] = []
    /// How many rows of the table `read` dropped (0 for rows given directly).
    public var droppedRowCount = 0

    /// Rows given directly; `familyNames` are taken in order of first appearance.
    /// - Throws: `invalidData` naming the line of a non-positive value or a ratio outside (0, 1].
    public init(file: String, family: [String], parameters: [Double], tokens: [Double], ratios: [Double],
                loss: [Double], lines: [Int]? = nil, runs: [String]? = nil) throws {
        let count = family.count
        precondition([parameters.count, tokens.count, ratios.count, loss.count].allSatisfy { $0 == count },
                      "columns must have equal lengths")
        self.file = file
        var names: [String] = [], indexOf: [String: Int] = [:]
        self.family = family.map { name in
            if let i = indexOf[name] { return i }
            indexOf[name] = names.count
            names.append(name)
            return names.count - 1
        }
        familyNames = names
        self.parameters = parameters
        self.tokens = tokens
        self.ratios = ratios
        self.loss = loss
        self.lines = lines ?? (0..<count).map { $0 + 1 }
        self.runs = runs ?? self.lines.map { "line \($0)" }
        for j in 0..<count {
            let where_ = "line \(self.lines[j]) (family \(family[j]))"
            guard parameters[j] > 0, tokens[j] > 0, loss[j] > 0 else {
                throw ScaleFitError.invalidData(file: file, reason: "\(where_): params, tokens and loss must be positive")
            }
            guard ratios[j] > 0, ratios[j] <= 1 else {
                throw ScaleFitError.invalidData(file: file, reason: "\(where_): the sampling ratio must lie in (0, 1], found \(ratios[j])")
            }
        }
    }

    /// The rows of `table` under `mapping` (params, tokens, family, ratio and loss required;
    /// run optional), with the rows that miss a value dropped and reported.
    /// - Parameter strict: drop nothing and let no ratio sum pass: throw instead.
    public static func read(table: RunTable, mapping: ColumnMapping, strict: Bool = false) throws
        -> (data: MultilingualData, dropped: DroppedRows) {
        let n = try mapping.require(.params, in: table), d = try mapping.require(.tokens, in: table)
        let f = try mapping.require(.family, in: table), p = try mapping.require(.ratio, in: table)
        let l = try mapping.require(.loss, in: table)
        let runColumn = mapping[.run]
        let (usable, dropped) = try table.usableRows(numericColumns: [n, d, p, l],
                                                     labelColumns: [f] + (runColumn.map { [$0] } ?? []), strict: strict)
        guard usable.rowCount > 0 else {
            throw ScaleFitError.invalidData(file: table.fileName, reason: "no usable rows (\(dropped))")
        }
        let familyColumn = try usable.requireColumn(named: f)
        let runs = runColumn.flatMap { usable.column(named: $0) }.map { c in (0..<usable.rowCount).map { c.text(at: $0) } }
        var data = try MultilingualData(file: table.fileName, family: (0..<usable.rowCount).map { familyColumn.text(at: $0) },
                                        parameters: try usable.values(of: n), tokens: try usable.values(of: d),
                                        ratios: try usable.values(of: p), loss: try usable.values(of: l),
                                        lines: usable.lineNumbers, runs: runs)
        data.droppedRowCount = dropped.count
        if runs == nil {
            data.warnings.append("no run column: the ratios of each run are not checked to sum to 1")
        } else {
            try data.checkRuns(strict: strict)
        }
        return (data, dropped)
    }

    /// Each run lists a family once (else `invalidData`) and its ratios sum to 1 within
    /// `ratioSumTolerance` (else a warning, or `invalidData` when `strict`).
    mutating func checkRuns(strict: Bool) throws {
        var order: [String] = [], rows: [String: [Int]] = [:]
        for j in runs.indices {
            if rows[runs[j]] == nil { order.append(runs[j]) }
            rows[runs[j], default: []].append(j)
        }
        for run in order {
            let js = rows[run]!
            var seen: [Int: Int] = [:]
            for j in js {
                if let first = seen[family[j]] {
                    throw ScaleFitError.invalidData(file: file, reason: "run \(run): family \(familyNames[family[j]]) is listed twice (lines \(lines[first]) and \(lines[j]))")
                }
                seen[family[j]] = j
            }
            let sum = js.reduce(0) { $0 + ratios[$1] }
            if abs(sum - 1) > Self.ratioSumTolerance {
                let message = "run \(run) (lines \(js.map { lines[$0] }.map(String.init).joined(separator: ", "))): the sampling ratios sum to \(sum), not 1"
                if strict { throw ScaleFitError.invalidData(file: file, reason: message + " (strict)") }
                warnings.append(message)
            }
        }
    }

    /// The row indices of family `f`.
    public func rows(of f: Int) -> [Int] { family.indices.filter { family[$0] == f } }

    /// Distinct values of N, D, p and distinct (N, D, p) points among `rows`.
    func distinct(_ rows: [Int]) -> (n: Int, d: Int, p: Int, points: Int, onlyP: Double?) {
        let ps = Set(rows.map { ratios[$0] })
        let points = Set(rows.map { [parameters[$0], tokens[$0], ratios[$0]] })
        return (Set(rows.map { parameters[$0] }).count, Set(rows.map { tokens[$0] }).count, ps.count, points.count,
                ps.count == 1 ? ps.first : nil)
    }

    /// What the data cannot identify, one sentence per problem: per family, the parameters
    /// that are neither fixed nor shared need p to take two values (γ), N three values (α;
    /// two for A when α is known), D likewise (β, B), and at least as many distinct
    /// (N, D, p) points as free parameters; a shared parameter needs one family that
    /// would identify it. Empty when everything is identified.
    ///
    /// - Parameters:
    ///   - shared: parameter indices (0…5, `familyParameterNames` order) common to all families.
    ///   - fixed: per family index, the parameter indices held fixed.
    public func identificationProblems(shared: Set<Int>, fixed: [Int: Set<Int>] = [:]) -> [String] {
        let names = MultilingualLaw.naturalParameterNames
        var problems: [String] = []
        let stats = familyNames.indices.map { distinct(rows(of: $0)) }
        func missing(_ k: Int, _ s: (n: Int, d: Int, p: Int, points: Int, onlyP: Double?), alphaKnown: Bool, betaKnown: Bool) -> String? {
            switch k {
            case 5 where s.p < 2:
                return "p takes one value (\(s.onlyP.map { "\($0)" } ?? "?")), gamma cannot be identified"
            case 3 where s.n < 3:
                return "N takes \(s.n) value\(s.n == 1 ? "" : "s"), alpha cannot be identified (3 needed)"
            case 1 where s.n < 2 && alphaKnown:
                return "N takes one value, A cannot be told apart from E"
            case 4 where s.d < 3:
                return "D takes \(s.d) value\(s.d == 1 ? "" : "s"), beta cannot be identified (3 needed)"
            case 2 where s.d < 2 && betaKnown:
                return "D takes one value, B cannot be told apart from E"
            default:
                return nil
            }
        }
        for f in familyNames.indices {
            let s = stats[f]
            let held = shared.union(fixed[f] ?? [])
            let free = (0..<6).filter { !held.contains($0) }
            var reasons = free.compactMap { missing($0, s, alphaKnown: held.contains(3), betaKnown: held.contains(4)) }
            if reasons.isEmpty && s.points < free.count {
                reasons.append("\(s.points) distinct (N, D, p) point\(s.points == 1 ? "" : "s") for \(free.count) free parameters")
            }
            problems += reasons.map { "family \(familyNames[f]): \($0)" }
        }
        for k in shared.sorted() {
            let ok = familyNames.indices.contains { f in
                (fixed[f] ?? []).contains(k) || missing(k, stats[f], alphaKnown: shared.contains(3), betaKnown: shared.contains(4)) == nil
            }
            if !ok { problems.append("shared \(names[k]): no family's data identifies it") }
        }
        return problems
    }
}
