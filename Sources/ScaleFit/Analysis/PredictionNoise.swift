import Foundation

/// Observations in groups that a held-out backtest leaves out one at a time: loss curves
/// (one group per curve), runs (one group per model size, or per band of sizes).
public protocol GroupedObservations: LawObservations {
    /// The group of each observation, parallel to `observed` (0 ..< `groupNames.count`).
    var groups: [Int] { get }
    /// Each group in words (`cosine_24000`, `N 5e7–2e8`).
    var groupNames: [String] { get }
    /// The observations of the groups in `kept`, in their order.
    func keeping(groups kept: [Int]) -> Self
}

/// How far a new observation falls from the law beyond what the parameter uncertainty
/// explains: what turns the confidence band of the law's value into a **prediction
/// interval** for an observed loss.
///
/// On the law's residual scale (log L for every built-in law; y for a formula):
///
/// ```
/// residual  σ_r = √(Σ rᵢ² / (n − p))           the fitted points' scatter about the law
/// heldOut   σ_h = √(mean over folds g of       leave-one-group-out: each group (curve, model
///               (mean r² − mean vᵢ))           size) predicted by a fit to the others; vᵢ =
///                                               gᵢᵀΣ_g gᵢ the fold's own estimation variance at
///                                               its held-out point i (the interval adds the full
///                                               fit's gᵀΣg itself, so a fold's is taken out)
/// σ         = max(σ_r, σ_h)                     a new observation's scatter (noise + the law's own error)
/// interval  ŷ·exp(±z·√(gᵀΣg + σ²))               (ŷ ± z·√(gᵀΣg + σ²) on the linear scale)
/// ```
///
/// The held-out term is estimated from the training data only. Each fold refits the law to
/// the other groups by one Levenberg–Marquardt run from the full fit's optimum (as the
/// bootstrap does: the fold's optimum lies in that basin for all but degenerate folds),
/// with the law's own objective, bounds and solver options; a fold whose run ends without
/// converging is still used (its last iterate is a fit to the other groups) and counted,
/// (the budget is `foldEvaluations`), one whose run fails or predicts a non-finite value is skipped and counted. Folds weigh
/// alike. With fewer than two groups only σ_r is known and `method` says so: the interval
/// then assumes the law has no error of its own.
public struct PredictionNoise: Sendable, Codable, Equatable {
    /// The scale of the residuals (and of σ).
    public var scale: LawValue.Scale
    /// σ_r: the root mean square residual of the fit, with n − p degrees of freedom.
    public var residual: Double
    /// n − p.
    public var degreesOfFreedom: Int
    /// σ_h: the root mean square error of the held-out predictions, when folds were run.
    public var heldOut: Double?
    /// The held-out points σ_h is the mean over.
    public var heldOutPoints: Int?
    /// The folds whose predictions entered σ_h.
    public var folds: Int?
    /// The folds skipped because their refit failed or predicted a non-finite value.
    public var foldsSkipped: Int?
    /// The folds used whose refit ran out of evaluations before converging.
    public var foldsNotConverged: Int?
    /// S_max, the last fitted step, for the loss-curve laws: a prediction beyond it adds the
    /// horizon term (`horizonVariance(atStep:)`).
    public var horizonStep: Int?
    /// κ, the growth of the log error per unit of log(s/S_max) past the last fitted step,
    /// from the leave-future-out refit (`Fit.predictionNoise`).
    public var horizonGrowth: Double?
    /// The points the leave-future-out refit predicted (steps past S_max/2).
    public var horizonPoints: Int?

    /// The variance a prediction at `step` adds for lying past the fitted steps:
    /// κ²·log²(s/S_max) for s > S_max, else 0 (and 0 without a horizon estimate).
    public func horizonVariance(atStep step: Int) -> Double {
        guard let last = horizonStep, let k = horizonGrowth, k.isFinite, last > 0, step > last else { return 0 }
        let x = log(Double(step) / Double(last))
        return k * k * x * x
    }

    /// θ of each used fold's refit (the law fitted without one group), in the law's
    /// parameter order: a prediction evaluates the law at each to measure how far the fits
    /// to different groups disagree there (`foldSpread(_:)`).
    public var foldParameters: [[Double]]?
    /// The method in words, as reports print it.
    public var method: String

