import Foundation

/// Final losses of training runs with their model size N and tokens D: what Chinchilla's
/// and Kaplan's laws are fitted to.
///
/// From a table: N from the `params` column, D from `tokens`, or D = C/(6N) from `compute`
/// when no tokens are logged (Kaplan's C ≈ 6ND, as Epoch AI derive it for Chinchilla's
/// points); a row with a missing or non-numeric value is dropped and counted; N, D and the
/// loss must be positive and finite (an error naming the line otherwise).
///
/// ```swift
/// let runs = try ModelRuns(table: try RunTableReader.read(path: "runs.csv"))
/// runs.N; runs.D; runs.loss; runs.dropped   // the rows that could not be used
/// ```
public struct ModelRuns: LawObservations, Equatable {
    /// N, the model size (parameters) of each run.
    public var N: [Double]
    /// D, the tokens each run was trained on.
    public var D: [Double]
    /// The final loss of each run.
    public var loss: [Double]
    /// The run's name (the run column) or `line K`.
    public var labels: [String]
    /// The source line of each run.
    public var lines: [Int]
    /// Rows that could not be used.
    public var dropped: DroppedRows
    /// The file the runs came from.
    public var file: String
    /// The columns used, in words: `params="N", tokens="D", loss="loss"`, with the rule for
    /// derived tokens when they come from compute.
    public var columnsDescription: String

    /// Runs given directly (scripts, tests). Throws `invalidData` for columns of different
    /// lengths or values that are not positive and finite.
    public init(N: [Double], D: [Double], loss: [Double], labels: [String]? = nil,
                file: String = "<data>") throws {
        guard N.count == D.count, D.count == loss.count else {
            throw ScaleFitError.invalidData(file: file, reason: "\(N.count) model sizes, \(D.count) token counts and \(loss.count) losses: one of each per run is needed")
        }
        let lines = (0..<N.count).map { $0 + 1 }
        try Self.checkPositive(parameters: N, tokens: D, loss: loss, lines: lines, file: file, lineWord: "run")
        self.N = N
        self.D = D
        self.loss = loss
        self.labels = labels ?? lines.map { "run \($0)" }
        self.lines = lines
        self.dropped = DroppedRows()
        self.file = file
        self.columnsDescription = "params, tokens, loss"
    }

    /// The runs of `table`: columns by role (`params`, `tokens` or `compute`, `loss`, `run`)
    /// unless `options.columns` names them.
    public init(table: RunTable, options: TableOptions = TableOptions()) throws {
        let mapping = try ColumnMapping.detect(in: table, overrides: options.columns)
        let nName = try mapping.require(.params, in: table)
        let lName = try mapping.require(.loss, in: table)
        let dName = mapping[.tokens]
        let cName = dName == nil ? mapping[.compute] : nil
        guard let xName = dName ?? cName else {
            _ = try mapping.require(.tokens, in: table)
            throw ScaleFitError.invalidData(file: table.fileName, reason: "no tokens or compute column")
        }
        let runColumn = mapping[.run]
        let (usable, dropped) = try table.usableRows(numericColumns: [nName, lName, xName], strict: options.strict)
        let n = try usable.values(of: nName)
        let l = try usable.values(of: lName)
        let d = try dName.map { try usable.values(of: $0) } ?? zip(try usable.values(of: xName), n).map { $0 / (6 * $1) }
        try Self.checkPositive(parameters: n, tokens: d, loss: l, lines: usable.lineNumbers, file: table.fileName, lineWord: "line")
        N = n
        D = d
        loss = l
        lines = usable.lineNumbers
        labels = usable.rowLabels(column: runColumn)
        self.dropped = dropped
        file = table.fileName
        columnsDescription = "params=\"\(nName)\", "
            + (dName != nil ? "tokens=\"\(xName)\"" : "compute=\"\(xName)\" (tokens = compute / (6 params))")
            + ", loss=\"\(lName)\"" + (runColumn.map { ", run=\"\($0)\"" } ?? "")
    }

    private static func checkPositive(parameters n: [Double], tokens d: [Double], loss l: [Double], lines: [Int],
                                      file: String, lineWord: String) throws {
        for i in n.indices where !(n[i] > 0 && n[i].isFinite && d[i] > 0 && d[i].isFinite && l[i] > 0 && l[i].isFinite) {
            throw ScaleFitError.invalidData(file: file, reason: "\(lineWord) \(lines[i]): params, tokens and loss must be positive and finite for a power law (found \(n[i]), \(d[i]), \(l[i]))")
        }
    }

    /// The runs at `indices` (a holdout, a bootstrap resample).
    public func subset(_ indices: [Int]) -> ModelRuns {
        var s = self
        s.N = indices.map { N[$0] }
        s.D = indices.map { D[$0] }
        s.loss = indices.map { loss[$0] }
        s.labels = indices.map { labels[$0] }
        s.lines = indices.map { lines[$0] }
        return s
    }

    /// The final losses.
    public var observed: [Double] { loss }
    /// The file, the runs used and the rows dropped.
    public var summary: FitFile.DataSummary { .init(file: file, rows: loss.count, droppedRows: dropped.count) }
}

