import Foundation

extension MultilingualData: ResamplableObservations {
    /// The families' losses.
    public var observed: [Double] { loss }
    /// Each row's run.
    public var labels: [String] { runs }
    /// The file, the rows used and the rows `read` dropped.
    public var summary: FitFile.DataSummary { .init(file: file, rows: loss.count, droppedRows: droppedRowCount) }
    /// The rows.
    public var unitCount: Int { loss.count }
    /// Each row's family: a resample draws a family's rows from that family's rows only, so
    /// every family keeps its row count (each family is fitted alone).
    public var strata: [Int] { family }

    /// The rows at `indices`, repeats allowed; the families and their order are kept.
    public func resampled(_ indices: [Int]) -> MultilingualData {
        var s = self
        s.family = indices.map { family[$0] }
        s.parameters = indices.map { parameters[$0] }
        s.tokens = indices.map { tokens[$0] }
        s.ratios = indices.map { ratios[$0] }
        s.loss = indices.map { loss[$0] }
        s.lines = indices.map { lines[$0] }
        s.runs = indices.map { runs[$0] }
        return s
    }
}

extension MultilingualFit {
    /// The bootstrap of this fit over the rows of `data` (the data it was fitted to), by
    /// the one `Bootstrap`: each resample draws every family's rows from that family's rows
    /// (a family is fitted alone), and is refitted from this fit's optimum with the fit's
    /// Huber δ and fixed parameters: each family alone by Levenberg–Marquardt, or with shared
    /// parameters one run on all rows (the joint problem the fit polishes). One start, not the
    /// 72-start grid, as the Chinchilla bootstrap does: the optimum lies in the basin of
    /// every resample's optimum for all but pathological resamples, and the grid would cost
    /// 72× as much per resample.
    ///
    /// The draws are each family's six log-space parameters in family order (the fit
    /// file's `FAMILY.e`, …, `FAMILY.gamma`); the intervals are named FAMILY.NAME with the
    /// natural parameters (E, A, B, alpha, beta, gamma).
    /// - Throws: `badArgument` naming `samples` outside 1…`Bootstrap.maximumSamples`.
    public func bootstrap(_ data: MultilingualData, samples: Int, seed: UInt64 = 0) throws -> Bootstrap {
        let index = self.index, start = parameters, fixed = self.fixed
        var options = self.options.solverOptions
        options.loss = .huber(scale: self.options.delta)
        let solver = LevenbergMarquardt(options: options)
        let natural = MultilingualLaw.naturalParameterNames
        var quantities: [(name: String, value: ([Double]) -> Double)] = []
        for (f, family) in law.families.enumerated() {
            for k in 0..<6 {
                let j = 6 * f + k
                quantities.append(("\(family.name).\(natural[k])", k < 3 ? { exp($0[j]) } : { $0[j] }))
            }
        }
        let alone = self.options.shared.isEmpty
        return try Bootstrap(resampling: data, samples: samples, seed: seed, quantities: quantities) { resample in
            guard alone else {
                let problem = MultilingualLogProblem(family: resample.family, parameters: resample.parameters, tokens: resample.tokens,
                                                     ratios: resample.ratios, loss: resample.loss, index: index)
                guard let r = try? solver.minimize(problem, from: start, fixed: fixed), r.summary.converged else { return nil }
                return index.flatMap { family in family.map { r.parameters[$0] } }
            }
            // Nothing shared: each family refitted alone, as the fit did.
            var draw: [Double] = []
            for f in index.indices {
                let rows = resample.rows(of: f)
                let problem = MultilingualLogProblem(parameters: rows.map { resample.parameters[$0] }, tokens: rows.map { resample.tokens[$0] },
                                                     ratios: rows.map { resample.ratios[$0] }, loss: rows.map { resample.loss[$0] })
                guard let r = try? solver.minimize(problem, from: index[f].map { start[$0] }, fixed: index[f].map { fixed[$0] }),
                      r.summary.converged else { return nil }
                draw += r.parameters
            }
            return draw
        }
    }
}