    /// max(σ_r, σ_h): the scatter of a new observation about the law.
    public var sigma: Double { max(residual, heldOut ?? 0) }

    /// The jackknife variance of a prediction over the leave-one-group-out fits, on `scale`:
    /// with vᵍ the prediction of fold g's parameters (its log on the log scale) and G folds,
    ///
    /// ```
    /// V_J = (G − 1)/G · Σ_g (vᵍ − v̄)²
    /// ```
    ///
    /// It grows where the fits to different groups part — a longer run, a deeper cooldown,
    /// a larger model than the groups cover — which a covariance from the full fit alone
    /// does not see. Nil with fewer than two folds or a non-finite (or, on the log scale,
    /// non-positive) fold prediction.
    public static func foldSpread(_ foldValues: [Double], scale: LawValue.Scale) -> Double? {
        guard foldValues.count >= 2 else { return nil }
        let v = scale == .log ? foldValues.map { $0 > 0 ? log($0) : .nan } : foldValues
        guard v.allSatisfy(\.isFinite) else { return nil }
        let g = Double(v.count), mean = v.reduce(0, +) / g
        return (g - 1) / g * v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }

    /// The noise with every field given.
    public init(scale: LawValue.Scale, residual: Double, degreesOfFreedom: Int, heldOut: Double? = nil,
                heldOutPoints: Int? = nil, folds: Int? = nil, foldsSkipped: Int? = nil, method: String) {
        self.scale = scale; self.residual = residual; self.degreesOfFreedom = degreesOfFreedom
        self.heldOut = heldOut; self.heldOutPoints = heldOutPoints; self.folds = folds
        self.foldsSkipped = foldsSkipped; self.method = method
    }

    /// The residuals of `fitted` against `observed` on `scale` (log ŷ − log y, or ŷ − y).
    static func residuals(observed: [Double], fitted: [Double], scale: LawValue.Scale) -> [Double] {
        zip(fitted, observed).map { f, y in scale == .log ? log(f) - log(y) : f - y }
    }

    /// σ_r of a fit with `parameterCount` free parameters (NaN without degrees of freedom).
    public static func residualOnly(observed: [Double], fitted: [Double], parameterCount: Int,
                                    scale: LawValue.Scale) -> PredictionNoise {
        let r = residuals(observed: observed, fitted: fitted, scale: scale)
        let dof = r.count - parameterCount
        let ss = r.reduce(0) { $0 + $1 * $1 }
        let sigma = dof > 0 ? (ss / Double(dof)).squareRoot() : .nan
        return PredictionNoise(scale: scale, residual: sigma, degreesOfFreedom: dof,
                               method: "residual scatter only (σ_r over \(r.count) points, \(dof) degrees of freedom); the law's own error is not estimated")
    }
}

extension Fit {
    /// σ_r of this fit to `data`.
    public func residualNoise(_ data: L.Observations) -> PredictionNoise {
        let free = parameters.count - (law.fixed ?? []).filter { $0 }.count
        return PredictionNoise.residualOnly(observed: data.observed, fitted: law.fitted(data, parameters: parameters),
                                            parameterCount: free, scale: law.residualScale)
    }
}

extension Fit {
    /// The evaluation budget of each fold's refit (or the law's own budget when smaller): a
    /// well-posed fold converges from the full optimum in a few dozen; a fold the remaining
    /// groups cannot determine walks a flat valley, and its iterate at the budget is used.
    public static var foldEvaluations: Int { 200 }
}

extension Fit where L.Observations: GroupedObservations {
    /// σ_r and the leave-one-group-out σ_h of this fit to `data`: each group predicted by
    /// the law refitted to the other groups from this fit's optimum, folds run in parallel.
    /// Loss curves also get the leave-future-out horizon term (`horizonNoise`).
    public func predictionNoise(_ data: L.Observations) -> PredictionNoise {
        var noise = groupNoise(data)
        if let curves = data as? LossCurves {
            var options = law.search.options
            options.maxEvaluations = min(options.maxEvaluations, Self.foldEvaluations)
            horizonNoise(curves, into: &noise, solver: LevenbergMarquardt(options: options))
        }
        return noise
    }