/// Where a law of model size and data predicts: a model of N parameters trained on D tokens.
public struct ModelSize: Sendable, Equatable, Codable {
    /// N, the number of parameters.
    public var N: Double
    /// D, the number of training tokens.
    public var D: Double
    /// A model of `N` parameters trained on `D` tokens.
    public init(N: Double, D: Double) {
        self.N = N
        self.D = D
    }
}

/// What the data must show for a law in N and D (or in one x) to be fitted at all, and the
/// trends it must not contradict.
public enum RunVariation {
    /// Refuses runs that cannot determine a law of N and D: a single model size (A and α
    /// cannot be told from E), a single token count (B and β likewise), or one loss for all.
    /// - Throws: `invalidData` naming the file and what is missing.
    public static func check(N: [Double], D: [Double], loss: [Double], law: String, file: String) throws {
        if let n = N.first, N.allSatisfy({ $0 == n }) {
            throw ScaleFitError.invalidData(file: file, reason: "every run has the same model size N = \(formatSignificant(n, digits: 4)): \(law.isEmpty ? "the law's" : "the \(law) law's") N term cannot be told from its constant; give runs of at least 3 sizes, or fit L(D) alone with the power law on tokens")
        }
        if let d = D.first, D.allSatisfy({ $0 == d }) {
            throw ScaleFitError.invalidData(file: file, reason: "every run has the same token count D = \(formatSignificant(d, digits: 4)): \(law.isEmpty ? "the law's" : "the \(law) law's") D term cannot be told from its constant; give runs of at least 3 token counts, or fit L(N) alone with the power law on params")
        }
        try checkLoss(loss, law: law, file: file)
    }

    /// Refuses one x for all runs, or one loss for all.
    public static func check(x: [Double], loss: [Double], variable: String, file: String) throws {
        if let v = x.first, x.allSatisfy({ $0 == v }) {
            throw ScaleFitError.invalidData(file: file, reason: "every run has the same \(variable) = \(formatSignificant(v, digits: 4)): a power law in \(variable) needs at least 3 distinct values")
        }
        try checkLoss(loss, law: "power", file: file)
    }

    static func checkLoss(_ loss: [Double], law: String, file: String) throws {
        if let l = loss.first, loss.allSatisfy({ $0 == l }) {
            throw ScaleFitError.invalidData(file: file, reason: "every run has the same loss \(l): there is no trend for the \(law) law to fit")
        }
    }

    /// The trends a falling power law contradicts, in words: a slope of log L on log N (and
    /// on log D, fitted together by least squares) that is not negative. Empty when the
    /// losses fall with both.
    public static func trendWarnings(N: [Double], D: [Double], loss: [Double]) -> [String] {
        let slopes = leastSquaresSlopes([N.map(log), D.map(log)], loss.map(log))
        var out: [String] = []
        for (name, slope) in zip(["model size N", "tokens D"], slopes) where slope.isFinite && slope >= 0 {
            out.append("the losses do not fall with \(name) (slope of log L on log \(name.split(separator: " ").last!) = +\(formatSignificant(slope, digits: 3))): the law's terms assume they do, so its exponents and any allocation from them are not meaningful")
        }
        return out
    }

    /// The same for one variable.
    public static func trendWarnings(x: [Double], loss: [Double], variable: String) -> [String] {
        let slope = leastSquaresSlopes([x.map(log)], loss.map(log))[0]
        guard slope.isFinite, slope >= 0 else { return [] }
        return ["the losses do not fall with \(variable) (slope of log L on log \(variable) = +\(formatSignificant(slope, digits: 3))): the power law's exponent is not meaningful"]
    }

    /// The slopes of y on the columns (with an intercept), by the normal equations; NaN
    /// when they are singular.
    static func leastSquaresSlopes(_ columns: [[Double]], _ y: [Double]) -> [Double] {
        let k = columns.count, n = y.count
        guard n > k + 1 else { return Array(repeating: .nan, count: k) }
        let means = columns.map { $0.reduce(0, +) / Double(n) }, ym = y.reduce(0, +) / Double(n)
        var a = [[Double]](repeating: [Double](repeating: 0, count: k), count: k), b = [Double](repeating: 0, count: k)
        for i in 0..<k {
            for j in 0..<k { a[i][j] = (0..<n).reduce(0) { $0 + (columns[i][$1] - means[i]) * (columns[j][$1] - means[j]) } }
            b[i] = (0..<n).reduce(0) { $0 + (columns[i][$1] - means[i]) * (y[$1] - ym) }
        }
        if k == 1 { return [a[0][0] > 0 ? b[0] / a[0][0] : .nan] }
        let det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
        guard abs(det) > 1e-12 * max(a[0][0] * a[1][1], 1e-300) else { return [.nan, .nan] }
        return [(b[0] * a[1][1] - b[1] * a[0][1]) / det, (a[0][0] * b[1] - a[1][0] * b[0]) / det]
    }
}
