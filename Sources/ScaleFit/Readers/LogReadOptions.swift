/// What the user chose about reading logs, as one value (the command line's flags map
/// onto it one to one):
///
/// ```
/// --input-format NAME   format        a RunTableFormat name; overrides detection
/// --step COL            stepColumn    the step axis
/// --y COL               lossColumn    the loss
/// --lr COL              lrColumn      the learning rate
/// --group COL           runColumn     the run column (its cells are kept as written)
/// --min-step S          minStep       drop rows with step < S (the start of training)
/// --max-step S          maxStep       drop rows with step > S
/// --runs a,b            runs          keep only these runs
/// --keep-segments       keepSegmentsApart   W&B restart segments stay separate runs
/// --strict              strict        any dropped row or bad cell is an error
/// ```
///
/// `LogReadOptions()` is "detect everything, keep everything".
public struct LogReadOptions: Sendable, Equatable {
    /// The format to read, or nil to detect it from the content and the name.
    public var format: RunTableFormat?
    /// The column to take as the step axis, or nil to detect it.
    public var stepColumn: String?
    /// The column to take as the loss, or nil to detect it (validation first).
    public var lossColumn: String?
    /// The column to take as the learning rate, or nil to detect it.
    public var lrColumn: String?
    /// The column that names each row's run, or nil to detect it.
    public var runColumn: String?
    /// Rows with a step below this are dropped (reported), or nil for none.
    public var minStep: Double?
    /// Rows with a step above this are dropped (reported), or nil for none.
    public var maxStep: Double?
    /// Only these runs are kept, or nil for all.
    public var runs: [String]?
    /// Keep the segments of a restarted W&B run (`run-001`, `run-002`, …) as separate runs
    /// instead of joining them (`WandBExport`).
    public var keepSegmentsApart: Bool
    /// Throw instead of dropping a row or passing over a bad loss or lr cell.
    public var strict: Bool

    /// Options with every choice given or left to detection.
    public init(format: RunTableFormat? = nil, stepColumn: String? = nil, lossColumn: String? = nil,
                lrColumn: String? = nil, runColumn: String? = nil, minStep: Double? = nil, maxStep: Double? = nil,
                runs: [String]? = nil, keepSegmentsApart: Bool = false, strict: Bool = false) {
        self.format = format
        self.stepColumn = stepColumn
        self.lossColumn = lossColumn
        self.lrColumn = lrColumn
        self.runColumn = runColumn
        self.minStep = minStep
        self.maxStep = maxStep
        self.runs = runs
        self.keepSegmentsApart = keepSegmentsApart
        self.strict = strict
    }

    /// The column choices as `ColumnMapping.detect` overrides.
    public var overrides: [ColumnRole: String] {
        var overrides: [ColumnRole: String] = [:]
        overrides[.step] = stepColumn
        overrides[.loss] = lossColumn
        overrides[.lr] = lrColumn
        overrides[.run] = runColumn
        return overrides
    }
}
