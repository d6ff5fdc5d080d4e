import Foundation
import ScaleFit

/// `scalefit predict` from a power-law fit: L and its 95% interval, from the fit file opened
/// as the fit of its law (`LawRegistry`, `Fit.predict`: the delta method on log L with the
/// law's analytic gradient, and the file's prediction noise).
enum PowerPrediction {
    struct PowerRow: Codable {
        let x: Double; let loss: Double; let lower95: Double; let upper95: Double; let meanLower95: Double; let meanUpper95: Double
    }

    /// `scalefit predict FIT.json --at COL=v1,v2…` for a fit of one variable (the power law):
    /// L and its 95% intervals.
    static func predict(_ fitted: any FittedLaw, path: String, args: ParsedArguments, format: OutputFormat, out: CommandOutput) throws -> Int32 {
        let column = fitted.file.variables?.first ?? "x"
        let specs = try args.values(PredictCommand.at)
        guard specs.count == 1, let eq = specs[0].firstIndex(of: "=") else {
            throw UsageError(message: "predicting from a \(fitted.lawIdentifier) fit needs --at \(column)=v1,v2,… (the fitted column)")
        }
        let name = String(specs[0][..<eq]).trimmingCharacters(in: .whitespaces)
        guard ColumnRole.normalize(name) == ColumnRole.normalize(column) else {
            throw UsageError(message: "--at: this fit is in column \"\(column)\", found \"\(name)\"")
        }
        let xs = try numberList(String(specs[0][specs[0].index(after: eq)...]), flag: "--at")
        let predictions = try fitted.predict(.values(xs), level: 0.95)
        let rows = zip(xs, predictions).map { x, p in
            PowerRow(x: x, loss: p.value, lower95: p.predictionLower, upper95: p.predictionUpper,
                     meanLower95: p.lower, meanUpper95: p.upper)
        }
        if format == .json { try out.write(jsonText(rows)); return 0 }
        let t = TextTable(header: [column, "loss"] + IntervalColumns.header, rows: rows.map {
            [formatSignificant($0.x, digits: 4)]
                + IntervalColumns.cells(loss: $0.loss, lower95: $0.lower95, upper95: $0.upper95, meanLower95: $0.meanLower95, meanUpper95: $0.meanUpper95)
        })
        try out.write(t.render(format.style))
        return 0
    }
}