    private func groupNoise(_ data: L.Observations) -> PredictionNoise {
        var noise = residualNoise(data)
        var options = law.search.options
        options.maxEvaluations = min(options.maxEvaluations, Self.foldEvaluations)
        let names = data.groupNames, groupOf = data.groups
        guard names.count >= 2 else {
            noise.method += "; one \(names.isEmpty ? "group" : "group (\(names[0]))"): no held-out estimate"
            return noise
        }
        let scale = law.residualScale, law = self.law
        let observed = data.observed
        let start = parameters
        let solver = LevenbergMarquardt(options: options)
        // The whole data's problem, whose Jacobian rows at a fold's θ are the gradients of
        // its held-out predictions (when its residuals are the observations, in order).
        let whole = (try? law.problem(for: data)).flatMap { $0.residualCount == observed.count ? $0 : nil }
        // Each fold's squared held-out residuals, the fold's own estimation variance at those
        // points, whether its run converged and its θ; nil when it failed.
        let folds: [(squares: [Double], estimation: [Double], converged: Bool, parameters: [Double])?] = concurrentResults(count: names.count) { g in
            let rest = (0..<names.count).filter { $0 != g }
            let held = groupOf.indices.filter { groupOf[$0] == g }
            let subset = data.keeping(groups: rest)
            guard let problem = try? law.problem(for: subset),
                  let run = try? solver.minimize(problem, from: start, bounds: law.bounds(for: subset), fixed: law.fixed)
            else { return nil }
            let all = law.fitted(data, parameters: run.parameters)
            let r = PredictionNoise.residuals(observed: held.map { observed[$0] }, fitted: held.map { all[$0] }, scale: scale)
            guard !r.isEmpty, r.allSatisfy(\.isFinite) else { return nil }
            return (r.map { $0 * $0 }, Self.estimationVariance(whole, at: run, rows: held), run.summary.converged, run.parameters)
        }
        let used = folds.compactMap { $0 }
        let done = used.map(\.squares)
        let skipped = names.count - done.count
        guard !done.isEmpty else {
            noise.folds = 0
            noise.foldsSkipped = skipped
            noise.method += "; leave-one-out over \(names.count) groups: every refit failed, so the law's own error is not estimated"
            return noise
        }
        let notConverged = used.filter { !$0.converged }.count
        // Each fold weighs alike (a long curve does not outvote a short one). A fold's held-out
        // error carries its own estimation variance there, which a prediction's interval adds
        // again from the full fit's covariance: it is taken out, fold by fold, where known.
        let foldMeans = used.map { f -> Double in
            let squares = f.squares.reduce(0, +) / Double(f.squares.count)
            guard f.estimation.count == f.squares.count else { return squares }
            return max(0, squares - f.estimation.reduce(0, +) / Double(f.estimation.count))
        }
        noise.heldOut = (foldMeans.reduce(0, +) / Double(foldMeans.count)).squareRoot()
        noise.heldOutPoints = done.reduce(0) { $0 + $1.count }
        noise.folds = done.count
        noise.foldsSkipped = skipped
        noise.foldsNotConverged = notConverged
        noise.foldParameters = used.count >= 2 ? used.map(\.parameters) : nil
        let notes = [skipped > 0 ? "\(skipped) skipped: refit failed" : nil,
                     notConverged > 0 ? "\(notConverged) of them not converged" : nil].compactMap { $0 }
        noise.method = "max(σ_r, σ_h): σ_r the residual scatter (\(noise.degreesOfFreedom) degrees of freedom), σ_h the root mean square error of leave-one-out predictions over \(names.count) groups, each refitted from the fit's optimum (\(done.count) folds used\(notes.isEmpty ? "" : "; " + notes.joined(separator: ", "))); each prediction's interval also widens by the spread of the folds' predictions there where it exceeds the parameter covariance's (the jackknife over groups)"
        return noise
    }
}

extension Fit {
    /// gᵢᵀ·Σ_f·gᵢ at each of `rows`: the variance of a fold's prediction there from its own
    /// parameter uncertainty (Σ_f the fold run's scaled covariance, gᵢ row i of `whole`'s
    /// Jacobian at the fold's θ); empty when either is unknown or a value is not finite.
    static func estimationVariance<P: LeastSquaresProblem>(_ whole: P?, at run: SolverResult, rows: [Int]) -> [Double] {
        guard let whole, let cov = try? ParameterCovariance(result: run) else { return [] }
        let p = whole.parameterCount
        guard cov.scaled.rows == p else { return [] }
        var jacobian = Matrix(rows: whole.residualCount, columns: p)
        whole.jacobian(at: run.parameters, into: &jacobian)
        var out: [Double] = []
        out.reserveCapacity(rows.count)
        for i in rows {
            var v = 0.0
            for a in 0..<p {
                let ga = jacobian[i, a]
                guard ga != 0 else { continue }
                for b in 0..<p { v += ga * cov.scaled[a, b] * jacobian[i, b] }
            }
            guard v.isFinite, v >= 0 else { return [] }
            out.append(v)
        }
        return out
    }

