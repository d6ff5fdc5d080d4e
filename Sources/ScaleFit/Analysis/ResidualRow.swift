import Foundation

/// One row of a fit's residual table: where it came from, the model's inputs, and the
/// observed and fitted values. Shared by the power-law and Kaplan reports (`LawFitReport.Run`)
/// and the formula report (`FormulaFitReport.Row`).
package struct ResidualRow: Sendable, Codable, Equatable {
    /// The row's line in the data file.
    package var line: Int
    /// The run's name, or `line N`.
    package var label: String
    /// The model's inputs for this row, in the report's input order.
    package var inputs: [Double]
    package var observed: Double
    package var fitted: Double
    /// fitted − observed.
    package var residual: Double
    /// residual / |observed| (NaN where observed is 0).
    package var relativeResidual: Double
}
