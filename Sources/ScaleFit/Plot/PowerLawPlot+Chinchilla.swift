import Foundation

/// How the runs of a Chinchilla fit are coloured: by token count D, by compute C = 6·N·D,
/// or by tokens per parameter D/N. Runs whose values lie within a factor 10^0.05 (12%) of
/// the next smaller one share a group, so digitised or rounded budgets still group; values
/// spread evenly (more than eight such groups, or one wider than a factor 2) are cut into
/// eight equal bins of log value.
package enum PowerLawGrouping: Sendable, Equatable {
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
    package static func chinchilla(report: ChinchillaReport, law: ChinchillaLaw.Parameters, grouping: PowerLawGrouping = .tokens,
                                  bootstrapLaws: [ChinchillaLaw.Parameters] = []) throws -> PowerLawPlot {
        try chinchilla(runs: report.runs.map { RunPoint(parameters: $0.parameters, tokens: $0.tokens, observed: $0.observed, fitted: $0.fitted) },
                       law: law, grouping: grouping, bootstrapLaws: bootstrapLaws)
    }

    /// A run as the figure needs it: N, D, observed loss and the law's value.
    struct RunPoint {
        var parameters: Double, tokens: Double, observed: Double, fitted: Double
    }

    static func chinchilla(runs: [RunPoint], law: ChinchillaLaw.Parameters, grouping: PowerLawGrouping,
                           bootstrapLaws: [ChinchillaLaw.Parameters]) throws -> PowerLawPlot {
        let (groups, heading) = try sizeGroups(runs, loss: law.loss(parameters:tokens:), grouping: grouping)
        let allN = runs.map(\.parameters)
        let nMin = allN.min()!, nMax = allN.max()!
        let frontier = logSpaced(nMin...nMax, count: 60).map { ComputeOptimalAllocation(law: law, compute: compute(forOptimal: $0, law: law)) }
        var lower: [Double] = [], upper: [Double] = []
        if !bootstrapLaws.isEmpty {
            for point in frontier {
                let losses = bootstrapLaws.map { $0.loss(parameters: point.parameters, tokens: point.tokens) }.sorted()
                lower.append(ChinchillaBootstrap.percentile(losses, 0.025))
                upper.append(ChinchillaBootstrap.percentile(losses, 0.975))
            }
        }
        return try PowerLawPlot(groups: groups, frontierX: frontier.map(\.parameters), frontierLoss: frontier.map(\.loss),
                                bandX: lower.isEmpty ? [] : frontier.map(\.parameters), bandLower: lower, bandUpper: upper,
                                groupHeading: heading)
    }

    /// The budget whose compute-optimal N* is `n`: N* = G·(C/6)^(β/(α+β)) solved for C.
    static func compute(forOptimal n: Double, law: ChinchillaLaw.Parameters) -> Double {
        let a = law.alpha, b = law.beta
        let g = pow(a * law.A / (b * law.B), 1 / (a + b))
        return 6 * pow(n / g, (a + b) / b)
    }

    /// Indices grouped by value: sorted neighbours within 0.05 decades share a group; if
    /// that makes more than `limit` groups or a group wider than a factor 2 (values spread
    /// evenly rather than in budgets), the log range is cut into `limit` equal bins instead
    /// and the empty ones dropped.
    /// Groups in increasing value, members in index order.
    static func clusters(_ values: [Double], limit: Int = 8) -> [[Int]] {
        let order = values.indices.filter { values[$0] > 0 && values[$0].isFinite }.sorted { (values[$0], $0) < (values[$1], $1) }
        guard let first = order.first, let last = order.last else { return [] }
        var groups: [[Int]] = [[first]]
        for (a, b) in zip(order, order.dropFirst()) {
            if log10(values[b] / values[a]) > 0.05 { groups.append([]) }
            groups[groups.count - 1].append(b)
        }
        let spread = groups.contains { log10(values[$0.last!] / values[$0.first!]) > 0.3 }
        if groups.count > limit || spread {
            let lo = log10(values[first]), width = log10(values[last] / values[first]) / Double(limit)
            var bins = [[Int]](repeating: [], count: limit)
            for i in order { bins[min(limit - 1, Int((log10(values[i]) - lo) / width))].append(i) }
            groups = bins.filter { !$0.isEmpty }
        }
        return groups.map { $0.sorted() }
    }

    /// A group's value, two significant digits, or its range `lo–hi` when it spans more
    /// than 0.05 decades.
    static func groupName(_ values: [Double], format: (Double) -> String) -> String {
        let lo = values.min()!, hi = values.max()!
        if log10(hi / lo) <= 0.05 {
            let mean = exp(values.map { log($0) }.reduce(0, +) / Double(values.count))
            return format(TickLabel.roundSignificant(mean, digits: 2))
        }
        return format(TickLabel.roundSignificant(lo, digits: 2)) + "–" + format(TickLabel.roundSignificant(hi, digits: 2))
    }

    static func logSpaced(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let a = log10(range.lowerBound), b = log10(range.upperBound)
        return (0..<count).map { pow(10, a + (b - a) * Double($0) / Double(count - 1)) }
    }
}

extension PowerLawPlot {
    /// The Chinchilla figure for runs (N, D, observed loss) under a given law, e.g. a saved
    /// fit drawn over a data file: the law's value at each run is the fitted one.
    package static func chinchilla(parameters n: [Double], tokens d: [Double], observed: [Double], law: ChinchillaLaw.Parameters,
                                  grouping: PowerLawGrouping = .tokensPerParameter) throws -> PowerLawPlot {
        guard n.count == d.count, n.count == observed.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(n.count) tokens and losses", found: "\(d.count) and \(observed.count)")
        }
        let points = n.indices.map { RunPoint(parameters: n[$0], tokens: d[$0], observed: observed[$0],
                                              fitted: law.loss(parameters: n[$0], tokens: d[$0])) }
        return try chinchilla(runs: points, law: law, grouping: grouping, bootstrapLaws: [])
    }
}
