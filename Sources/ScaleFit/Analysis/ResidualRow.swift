import Foundation

/// One row of a fit's residual table: where it came from, the model's inputs, and the
/// observed and fitted values. Shared by the power-law and Kaplan reports (`LawFitReport.Run`)
/// and the formula report (`FormulaFitReport.Row`).
public struct ResidualRow: Sendable, Codable, Equatable {
    /// The row's line in the data file.
    public var line: Int
    /// The run's name, or `line N`.
    public var label: String
    /// The model's inputs for this row, in the report's input order.
    public var inputs: [Double]
    public var observed: Double
    public var fitted: Double
    /// fitted − observed.
    public var residual: Double
    /// residual / |observed| (NaN where observed is 0).
    public var relativeResidual: Double
}
