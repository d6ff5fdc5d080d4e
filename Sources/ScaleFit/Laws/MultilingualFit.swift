import Foundation

/// How a multilingual fit treats the parameters: the Huber scale, which parameters all
/// families share, which are held at given values, and the starts.
public struct MultilingualFitOptions: Sendable {
    /// Huber δ on log residuals (Hoffmann et al.'s 1e-3).
    public var delta: Double = 1e-3
    /// Parameter indices (0…5: e, a, b, α, β, γ) common to all families: one value fitted
    /// jointly on every family's rows.
    public var shared: Set<Int> = []
    /// Values held fixed, in the log-space parametrisation (e = log E, …): family name →
    /// parameter index → value. The family name `*` fixes the parameter in every family.
    public var fixed: [String: [Int: Double]] = [:]
    /// The starts of each family's multi-start (`MultilingualLaw.startGrid` by default).
    public var starts: [[Double]] = MultilingualLaw.startGrid
    /// The solver's tolerances and budget; its loss is replaced by Huber(`delta`) in every run.
    public var solverOptions = SolverOptions()

    /// Options with Huber δ = `delta`, the parameters in `shared` common to all families, the
    /// values in `fixed` held, and the start grid `starts`.
    public init(delta: Double = 1e-3, shared: Set<Int> = [], fixed: [String: [Int: Double]] = [:],
                starts: [[Double]] = MultilingualLaw.startGrid) {
        self.delta = delta; self.shared = shared; self.fixed = fixed; self.starts = starts
    }

    /// The fixed value of parameter k of `family`, if any.
    func fixedValue(_ family: String, _ k: Int) -> Double? { fixed[family]?[k] ?? fixed["*"]?[k] }
}

/// Fits the multilingual law family by family: under the paper's hypothesis a family's
/// parameters depend on its own rows only, so each family is an independent Huber-on-log
/// fit, a `Fit<MultilingualFamilyLaw>` searched from every start of the grid by `Fit`'s
/// screened search. With shared parameters the families are
/// first fitted alone (those that can be), the shared parameters start at the median of
/// those fits, the other families are fitted with the shared ones held there, and one
/// joint Levenberg–Marquardt run on all rows polishes the whole vector.
public struct MultilingualFit: Sendable {
    /// One family's share of the fit.
    public struct FamilyResult: Sendable {
        /// The family's name, as in the data.
        public var name: String
        /// How many rows of the data belong to the family.
        public var rows: Int
        /// Σ Huber_δ of the family's log residuals.
        public var objective: Double
        /// The family's best run (with shared parameters, the joint run's summary).
        public var summary: FitSummary
        /// How many starts the family's multi-start tried.
        public var starts: Int
        /// How many of those starts reached the best cost (within 1e-9 relative).
        public var startsAtBest: Int
    }

    /// The fitted law, one `Family` (E, A, B, α, β, γ) per family in `familyNames` order.
    public var law: MultilingualLaw
    /// Where family f's parameter k lives in `parameters`.
    public var index: [[Int]]
    /// The fitted vector (log space; shared parameters once).
    public var parameters: [Double]
    /// Which entries of `parameters` were held fixed.
    public var fixed: [Bool]
    /// The scaled covariance of every family's six log-space parameters, 6F × 6F in family
    /// order (a shared parameter appears in each family's block, with its one variance).
    public var covariance: Matrix
    /// Each family's share of the fit, in `familyNames` order.
    public var families: [FamilyResult]
    /// Σ over families of the Huber objective.
    public var objective: Double
    /// True when some free parameter is not determined by the data (infinite standard error).
    public var rankDeficient: Bool
    /// The options the fit was run with.
    public var options: MultilingualFitOptions
    /// Each family's fit (from its own search), in `familyNames` order, for the prediction
    /// noise's refits; with shared parameters the joint run has moved them since.
    var familyFits: [Fit<MultilingualFamilyLaw>]

    /// The converged status of the whole fit: every family's (or the joint run's) summary converged.
    public var converged: Bool { families.allSatisfy { $0.summary.converged } }

    /// The family-order vector of family f: (e, a, b, α, β, γ).
    public func familyParameters(_ f: Int) -> [Double] { index[f].map { parameters[$0] } }

    /// Standard errors of family f's log-space parameters.
    public func standardErrors(_ f: Int) -> [Double] {
        (0..<6).map { k in max(covariance[6 * f + k, 6 * f + k], 0).squareRoot() }
    }

