import Foundation

/// Which schedules `OptimalSchedule` searches.
public enum ScheduleFamily: String, Sendable, CaseIterable, Codable {
    /// Every non-increasing schedule after the warmup within [η_min, η_max], step by step.
    case free
    /// WSD (warmup–stable–decay) to η_min: the decay length and its shape.
    case wsd
    /// Cosine from η_max: its final ratio, in [η_min/η_max, 1].
    case cosine
}

/// A schedule with the law's predicted final loss.
public struct ScheduleCandidate: Sendable, Equatable {
    /// The schedule.
    public var schedule: LRSchedule
    /// The predicted loss after its T updates, with its interval.
    public var finalLoss: Prediction
}

/// How the free search went: the projected quasi-Newton's iterations and evaluations over
/// all its starts, its optimality measure at the end and why it stopped.
public struct ScheduleSearchSummary: Sendable, Equatable, Codable {
    /// Iterations of the winning start.
    public var iterations: Int
    /// Loss-and-gradient evaluations over every start and the family searches.
    public var evaluations: Int
    /// The starts tried (`startNames[i]`) and the final loss each reached.
    public var startNames: [String]
    /// The final loss each start reached, parallel to `startNames`.
    public var startLosses: [Double]
    /// The winning start's index.
    public var bestStart: Int
    /// The projected-gradient norm ‖P(z − ∇_z L) − z‖_∞ at the optimum, z the decrements
    /// scaled by 1/(η_max − η_min) (see `CappedSimplexMinimizer`): 0 exactly at a KKT point.
    public var optimality: Double
    /// Whether the measure fell below its tolerance (`optimalityTolerance`).
    public var converged: Bool
    /// Why it stopped, in words.
    public var reason: String
    /// The tolerance on `optimality`.
    public var optimalityTolerance: Double
}

/// The learning-rate schedule that minimises a loss-curve law's predicted final loss — the
/// loss after the T updates η_0 … η_(T−1), the law at step T − 1 as `predict` computes it —
/// over a family, with the gains over a cosine and over the best WSD.
///
/// ```
/// minimise  L(η_0, …, η_(T−1))   over   η_max ≥ η_W ≥ … ≥ η_(T−1) ≥ η_min   (warmup fixed)
/// ```
///
/// `free` optimises every η_t by a projected quasi-Newton method on the decrements
/// (`CappedSimplexMinimizer`) with the law's exact gradient (`FinalLossObjective`, O(T) per
/// evaluation), from two starts: the best staircase of 1–6 sharp drops (`StaircaseSearch`,
/// which moves whole drops, what no per-step first-order move does) and the best WSD (at most
/// 30 iterations: per-step moves from a smooth decay creep, which is why the staircase start
/// exists). When the polish changes the staircase's drops, those drops are moved as whole
/// drops once more and polished again; the lowest end wins. For the multi-power law the
/// optimum is a staircase of a few sharp drops near the end, which no smooth family reaches.
/// The optimality measure is that of the per-step problem (a KKT point); the problem is not
/// convex for the multi-power law, so it certifies a local optimum, and the starts make it the
/// best one found. The annealing law's final loss is convex in the
/// decrements (S1 is linear in them, S2 linear, A·S1^(−α) convex), and its optimum is one
/// sharp drop (at most two adjacent steps): d_k > 0 only where
/// g(n) = α·A·S1^(−α−1)·n − C·(1 − λ^n)/(1 − λ) (n = T − k), which is strictly convex in n, is least.
///
/// `wsd` and `cosine` search their family exactly (`ScheduleFamilySearch`). Every final loss
/// reported is the law's value through `LossCurveLaw.predictWithGradient` at step T − 1, the one
/// `predict` gives for the same rates, with the delta-method interval when a covariance is given.
public struct OptimalSchedule: Sendable {
    /// The family searched.
    public var family: ScheduleFamily
    /// T, η_max, W and η_min.
    public var constraints: ScheduleConstraints
    /// η_0 … η_(T−1) of the optimum.
    public var rates: [Double]
    /// The optimum as a spec, when it is in a family (`wsd`, `cosine`).
    public var schedule: LRSchedule?
    /// Its predicted final loss with the interval.
    public var finalLoss: Prediction
    /// The cosine from η_max to η_min (same T, W): the usual baseline.
    public var cosine: ScheduleCandidate
    /// The best WSD to η_min (shape and decay length).
    public var bestWSD: ScheduleCandidate
    /// What the optimum looks like.
    public var shape: ScheduleShape
    /// The free search's report (nil for a family).
    public var search: ScheduleSearchSummary?

