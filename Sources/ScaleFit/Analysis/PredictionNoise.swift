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
/// heldOut   σ_h = √(mean of r² over held-out)  leave-one-group-out: each group (curve, model
///                                               size) predicted by a fit to the others
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
    /// The method in words, as reports print it.
    public var method: String

    /// max(σ_r, σ_h): the scatter of a new observation about the law.
    public var sigma: Double { max(residual, heldOut ?? 0) }

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
    public func predictionNoise(_ data: L.Observations) -> PredictionNoise {
        var noise = residualNoise(data)
        let names = data.groupNames, groupOf = data.groups
        guard names.count >= 2 else {
            noise.method += "; one \(names.isEmpty ? "group" : "group (\(names[0]))"): no held-out estimate"
            return noise
        }
        let scale = law.residualScale, law = self.law
        let observed = data.observed
        let start = parameters
        var options = law.search.options
        options.maxEvaluations = min(options.maxEvaluations, Self.foldEvaluations)
        let solver = LevenbergMarquardt(options: options)
        // Each fold's squared held-out residuals and whether its run converged; nil when it failed.
        let folds: [([Double], Bool)?] = concurrentResults(count: names.count) { g in
            let rest = (0..<names.count).filter { $0 != g }
            let held = groupOf.indices.filter { groupOf[$0] == g }
            let subset = data.keeping(groups: rest)
            guard let problem = try? law.problem(for: subset),
                  let run = try? solver.minimize(problem, from: start, bounds: law.bounds(for: subset), fixed: law.fixed)
            else { return nil }
            let all = law.fitted(data, parameters: run.parameters)
            let r = PredictionNoise.residuals(observed: held.map { observed[$0] }, fitted: held.map { all[$0] }, scale: scale)
            guard !r.isEmpty, r.allSatisfy(\.isFinite) else { return nil }
            return (r.map { $0 * $0 }, run.summary.converged)
        }
        let used = folds.compactMap { $0 }
        let done = used.map(\.0)
        let skipped = names.count - done.count
        guard !done.isEmpty else {
            noise.folds = 0
            noise.foldsSkipped = skipped
            noise.method += "; leave-one-out over \(names.count) groups: every refit failed, so the law's own error is not estimated"
            return noise
        }
        let notConverged = used.filter { !$0.1 }.count
        // Each fold weighs alike (a long curve does not outvote a short one).
        let foldMeans = done.map { $0.reduce(0, +) / Double($0.count) }
        noise.heldOut = (foldMeans.reduce(0, +) / Double(foldMeans.count)).squareRoot()
        noise.heldOutPoints = done.reduce(0) { $0 + $1.count }
        noise.folds = done.count
        noise.foldsSkipped = skipped
        noise.foldsNotConverged = notConverged
        let notes = [skipped > 0 ? "\(skipped) skipped: refit failed" : nil,
                     notConverged > 0 ? "\(notConverged) of them not converged" : nil].compactMap { $0 }
        noise.method = "max(σ_r, σ_h): σ_r the residual scatter (\(noise.degreesOfFreedom) degrees of freedom), σ_h the root mean square error of leave-one-out predictions over \(names.count) groups, each refitted from the fit's optimum (\(done.count) folds used\(notes.isEmpty ? "" : "; " + notes.joined(separator: ", ")))"
        return noise
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
