extension LRSchedule {
    /// The most steps a schedule, a loss curve or a prediction may span: 10⁷.
    ///
    /// The loss-curve laws need η at every step from 0 to the last one asked for (S1 and S2
    /// are sums over all of them), so a step is an allocation of about 24 bytes per step
    /// before it. 10⁷ steps is ~240 MB, above any run the laws have been fitted on (10⁵–10⁶
    /// steps); a larger step is refused by name before anything is allocated.
    public static let maximumSteps = 10_000_000

    /// Throws `badArgument(flag: argument, …)` unless 0 ≤ `step` < `maximumSteps`.
    static func checkStep(_ step: Int, argument: String) throws {
        guard step >= 0, step < maximumSteps else {
            throw ScaleFitError.badArgument(flag: argument, position: 0,
                                            expected: "a step from 0 to \(maximumSteps - 1) (LRSchedule.maximumSteps = 10^7)",
                                            found: "\(step)")
        }
    }
}
