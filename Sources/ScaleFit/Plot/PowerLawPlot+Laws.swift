import Foundation

extension PowerLawPlot {
    /// The figure of any law of (N, D) without a compute-optimal frontier of its own (Kaplan
    /// et al.'s): the runs grouped by `grouping` as in the Chinchilla figure, each group's
    /// line of `loss(N, D)` over 80 log-spaced N, and the residuals below.
    package static func sizes(parameters n: [Double], tokens d: [Double], observed: [Double],
                              loss: (Double, Double) -> Double, grouping: PowerLawGrouping = .tokensPerParameter) throws -> PowerLawPlot {
        guard n.count == d.count, n.count == observed.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(n.count) tokens and losses", found: "\(d.count) and \(observed.count)")
        }
        let runs = n.indices.map { RunPoint(parameters: n[$0], tokens: d[$0], observed: observed[$0], fitted: loss(n[$0], d[$0])) }
        let (groups, heading) = try sizeGroups(runs, loss: loss, grouping: grouping)
        return try PowerLawPlot(groups: groups, groupHeading: heading)
    }

    /// The figure of a law of one variable x (the saturating power law L = E + A·x^(−α)):
    /// the runs against x on log axes, the law's line over their x range (80 log-spaced
    /// points) and the residuals below. `xLabel` names x (one containing "FLOP" gets
    /// scientific tick labels).
    package static func oneVariable(x: [Double], observed: [Double], law: (Double) -> Double, xLabel: String) throws -> PowerLawPlot {
        guard x.count == observed.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(x.count) losses", found: "\(observed.count)")
        }
        let positive = x.filter { $0 > 0 && $0.isFinite }
        guard let lo = positive.min(), let hi = positive.max() else {
            throw ScaleFitError.invalidData(file: "power-law figure", reason: "no run with a positive \(xLabel) to plot")
        }
        let lawX = logSpaced(lo < hi ? lo...hi : (lo / 2)...(hi * 2), count: 80)
        return try PowerLawPlot(groups: [Group(name: "runs", x: x, observed: observed, fitted: x.map(law),
                                               lawX: lawX, lawLoss: lawX.map(law))],
                                xLabel: xLabel)
    }

    /// The runs grouped by `grouping` (`clusters`), each with the law's line over 80
    /// log-spaced N: at the group's D, at D = C/(6N) (over the group's N range widened ×/÷ 2)
    /// or at D = r·N; and the legend heading.
    static func sizeGroups(_ runs: [RunPoint], loss: (Double, Double) -> Double,
                           grouping: PowerLawGrouping) throws -> (groups: [Group], heading: String) {
        let key: (RunPoint) -> Double = {
            switch grouping {
            case .tokens: return $0.tokens
            case .compute: return 6 * $0.parameters * $0.tokens
            case .tokensPerParameter: return $0.tokens / $0.parameters
            }
        }
        let allN = runs.map(\.parameters)
        guard let nMin = allN.min(), let nMax = allN.max() else {
            throw ScaleFitError.invalidData(file: "power-law figure", reason: "no runs to plot")
        }
        var groups: [Group] = []
        for members in clusters(runs.indices.map { key(runs[$0]) }) {
            let g = members.sorted { (runs[$0].parameters, $0) < (runs[$1].parameters, $1) }
            let value = exp(g.map { log(key(runs[$0])) }.reduce(0, +) / Double(g.count))
            let ns = g.map { runs[$0].parameters }
            let span = grouping == .compute ? (ns.min()! / 2)...(ns.max()! * 2) : nMin...nMax
            let lawX = logSpaced(span, count: 80)
            let lawLoss = lawX.map { n -> Double in
                switch grouping {
                case .tokens: return loss(n, value)
                case .compute: return loss(n, value / (6 * n))
                case .tokensPerParameter: return loss(n, value * n)
                }
            }
            let name = groupName(g.map { key(runs[$0]) }, format: grouping == .compute ? TickLabel.scientific : TickLabel.si)
            groups.append(Group(name: name, x: ns, observed: g.map { runs[$0].observed }, fitted: g.map { runs[$0].fitted },
                                lawX: lawX, lawLoss: lawLoss))
        }
        let heading: String
        switch grouping {
        case .tokens: heading = "D ="
        case .compute: heading = "C ="
        case .tokensPerParameter: heading = "D/N ="
        }
        return (groups, heading)
    }
}
