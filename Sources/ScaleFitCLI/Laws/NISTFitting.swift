import Foundation
import ScaleFit

/// `scalefit fit FILE.dat`: a NIST StRD problem, the model chosen by the dataset's name and
/// fitted with its analytic Jacobian from the file's starting vectors.
enum NISTFitting {
    static func fit(path: String, args: ParsedArguments, format: OutputFormat, out: CommandOutput) throws -> Int32 {
        let which = args.text(FormulaOptions.start) ?? "all"
        guard ["1", "2", "all"].contains(which) else { throw UsageError(message: "--start: expected 1, 2 or all, found \"\(which)\"") }
        var options = SolverOptions()
        if let loss = try args.value(SolverOptionsGroup.loss) { options.loss = loss }

        let dataset = try NISTDataset(contentsOf: URL(fileURLWithPath: path))
        let model = try NISTModels.model(for: dataset, file: path)
        let startIndices: [Int]
        switch which {
        case "1": startIndices = [0]
        case "2": startIndices = [1]
        case "all": startIndices = Array(dataset.starts.indices)
        default: throw UsageError(message: "--start: expected 1, 2 or all, found \"\(which)\"")
        }
        let solver = LevenbergMarquardt(options: options)
        var best: (result: SolverResult, start: Int)?
        for k in startIndices where k < dataset.starts.count {
            let r = try model.fit(from: dataset.starts[k], with: solver)
            if best == nil || (r.summary.converged && (!best!.result.summary.converged || r.cost < best!.result.cost)) {
                best = (r, k)
            }
        }
        guard let (result, start) = best else {
            throw ScaleFitError.invalidData(file: path, reason: "the file has no starting values")
        }
        let report = try NISTFitReport(dataset: dataset, result: result, start: start + 1)
        try writeFigures(report, dataset: dataset, parameters: result.parameters, path: path, args: args, out: out)
        warnIfUnsound(report.diagnostics, out: out)
        try out.write(render(report, format: format, correlation: args.has(OutputOptions.correlation)))
        if !result.summary.converged {
            out.note("scalefit: \(result.summary.message)")
            return 1
        }
        return 0
    }

    /// The formula line of a NIST model description ("y = …"), or its first line.
    static func modelLine(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.first { $0.hasPrefix("y =") || $0.hasPrefix("log[y] =") } ?? lines.first ?? ""
    }

    /// `--plot FILE.svg` and `--report DIR`: y against x with the data, the fitted model and
    /// (dashed) the model at NIST's certified values, the residuals below (`FormulaPlot`),
    /// and the report folder (no fit.json: a .dat fit has no fit file).
    static func writeFigures(_ report: NISTFitReport, dataset: NISTDataset, parameters: [Double], path: String,
                             args: ParsedArguments, out: CommandOutput) throws {
        guard args.has(OutputOptions.plot) || args.has(OutputOptions.report) else { return }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let svg = try FormulaPlot(nist: dataset, parameters: parameters)
            .figure(title: "\(name): \(modelLine(report.modelText))",
                    subtitle: PlotTitle.values(names: report.parameters.map(\.name), values: report.parameters.map(\.estimate)))
            .flagged(report.diagnostics).svg()
        if let file = args.text(OutputOptions.plot) { try writePlot(svg, to: file, out: out) }
        if let dir = args.text(OutputOptions.report) {
            try ReportDirectory(title: "\(report.problem) fitted to \(name)", markdown: render(report, format: .markdown, correlation: true),
                                fitFile: nil, parameters: parameterTable(report),
                                residuals: residualTable(report).appending(column: "role", value: "fitted"), svg: svg).write(to: dir, out: out)
        }
    }

    static func parameterTable(_ report: NISTFitReport) -> TextTable {
        precisionTable(report.parameters)
    }

    /// Estimates to 10 digits with their standard and relative errors: the table of the fits
    /// whose digits are the point (NIST problems, user formulas).
    static func precisionTable(_ parameters: [ParameterEstimate]) -> TextTable {
        TextTable(header: ["parameter", "estimate", "std_error", "rel_error"], rows: parameters.map {
            [$0.name, formatSignificant($0.estimate, digits: 10), formatSignificant($0.standardError, digits: 4),
             formatSignificant(abs($0.standardError / $0.estimate), digits: 3)]
        })
    }

    static func residualTable(_ report: NISTFitReport) -> TextTable {
        TextTable(header: ["row", "x", "observed", "fitted", "residual"], rows: report.residualTable.map {
            ["\($0.row)", $0.inputs.map { formatSignificant($0) }.joined(separator: " "), formatSignificant($0.observed, digits: 8),
             formatSignificant($0.fitted, digits: 8), formatSignificant($0.residual, digits: 4)]
        })
    }

    static func render(_ report: NISTFitReport, format: OutputFormat, correlation: Bool = false) -> String {
        if format == .json {
            return jsonText(report)
        }
        let style = format.style
        let params = parameterTable(report)
        let fit = TextTable(header: ["statistic", "value"], rows: [
            ["observations", "\(report.observations)"],
            ["degrees_of_freedom", "\(report.degreesOfFreedom)"],
            ["residual_sum_of_squares", formatSignificant(report.residualSumOfSquares, digits: 10)],
            ["residual_std_deviation", formatSignificant(report.residualStandardDeviation, digits: 10)],
            ["r_squared", formatSignificant(report.rSquared, digits: 8)],
        ] + StatisticsText.rows(report.statistics))
        let residuals = residualTable(report)
        if style == .csv { return (correlation ? StatisticsText.withCorrelationColumns(params, report.statistics) { $0[0] } : params).render(.csv) }
        let head = style == .markdown ? "## " : ""
        return """
        \(head)\(report.problem): \(modelLine(report.modelText))
        fitted from start \(report.start); \(report.summary.message)
        \(FitDiagnostic.reportLine(report.diagnostics))\(report.summary.effort), cost \(formatSignificant(report.summary.initialCost)) -> \(formatSignificant(report.summary.finalCost, digits: 10))

        \(params.render(style))
        \(StatisticsText.correlationBlock(report.statistics, shown: correlation, style: style))\(fit.render(style))
        \(residuals.render(style))
        """
    }
}