    /// The leave-future-out estimate of how the error grows past the last fitted step S_max:
    /// the law refitted to the points at steps ≤ τ = S_max/2 (one run from this fit's optimum,
    /// as each leave-one-group-out fold is, with the folds' budget) predicts the points past
    /// τ, and
    ///
    /// ```
    /// κ² = max(0, Σ (rᵢ² − σ_r²)) / Σ log²(sᵢ/τ)      over the points past τ
    /// ```
    ///
    /// so that a prediction at s > S_max adds κ²·log²(s/S_max) to its variance: a run twice
    /// as long as the longest fitted is assumed as hard to predict as the second half of the
    /// fitted curves was from their first half. Left unset (and said in `method`) when the
    /// first half has fewer points than free parameters or the refit fails.
    ///
    /// One run from the optimum is cheap but has seen the second half: on the real 25M and
    /// 100M curves with the multi-power-law paper's three fitted curves a fresh multi-start
    /// fit to the first half gives the same κ to three digits, but fitted to a constant run and
    /// one cooldown (whose first half holds no cooldown) the fresh fit's κ is 2–10× larger
    /// (the coverage of the paper's other curves is the same either way; README).
    func horizonNoise(_ curves: LossCurves, into noise: inout PredictionNoise, solver: LevenbergMarquardt) {
        guard let last = curves.curves.compactMap({ $0.steps.last }).max(), last >= 2 else { return }
        let tau = last / 2
        let kept = curves.truncated(atStep: tau)
        let free = parameters.count - (law.fixed ?? []).filter { $0 }.count
        guard kept.observed.count >= max(free, 1), let subset = kept as? L.Observations,
              let problem = try? law.problem(for: subset),
              let run = try? solver.minimize(problem, from: parameters, bounds: law.bounds(for: subset), fixed: law.fixed)
        else {
            noise.method += "; no leave-future-out estimate (the first half of the fitted steps cannot be refitted), so predictions past step \(last) carry no horizon term"
            return
        }
        let all = law.fitted(data: curves, parameters: run.parameters)
        let observed = curves.observed
        var sumR = 0.0, sumX = 0.0, points = 0, i = 0
        let floor = noise.residual.isFinite ? noise.residual * noise.residual : 0
        for c in curves.curves {
            for s in c.steps {
                defer { i += 1 }
                guard s > tau else { continue }
                let r = log(all[i]) - log(observed[i])
                guard r.isFinite else { continue }
                let x = log(Double(s) / Double(tau))
                sumR += r * r - floor
                sumX += x * x
                points += 1
            }
        }
        guard points > 0, sumX > 0 else { return }
        noise.horizonStep = last
        noise.horizonGrowth = (max(0, sumR) / sumX).squareRoot()
        noise.horizonPoints = points
        noise.method += "; past step \(last) the variance grows by κ²·log²(s/\(last)), κ = \(formatSignificant(noise.horizonGrowth!, digits: 3)) from the leave-future-out refit (steps ≤ \(tau) predicting \(points) points past them\(run.summary.converged ? "" : ", not converged"))"
    }
}

extension Law {
    /// `fitted(_:parameters:)` for observations known to be this law's (a cast the generic
    /// leave-future-out estimate needs).
    func fitted(data: LossCurves, parameters: [Double]) -> [Double] {
        guard let d = data as? Observations else { return [] }
        return fitted(d, parameters: parameters)
    }
}

// MARK: groups of the observation types

