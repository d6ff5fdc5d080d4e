import Foundation

extension PowerLawPlot {
    /// The figure of a Chinchilla backtest: every run grouped as in
    /// `chinchilla(report:law:grouping:bootstrapLaws:)` with the law fitted on the kept runs,
    /// plus one more group, "held out", that marks the held-out runs again in its own colour
    /// (observed points, with their prediction errors in the residual panel).
    package static func chinchilla(backtest b: PowerLawBacktest, grouping: PowerLawGrouping = .tokensPerParameter) throws -> PowerLawPlot {
        let points = b.runs.map { RunPoint(parameters: $0.parameters, tokens: $0.tokens, observed: $0.observed, fitted: $0.predicted) }
        let held = b.runs.filter(\.heldOut)
        return try chinchilla(runs: points, law: b.law, grouping: grouping, bootstrapLaws: [])
            .withHeldOut(x: held.map(\.parameters), observed: held.map(\.observed), fitted: held.map(\.predicted))
    }

    /// The figure with one more group, "held out", marking the held-out runs again in its own
    /// colour (observed points, their prediction errors in the residual panel); unchanged
    /// for no held-out runs.
    package func withHeldOut(x: [Double], observed: [Double], fitted: [Double]) -> PowerLawPlot {
        guard !x.isEmpty else { return self }
        var plot = self
        // The heading prefixes every legend entry; spell it into the names so "held out" stands alone.
        if !plot.groupHeading.isEmpty {
            for i in plot.groups.indices { plot.groups[i].name = "\(plot.groupHeading) \(plot.groups[i].name)" }
            plot.groupHeading = ""
        }
        plot.groups.append(Group(name: "held out", x: x, observed: observed, fitted: fitted))
        return plot
    }
}
