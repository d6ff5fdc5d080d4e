import Foundation

/// Final losses of training runs with their model size and training compute: what
/// Hoffmann et al.'s approach 2 (IsoFLOP profiles) takes. C is a given compute column,
/// or C = 6·N·D from the tokens.
public struct IsoFLOPRuns: Sendable, Equatable {
    /// N, parameters per run.
    public var parameters: [Double]
    /// C, training FLOPs per run.
    public var compute: [Double]
    /// The final loss per run.
    public var loss: [Double]
    /// Each run's line in its file (for reports), or its 1-based index for data in memory.
    public var lines: [Int]
    /// The data file, for errors (`<data>` for data in memory).
    public var file: String

    /// Runs given column by column.
    /// - Throws: `invalidData` naming `file` (and the run's line) for columns of different
    ///   lengths or a value that is not a positive finite number.
    public init(parameters: [Double], compute: [Double], loss: [Double], lines: [Int]? = nil, file: String = "<data>") throws {
        guard parameters.count == compute.count, compute.count == loss.count, lines.map({ $0.count == loss.count }) ?? true else {
            throw ScaleFitError.invalidData(file: file, reason: "\(parameters.count) model sizes, \(compute.count) budgets and \(loss.count) losses: one of each per run")
        }
        let lines = lines ?? Array(stride(from: 1, through: loss.count, by: 1))
        for i in loss.indices where !(parameters[i] > 0 && parameters[i].isFinite && compute[i] > 0 && compute[i].isFinite
                                      && loss[i] > 0 && loss[i].isFinite) {
            throw ScaleFitError.invalidData(file: file, reason: "line \(lines[i]): params, compute and loss must be positive finite numbers (found \(parameters[i]), \(compute[i]), \(loss[i]))")
        }
        self.parameters = parameters; self.compute = compute; self.loss = loss; self.lines = lines; self.file = file
    }

    /// Runs with tokens instead of compute: C = 6·N·D.
    public init(parameters: [Double], tokens: [Double], loss: [Double], lines: [Int]? = nil, file: String = "<data>") throws {
        try self.init(parameters: parameters, compute: zip(parameters, tokens).map { 6 * $0 * $1 }, loss: loss, lines: lines, file: file)
    }

    /// The number of runs.
    public var count: Int { loss.count }
}
