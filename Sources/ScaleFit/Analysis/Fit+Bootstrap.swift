import Foundation

extension Fit where L.Observations: ResamplableObservations {
    /// This fit with a bootstrap over the runs of `data` (the observations it was fitted
    /// to): `samples` resamples refitted, percentile intervals kept (see `Bootstrap`).
    public func bootstrapped(_ data: L.Observations, samples: Int, seed: UInt64 = 0) throws -> Fit<L> {
        var f = self
        f.bootstrap = try Bootstrap(self, data: data, samples: samples, seed: seed)
        return f
    }
}

extension Fit {
    /// The bootstrap's percentile interval (2.5%, 50%, 97.5% over the resamples) of the
    /// law's value at each point of `query`; nil without a bootstrap. Unlike `predict`'s
    /// delta-method interval it assumes nothing about the shape of the parameters'
    /// distribution; like it, it covers the law's value, not one new run's scatter.
    public func bootstrapIntervals(_ query: L.Query) throws -> [Bootstrap.Interval]? {
        guard let b = bootstrap else { return nil }
        let count = try law.evaluate(query, parameters: parameters).count
        let values = try b.draws.map { try law.evaluate(query, parameters: $0).map(\.value) }
        return (0..<count).map { i in
            Bootstrap.Interval(name: "point \(i + 1)", percentilesOf: values.map { $0[i] }.filter { !$0.isNaN }.sorted())
        }
    }
}