    /// L(cosine) − L(optimum): how much lower the optimum's predicted final loss is.
    public var gainOverCosine: Double { cosine.finalLoss.value - finalLoss.value }
    /// L(best WSD) − L(optimum).
    public var gainOverBestWSD: Double { bestWSD.finalLoss.value - finalLoss.value }

    /// The schedule as the CSV `predict --schedule-file` reads: a `step,lr` header and one row
    /// per step 0…T−1, each η in Swift's shortest round-trip form, so the rates read back are
    /// these bit for bit.
    public var csv: String {
        var text = "step,lr\n"
        text.reserveCapacity(rates.count * 24)
        for (step, rate) in rates.enumerated() { text += "\(step),\(rate)\n" }
        return text
    }

    /// The tolerance of the free search's projected-gradient norm.
    public static let optimalityTolerance = 1e-10

    /// The optimal schedule of `family` for the curve law `law` with parameters θ
    /// (`parameters`, in the law's order) under `constraints`; `covariance` (n×n, optional)
    /// gives the intervals. Throws `badArgument` naming `parameters` or `covariance` when they
    /// do not fit the law, or `law` for a curve law other than the annealing and multi-power
    /// laws (whose final loss has a closed-form gradient).
    public init(law: any CurveFittingLaw, parameters: [Double], covariance: Matrix? = nil,
                constraints: ScheduleConstraints, family: ScheduleFamily = .free) throws {
        let p = law.parameterNames.count
        guard parameters.count == p, parameters.allSatisfy(\.isFinite) else {
            throw ScaleFitError.badArgument(flag: "parameters", position: 0, expected: "\(p) finite values (\(law.parameterNames.joined(separator: ", ")))",
                                            found: "\(parameters)")
        }
        if let covariance, covariance.rows != p || covariance.columns != p {
            throw ScaleFitError.badArgument(flag: "covariance", position: 0, expected: "a \(p)×\(p) matrix", found: "\(covariance.rows)×\(covariance.columns)")
        }
        guard let objective = FinalLossObjective(law: law, parameters: parameters) else {
            throw ScaleFitError.badArgument(flag: "law", position: 0, expected: "the annealing or multi-power law", found: law.identifier)
        }
        let families = ScheduleFamilySearch(objective: objective, constraints: constraints)
        func candidate(_ schedule: LRSchedule) -> ScheduleCandidate {
            ScheduleCandidate(schedule: schedule, finalLoss: Self.finalLoss(law, parameters, covariance, schedule.rates(count: constraints.steps)))
        }
        let wsd = families.bestWSD()
        self.family = family
        self.constraints = constraints
        cosine = candidate(constraints.cosine(finalRatio: constraints.minimumRate / constraints.peak))
        bestWSD = candidate(wsd.schedule)
        var found: [Double] = []
        switch family {
        case .wsd:
            schedule = wsd.schedule
            search = nil
        case .cosine:
            schedule = families.bestCosine().schedule
            search = nil
        case .free:
            let best = families.bestCosine()
            var staircases = StaircaseSearch(objective: objective, constraints: constraints)
            var decayStart = 0
            if case let .wsd(_, _, stable, _, _, _) = wsd.schedule { decayStart = stable }
            let staircase = staircases.best(decayStart: decayStart)
            var (rates, summary) = Self.free(objective, constraints, starts: [
                (Self.name(staircase.positions.count), constraints.rates(decrements: staircases.decrements(staircase)), 1000),
                ("best WSD", wsd.schedule.rates(count: constraints.steps), 30),
            ], familyEvaluations: wsd.evaluations + best.evaluations + staircases.evaluations)
            // The polished optimum's own drops (when the polish changed them) moved as whole drops
            // once more, and polished again.
            let z = constraints.decrements(rates: rates)
            let support = z.indices.filter { z[$0] > 1e-12 }
            if (1...12).contains(support.count), support != staircase.positions {
                let before = staircases.evaluations
                let again = staircases.refine(.init(positions: support, sizes: support.map { z[$0] }, loss: objective.value(rates)))
                let (more, extra) = Self.free(objective, constraints, starts: [
                    ("polished, its " + Self.name(again.positions.count), constraints.rates(decrements: staircases.decrements(again)), 1000),
                ], familyEvaluations: staircases.evaluations - before)
                summary.startNames += extra.startNames
                summary.startLosses += extra.startLosses
                summary.evaluations += extra.evaluations
                if extra.startLosses[0] < summary.startLosses[summary.bestStart] {
                    rates = more
                    summary.bestStart = summary.startNames.count - 1
                    summary.iterations = extra.iterations
                    summary.optimality = extra.optimality
                    summary.converged = extra.converged
                    summary.reason = extra.reason
                }
            }
            schedule = nil
            search = summary
            found = rates
        }
        if let schedule { found = schedule.rates(count: constraints.steps) }
        rates = found
        finalLoss = Self.finalLoss(law, parameters, covariance, found)
        shape = ScheduleShape(rates: found, constraints: constraints)
    }