extension LossCurves: GroupedObservations {
    /// The group of each curve: its own, or with more than `SizeGroups.maximumGroups`
    /// curves, one of that many runs of consecutive curves.
    var curveGroups: [Int] {
        let k = curves.count, m = SizeGroups.maximumGroups
        return curves.indices.map { k <= m ? $0 : $0 * m / k }
    }
    /// One group per curve (at most 8: more curves are grouped in runs of consecutive curves).
    public var groups: [Int] {
        let g = curveGroups
        return curves.indices.flatMap { c in Array(repeating: g[c], count: curves[c].losses.count) }
    }
    /// The curves' names (`first…last (k curves)` for a group of several).
    public var groupNames: [String] {
        let g = curveGroups
        return (0..<(g.last.map { $0 + 1 } ?? 0)).map { b in
            let members = curves.indices.filter { g[$0] == b }.map { curves[$0].name }
            return members.count == 1 ? members[0] : "\(members.first!)…\(members.last!) (\(members.count) curves)"
        }
    }
    /// The curves of the groups at `kept`.
    public func keeping(groups kept: [Int]) -> LossCurves {
        let g = curveGroups, keep = Set(kept)
        return selecting(curves: curves.indices.filter { keep.contains(g[$0]) })
    }
    /// The curves cut after `step`: each curve's losses at steps ≤ `step` (with their lines);
    /// a curve with none left is dropped.
    public func truncated(atStep step: Int) -> LossCurves {
        var s = self
        var keep: [Int] = []
        for (c, curve) in curves.enumerated() {
            let n = curve.steps.prefix { $0 <= step }.count
            guard n > 0 else { continue }
            if n < curve.steps.count {
                // A prefix of a valid curve is valid; should it not be, the curve is left out.
                guard let cut = try? LossCurve(name: curve.name, rates: curve.rates, steps: Array(curve.steps.prefix(n)),
                                               losses: Array(curve.losses.prefix(n))) else { continue }
                s.curves[c] = cut
                s.lineNumbers[c] = Array(lineNumbers[c].prefix(n))
            }
            keep.append(c)
        }
        return s.selecting(curves: keep)
    }

    /// The curves at `indices`, with their schedules and lines.
    public func selecting(curves indices: [Int]) -> LossCurves {
        var s = self
        s.curves = indices.map { curves[$0] }
        s.schedules = indices.map { schedules[$0] }
        s.sources = indices.map { sources[$0] }
        s.lineNumbers = indices.map { lineNumbers[$0] }
        return s
    }
}

/// The groups of runs by size: one per distinct value of `size`, or, with more than
/// `maximumGroups` distinct values, `maximumGroups` bands of consecutive sizes with about
/// equal numbers of runs.
enum SizeGroups {
    static let maximumGroups = 8

    static func groups(_ size: [Double], name: String) -> (groups: [Int], names: [String]) {
        let distinct = Array(Set(size)).sorted()
        guard !distinct.isEmpty else { return ([], []) }
        let rank = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        if distinct.count <= maximumGroups {
            return (size.map { rank[$0]! }, distinct.map { "\(name) \(formatSignificant($0, digits: 3))" })
        }
        let bands = maximumGroups
        let band = distinct.indices.map { $0 * bands / distinct.count }
        let names = (0..<bands).map { b -> String in
            let members = distinct.indices.filter { band[$0] == b }.map { distinct[$0] }
            return "\(name) \(formatSignificant(members.first!, digits: 3))–\(formatSignificant(members.last!, digits: 3))"
        }
        return (size.map { band[rank[$0]!] }, names)
    }
}

extension ModelRuns: GroupedObservations {
    /// One group per model size N (or per band of sizes, at most 8).
    public var groups: [Int] { SizeGroups.groups(N, name: "N").groups }
    /// `N 5e+07`, or `N 5e+07–2e+08` for a band.
    public var groupNames: [String] { SizeGroups.groups(N, name: "N").names }
    /// The runs of the groups at `kept`.
    public func keeping(groups kept: [Int]) -> ModelRuns {
        let g = groups, keep = Set(kept)
        return subset(g.indices.filter { keep.contains(g[$0]) })
    }
}

extension PowerLawRuns: GroupedObservations {
    /// One group per value of x (or per band, at most 8).
    public var groups: [Int] { SizeGroups.groups(x, name: variable).groups }
    /// `params 5e+07`, or a band.
    public var groupNames: [String] { SizeGroups.groups(x, name: variable).names }
    /// The runs of the groups at `kept`.
    public func keeping(groups kept: [Int]) -> PowerLawRuns {
        let g = groups, keep = Set(kept)
        return resampled(g.indices.filter { keep.contains(g[$0]) })
    }
}
