import Foundation
import ScaleFit

/// How every fit report prints its `FitStatistics`: three rows for the statistics table
/// (AIC, BIC, reduced χ²) and, under `--correlation`, the correlation matrix.
enum StatisticsText {
    /// `aic`, `bic` and `reduced_chi_square` rows (n/a where undefined, with the reason on
    /// the AIC row), and the scale the residuals are on.
    static func rows(_ s: FitStatistics) -> [[String]] {
        func value(_ v: Double?) -> String { v.map { formatSignificant($0, digits: 7) } ?? "n/a" }
        let why = s.note.map { " (\($0))" } ?? ""
        return [
            ["aic", value(s.aic) + (s.aic == nil ? why : "")],
            ["bic", value(s.bic)],
            ["reduced_chi_square", value(s.reducedChiSquare) + " (\(s.scale == .log ? "log residuals" : "residuals"), n = \(s.points), k = \(s.freeParameters))"],
        ]
    }

    /// The correlation matrix as a table: one row and one column per parameter.
    static func correlationTable(_ s: FitStatistics) -> TextTable {
        TextTable(header: ["correlation"] + s.parameterNames, rows: s.correlation.enumerated().map { i, row in
            [s.parameterNames[i]] + row.map { $0.isNaN ? "nan" : String(format: "%.4f", $0) }
        })
    }

    /// The correlation table with its heading and a trailing newline when `shown`, else "".
    static func correlationBlock(_ s: FitStatistics, shown: Bool, style: TextTable.Style) -> String {
        guard shown else { return "" }
        return "correlation of the parameters:\n" + correlationTable(s).render(style) + "\n"
    }

    /// `--correlation` under `--format csv`: `table` (one row per parameter, named in
    /// column `nameColumn`) with a column `corr_NAME` per parameter.
    static func withCorrelationColumns(_ table: TextTable, _ s: FitStatistics, nameOf: ([String]) -> String) -> TextTable {
        TextTable(header: table.header + s.parameterNames.map { "corr_\($0)" }, rows: table.rows.map { row in
            let name = nameOf(row)
            guard let i = s.parameterNames.firstIndex(of: name) else { return row + s.parameterNames.map { _ in "" } }
            return row + s.correlation[i].map { $0.isNaN ? "nan" : String(format: "%.6f", $0) }
        })
    }
}
