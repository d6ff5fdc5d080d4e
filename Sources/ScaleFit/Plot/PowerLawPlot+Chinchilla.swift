import Foundation

/// How the runs of a Chinchilla fit are coloured: by token count D, by compute C = 6·N·D,
/// or by tokens per parameter D/N. Runs whose values lie within a factor 10^0.05 (12%) of
/// the next smaller one share a group, so digitised or rounded budgets still group.
public enum PowerLawGrouping: Sendable, Equatable {
    case tokens, compute, tokensPerParameter
}

extension PowerLawPlot {
    /// The figure's data from a Chinchilla report and its law: the runs grouped by
    /// `grouping`, each group's law line over 80 log-spaced N (L(N, D) at the group's D,
    /// or at D = C/(6N) or D = r·N; for compute groups over the group's N range widened by
    /// ×/÷ 2, otherwise over all runs' N), and the compute-optimal frontier
    /// (N*(C), L*(C)) for the budgets whose N* lies in the runs' N range. With
    /// `bootstrapLaws`, the band is the 2.5–97.5% range of their L at the frontier's
    /// (N*, D*).
    public static func chinchilla(report: ChinchillaReport, law: ChinchillaLaw, grouping: PowerLawGrouping = .tokens,
                                  bootstrapLaws: [ChinchillaLaw] = []) throws -> PowerLawPlot {
        let runs = report.runs
        let key: (ChinchillaReport.Run) -> Double = {
            switch grouping {
            case .tokens: return $0.tokens
            case .compute: return 6 * $0.parameters * $0.tokens
            case .tokensPerParameter: return $0.tokens / $0.parameters
            }
        }
        let allN = runs.map(\.parameters)
        guard let nMin = allN.min(), let nMax = allN.max() else {
            throw ScaleFitError.invalidData(file: "chinchilla report", reason: "no runs to plot")
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
                case .tokens: return law.loss(parameters: n, tokens: value)
                case .compute: return law.loss(parameters: n, tokens: value / (6 * n))
                case .tokensPerParameter: return law.loss(parameters: n, tokens: value * n)
                }
            }
            let name = grouping == .compute ? TickLabel.scientific(TickLabel.roundSignificant(value, digits: 2))
                                            : TickLabel.si(TickLabel.roundSignificant(value, digits: 2))
            groups.append(Group(name: name, x: ns, observed: g.map { runs[$0].observed }, fitted: g.map { runs[$0].fitted },
                                lawX: lawX, lawLoss: lawLoss))
        }
        let frontier = logSpaced(nMin...nMax, count: 60).map { ComputeOptimalAllocation(law: law, compute: compute(forOptimal: $0, law: law)) }
        var lower: [Double] = [], upper: [Double] = []
        if !bootstrapLaws.isEmpty {
            for point in frontier {
                let losses = bootstrapLaws.map { $0.loss(parameters: point.parameters, tokens: point.tokens) }.sorted()
                lower.append(ChinchillaBootstrap.percentile(losses, 0.025))
                upper.append(ChinchillaBootstrap.percentile(losses, 0.975))
            }
        }
        let heading: String
        switch grouping {
        case .tokens: heading = "D ="
        case .compute: heading = "C ="
        case .tokensPerParameter: heading = "D/N ="
        }
        return try PowerLawPlot(groups: groups, frontierX: frontier.map(\.parameters), frontierLoss: frontier.map(\.loss),
                                bandX: lower.isEmpty ? [] : frontier.map(\.parameters), bandLower: lower, bandUpper: upper,
                                groupHeading: heading)
    }

    /// The budget whose compute-optimal N* is `n`: N* = G·(C/6)^(β/(α+β)) solved for C.
    static func compute(forOptimal n: Double, law: ChinchillaLaw) -> Double {
        let a = law.alpha, b = law.beta
        let g = pow(a * law.A / (b * law.B), 1 / (a + b))
        return 6 * pow(n / g, (a + b) / b)
    }

    /// Indices grouped so that sorted neighbours within 0.05 decades share a group;
    /// groups in increasing value, members in index order.
    static func clusters(_ values: [Double]) -> [[Int]] {
        let order = values.indices.filter { values[$0] > 0 && values[$0].isFinite }.sorted { (values[$0], $0) < (values[$1], $1) }
        var groups: [[Int]] = []
        var previous = -Double.infinity
        for i in order {
            let v = log10(values[i])
            if v - previous > 0.05 || groups.isEmpty { groups.append([]) }
            groups[groups.count - 1].append(i)
            previous = v
        }
        return groups.map { $0.sorted() }
    }

    static func logSpaced(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let a = log10(range.lowerBound), b = log10(range.upperBound)
        return (0..<count).map { pow(10, a + (b - a) * Double($0) / Double(count - 1)) }
    }
}
