import Foundation

/// One training curve: the learning rate at every step and the loss at the logged steps.
///
/// `rates[i]` is η_i, the learning rate used at step i, for i = 0..<T (warmup included);
/// `steps` are the logged steps, strictly increasing, each < T; `losses[j]` is the loss
/// observed at `steps[j]`. The laws read a step s as "after the updates at steps 0…s", so
/// S1(s) = η_0 + … + η_s.
public struct LossCurve: Sendable, Equatable {
    /// The curve's name, which errors and reports cite.
    public let name: String
    /// η_i, the learning rate at each step i = 0..<T.
    public let rates: [Double]
    /// The logged steps, strictly increasing, each < T.
    public let steps: [Int]
    /// The observed loss at each logged step (empty for a curve only to be predicted).
    public let losses: [Double]

    /// Validates and stores a curve; errors name the curve (`invalidData(file: name, …)`).
    /// `losses` may be empty for a curve that is only to be predicted.
    public init(name: String, rates: [Double], steps: [Int], losses: [Double]) throws {
        for (i, eta) in rates.enumerated() where !(eta.isFinite && eta >= 0) {
            throw ScaleFitError.invalidData(file: name, reason: "learning rate \(eta) at step \(i) is not a finite non-negative number")
        }
        guard losses.isEmpty || losses.count == steps.count else {
            throw ScaleFitError.invalidData(file: name, reason: "\(steps.count) logged steps but \(losses.count) losses")
        }
        for (j, step) in steps.enumerated() {
            guard step >= 0 else {
                throw ScaleFitError.invalidData(file: name, reason: "negative step \(step)")
            }
            if j > 0, step <= steps[j - 1] {
                throw ScaleFitError.invalidData(file: name, reason: "steps are not strictly increasing: \(step) after \(steps[j - 1])")
            }
            guard step < rates.count else {
                throw ScaleFitError.invalidData(file: name, reason: "step \(step) is past the schedule's last step \(rates.count - 1)")
            }
        }
        for (j, loss) in losses.enumerated() where !(loss.isFinite && loss > 0) {
            throw ScaleFitError.invalidData(file: name, reason: "loss \(loss) at step \(steps[j]) is not a finite positive number")
        }
        // The curve laws need S1 = Σ_{τ≤t} η_τ > 0 at every fitted step (L ∝ S1^(−α)).
        if !losses.isEmpty, let first = steps.first, rates[0...first].allSatisfy({ $0 == 0 }) {
            let all = rates[0...steps.last!].allSatisfy { $0 == 0 }
            throw ScaleFitError.invalidData(file: name, reason: all
                ? "the learning rate is 0 at every step up to \(steps.last!): a curve law needs the area S1 = Σ η > 0, and these losses were not trained under any learning rate"
                : "the learning rate is 0 at every step up to the first logged step \(first), so S1 = 0 there and the curve laws are undefined; drop the losses logged before any learning (LogReadOptions.minStep) or give the warmup (LoggedSchedule.Before.linearFromZero)")
        }
        self.name = name
        self.rates = rates
        self.steps = steps
        self.losses = losses
    }

    /// A curve whose η comes from a schedule, extended (held at its last value) to cover
    /// the last logged step if the schedule is shorter.
    public init(name: String, schedule: LRSchedule, steps: [Int], losses: [Double]) throws {
        let last = steps.max() ?? -1
        guard last < LRSchedule.maximumSteps, schedule.totalSteps <= LRSchedule.maximumSteps else {
            throw ScaleFitError.invalidData(file: name, reason: "step \(max(last, schedule.totalSteps - 1)) is past the last step a curve may have, \(LRSchedule.maximumSteps - 1) (LRSchedule.maximumSteps)")
        }
        let count = max(schedule.totalSteps, last + 1)
        try self.init(name: name, rates: schedule.rates(count: count), steps: steps, losses: losses)
    }

    /// The same schedule and steps with other losses (for synthetic data, bootstraps).
    public func replacingLosses(_ newLosses: [Double]) throws -> LossCurve {
        try LossCurve(name: name, rates: rates, steps: steps, losses: newLosses)
    }
}