    /// - Throws: `invalidData` listing every family (and shared parameter) the data cannot
    ///   identify, with what is missing; `fitFailed` when no start gives a finite cost.
    public init(data: MultilingualData, options: MultilingualFitOptions = MultilingualFitOptions()) throws {
        self.options = options
        let names = data.familyNames
        let fcount = names.count
        for key in options.fixed.keys where key != "*" && !names.contains(key) {
            throw ScaleFitError.invalidData(file: data.file, reason: "a fixed parameter names the family \(key), which is not in the data (families: \(names.joined(separator: ", ")))")
        }
        let fixedSets = Dictionary(uniqueKeysWithValues: names.indices.map { f in
            (f, Set((0..<6).filter { options.fixedValue(names[f], $0) != nil }))
        })
        let problems = data.identificationProblems(shared: options.shared, fixed: fixedSets)
        guard problems.isEmpty else {
            throw ScaleFitError.invalidData(file: data.file, reason: "the data cannot identify every parameter: " + problems.joined(separator: "; "))
        }
        // The index map: shared parameters first (one slot each), then each family's own.
        let sharedList = options.shared.sorted()
        var index = Array(repeating: Array(repeating: 0, count: 6), count: fcount)
        var next = sharedList.count
        for f in 0..<fcount {
            for k in 0..<6 {
                if let s = sharedList.firstIndex(of: k) { index[f][k] = s } else { index[f][k] = next; next += 1 }
            }
        }
        self.index = index
        let rowsOf = (0..<fcount).map { MultilingualFamilyRows(data, family: $0) }
        let problemsOf = rowsOf.map { MultilingualLogProblem(parameters: $0.parameters, tokens: $0.tokens, ratios: $0.ratios, loss: $0.loss) }
        // Stage A: every family alone (shared parameters free) where its own rows identify it.
        let soloProblems = data.identificationProblems(shared: [], fixed: fixedSets)
        let alone = names.map { name in !soloProblems.contains { $0.hasPrefix("family \(name):") } }
        let fixedMaskAlone = (0..<fcount).map { f in (0..<6).map { options.fixedValue(names[f], $0) != nil } }
        let firstPass = Self.fitFamilies((0..<fcount).filter { alone[$0] }, rows: rowsOf, options: options) { f in
            Dictionary(uniqueKeysWithValues: (0..<6).compactMap { k in options.fixedValue(names[f], k).map { (k, $0) } })
        }
        var vector = [Double](repeating: 0, count: next)
        var fixedVector = [Bool](repeating: false, count: next)
        var results: [Int: Fit<MultilingualFamilyLaw>] = firstPass
        if !sharedList.isEmpty {
            // Stage B: shared parameters at the median of the solo fits (or their fixed value);
            // the families that cannot stand alone are fitted with the shared ones held there.
            for (s, k) in sharedList.enumerated() {
                if let v = names.lazy.compactMap({ options.fixedValue($0, k) }).first {
                    vector[s] = v; fixedVector[s] = true
                } else {
                    let values = firstPass.values.map { $0.parameters[k] }.sorted()
                    vector[s] = values.isEmpty ? 0 : values[values.count / 2]
                }
            }
            let rest = (0..<fcount).filter { !alone[$0] }
            let sharedStart = vector
            let secondPass = Self.fitFamilies(rest, rows: rowsOf, options: options) { f in
                Dictionary(uniqueKeysWithValues: (0..<6).compactMap { k in
                    sharedList.firstIndex(of: k).map { (k, sharedStart[$0]) } ?? options.fixedValue(names[f], k).map { (k, $0) }
                })
            }
            results.merge(secondPass) { a, _ in a }
        }
        for f in 0..<fcount {
            guard let r = results[f] else {
                throw ScaleFitError.fitFailed(reason: "family \(names[f]): no start gave a finite cost")
            }
            for k in 0..<6 where !options.shared.contains(k) {
                vector[index[f][k]] = r.parameters[k]
                fixedVector[index[f][k]] = fixedMaskAlone[f][k]
            }
        }
        var familyResults = (0..<fcount).map { f in
            FamilyResult(name: names[f], rows: rowsOf[f].loss.count, objective: 0, summary: results[f]!.summary!,
                         starts: results[f]!.search.startsTried, startsAtBest: results[f]!.search.screenedAtBest)
        }
        var cov = Matrix(rows: 6 * fcount, columns: 6 * fcount)
        var deficient = false
        if sharedList.isEmpty {
            for f in 0..<fcount {
                let c = results[f]!
                let free = rowsOf[f].loss.count - (c.degreesOfFreedom ?? 0)
                deficient = deficient || (c.rank ?? 0) < free
                for k in 0..<6 { for l in 0..<6 { cov[6 * f + k, 6 * f + l] = c.covariance[k, l] } }
            }
        } else {
            let joint = MultilingualLogProblem(family: data.family, parameters: data.parameters, tokens: data.tokens,
                                               ratios: data.ratios, loss: data.loss, index: index)
            var solverOptions = options.solverOptions
            solverOptions.loss = .huber(scale: options.delta)
            let r = try LevenbergMarquardt(options: solverOptions).minimize(joint, from: vector, fixed: fixedVector)
            vector = r.parameters
            let c = try ParameterCovariance(result: r)
            deficient = c.isRankDeficient
            for f in 0..<fcount {
                familyResults[f].summary = r.summary
                for g in 0..<fcount { for k in 0..<6 { for l in 0..<6 {
                    cov[6 * f + k, 6 * g + l] = c.scaled[index[f][k], index[g][l]]
                } } }
            }
        }
        parameters = vector
        fixed = fixedVector
        covariance = cov
        rankDeficient = deficient
        law = MultilingualLaw(families: (0..<fcount).map { f in
            MultilingualLaw.Family(name: names[f], logParameters: index[f].map { vector[$0] })
        })
        for f in 0..<fcount {
            familyResults[f].objective = problemsOf[f].huberObjective(at: index[f].map { vector[$0] }, delta: options.delta)
        }
        families = familyResults
        objective = familyResults.reduce(0) { $0 + $1.objective }
        familyFits = (0..<fcount).map { results[$0]! }
    }

