extension ChinchillaLogProblem {
    /// The most runs a screening run sees: 512.
    ///
    /// The screening runs only rank the 4500 starts' basins, and a few hundred runs spread
    /// over the data rank them as all of them do; the polishing runs see every run. So the
    /// grid costs O(starts · 512 + polished · m) instead of O(starts · m): a 10k-run fit is
    /// the screening of a 512-run one plus 8 full runs.
    public static let screeningRuns = 512

    /// The problem on at most `count` runs, evenly spaced through the data (every run when
    /// there are no more than `count`): rows ⌊i·m/count⌋ for i = 0..<count.
    public func screeningSubsample(atMost count: Int = screeningRuns) -> ChinchillaLogProblem {
        let m = logLoss.count
        guard m > count, count > 0 else { return self }
        let rows = (0..<count).map { $0 * m / count }
        return ChinchillaLogProblem(logN: rows.map { logN[$0] }, logD: rows.map { logD[$0] }, logLoss: rows.map { logLoss[$0] })
    }

    /// The problem on runs given by their logs.
    init(logN: [Double], logD: [Double], logLoss: [Double]) {
        self.logN = logN
        self.logD = logD
        self.logLoss = logLoss
    }
}