    /// The law at step T − 1 for `rates`, as `predict` computes it, with the delta-method
    /// interval on log L (NaN bounds without a covariance).
    static func finalLoss(_ law: any CurveFittingLaw, _ parameters: [Double], _ covariance: Matrix?, _ rates: [Double]) -> Prediction {
        let (values, gradient) = law.predictWithGradient(rates: rates, steps: [rates.count - 1], parameters: parameters)
        let value = values[0]
        let g = gradient.map { $0 / value }
        var prediction = Prediction(LawValue(value: value, logGradient: g),
                                    covariance: covariance ?? Matrix(rows: parameters.count, columns: parameters.count))
        if covariance == nil { prediction.lower = .nan; prediction.upper = .nan; prediction.standardError = .nan }
        return prediction
    }

    /// "best staircase (K drops)".
    static func name(_ drops: Int) -> String { "best staircase (\(drops) drop\(drops == 1 ? "" : "s"))" }

    /// The projected quasi-Newton from each start; the lowest end wins (the first on a tie).
    static func free(_ objective: FinalLossObjective, _ c: ScheduleConstraints, starts: [(String, [Double], Int)],
                     familyEvaluations: Int) -> ([Double], ScheduleSearchSummary) {
        var rateGradient = [Double](repeating: 0, count: c.steps)
        let f: CappedSimplexMinimizer.Objective = { z, g in
            let rates = c.rates(decrements: z)
            let value = objective.value(rates, gradient: &rateGradient)
            if g.count != z.count { g = [Double](repeating: 0, count: z.count) }
            c.decrementGradient(rateGradient, into: &g)
            return value
        }
        var results: [CappedSimplexMinimizer.Result] = []
        for (_, rates, iterations) in starts {
            let solver = CappedSimplexMinimizer(gradientTolerance: optimalityTolerance, maxIterations: iterations)
            results.append(solver.minimize(f, from: c.decrements(rates: rates)))
        }
        let best = results.indices.min { results[$0].value < results[$1].value }!
        let r = results[best]
        let summary = ScheduleSearchSummary(
            iterations: r.iterations, evaluations: familyEvaluations + results.reduce(0) { $0 + $1.evaluations },
            startNames: starts.map(\.0), startLosses: results.map(\.value), bestStart: best,
            optimality: r.optimality, converged: r.optimality <= optimalityTolerance, reason: r.stop.rawValue,
            optimalityTolerance: optimalityTolerance)
        return (c.rates(decrements: r.z), summary)
    }
}