    /// The scatter of a new observation about the fitted law (`PredictionNoise`, on log L),
    /// pooled over the families:
    ///
    /// ```
    /// σ_r² = Σ r² / (n − p)           every row's log residual, p the free parameters of the whole fit
    /// σ_h² = mean over every family's folds of the fold's mean squared held-out log error
    /// ```
    ///
    /// Each family's folds leave out one of its model sizes (or, for a family trained at one
    /// size, one of its sampling ratios; `MultilingualFamilyRows.groups`) and refit that
    /// family's free parameters from the fit's optimum, the shared and fixed ones held at
    /// their values (`Fit.predictionNoise`). No fold parameters are kept: the families' folds
    /// are not one set of whole-mix fits.
    public func predictionNoise(_ data: MultilingualData) -> PredictionNoise {
        let names = data.familyNames
        let rows = names.indices.map { MultilingualFamilyRows(data, family: $0) }
        let fitted = data.family.indices.map { i in
            law.families[data.family[i]].loss(parameters: data.parameters[i], tokens: data.tokens[i], ratio: data.ratios[i])
        }
        var noise = PredictionNoise.residualOnly(observed: data.loss, fitted: fitted, parameterCount: fixed.filter { !$0 }.count, scale: .log)
        let dof = noise.degreesOfFreedom
        // Each family's leave-one-group-out refits, its shared and fixed parameters held.
        var foldSquares = 0.0, folds = 0, skipped = 0, notConverged = 0, heldPoints = 0
        var described: [String] = []
        for f in names.indices {
            var fit = familyFits[f]
            fit.parameters = familyParameters(f)
            for k in 0..<6 where options.shared.contains(k) || fixed[index[f][k]] { fit.law.held[k] = fit.parameters[k] }
            let n = fit.predictionNoise(rows[f])
            guard let h = n.heldOut, let used = n.folds, used > 0 else {
                described.append("\(names[f]): no folds")
                skipped += n.foldsSkipped ?? 0
                continue
            }
            foldSquares += h * h * Double(used)
            folds += used
            skipped += n.foldsSkipped ?? 0
            notConverged += n.foldsNotConverged ?? 0
            heldPoints += n.heldOutPoints ?? 0
            described.append("\(names[f]): \(used) of \(rows[f].groupNames.count) \(rows[f].groupKind)")
        }
        if folds > 0 {
            noise.heldOut = (foldSquares / Double(folds)).squareRoot()
            noise.heldOutPoints = heldPoints
            noise.folds = folds
            noise.foldsSkipped = skipped
            noise.foldsNotConverged = notConverged
            let notes = [skipped > 0 ? "\(skipped) skipped: refit failed" : nil,
                         notConverged > 0 ? "\(notConverged) not converged" : nil].compactMap { $0 }
            noise.method = "max(σ_r, σ_h): σ_r the residual scatter of every family's rows (\(dof) degrees of freedom), σ_h the root mean square error of leave-one-out predictions, each family refitted without one group from the fit's optimum, shared and fixed parameters held (\(described.joined(separator: "; "))\(notes.isEmpty ? "" : "; " + notes.joined(separator: ", ")))"
        } else {
            noise.method = "residual scatter only (σ_r over \(data.loss.count) rows, \(dof) degrees of freedom): no family has two groups to leave out, so the law's own error is not estimated"
        }
        return noise
    }

    /// The listed families fitted alone, each a `Fit<MultilingualFamilyLaw>` with the
    /// parameters `held(f)` at their values; by family index, a family whose search fails left out.
    static func fitFamilies(_ list: [Int], rows: [MultilingualFamilyRows], options: MultilingualFitOptions,
                            held: (Int) -> [Int: Double]) -> [Int: Fit<MultilingualFamilyLaw>] {
        var out: [Int: Fit<MultilingualFamilyLaw>] = [:]
        for f in list {
            let law = MultilingualFamilyLaw(family: rows[f].family, delta: options.delta, held: held(f), starts: options.starts,
                                            solverOptions: options.solverOptions)
            out[f] = try? Fit(law, to: rows[f])
        }
        return out
    }
}
