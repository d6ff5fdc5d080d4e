import Foundation

/// Several loss curves fitted with one parameter set of a `LossCurveLaw`, each curve with
/// its own schedule: the least-squares problem handed to `LevenbergMarquardt`.
///
/// ```
/// r_(c,j) = log L(s_(c,j); θ) − log L_obs(c, j)     (.logRatio, the default)
/// r_(c,j) = L(s_(c,j); θ) − L_obs(c, j)             (.raw)
/// ```
///
/// over every logged step j of every curve c. With `SolverOptions(loss: .huber(scale: 1e-3))`
/// (`CurveFit.defaultOptions`) the cost ½·Σρ(r²) is Σ Huber_δ(r) with δ = 1e-3, the
/// objective of the multi-power-law paper. A predicted loss ≤ 0 makes its log residual NaN,
/// which the solver treats as a rejected trial point.
public struct CurveFitProblem<Law: LossCurveLaw>: LeastSquaresProblem {
    /// How a residual compares the prediction with the observation.
    public enum Residual: String, Sendable, Codable {
        /// log L̂ − log L.
        case logRatio
        /// L̂ − L.
        case raw
    }

    /// The law (with its options) every curve is predicted with.
    public let law: Law
    /// The curves fitted, each with its own schedule, in residual order.
    public let curves: [LossCurve]
    /// Whether residuals are log ratios (the default) or raw differences.
    public let residual: Residual
    let prepared: [Law.Prepared]
    /// Per curve, for the reduced problem of a dense log: the law evaluated at some logged
    /// steps only (`knots`) and interpolated to the others; nil where the law is evaluated at
    /// every logged step (`prepared` then holds them all).
    let interpolations: [KnotInterpolation?]
    /// Index of each curve's first residual.
    let offsets: [Int]
    let observed: [Double]

    /// The problem on `curves` under `law`, each curve prepared once. Throws `fitFailed` for no
    /// curves and `invalidData` for a curve without a loss at each of at least one logged step.
    public init(law: Law, curves: [LossCurve], residual: Residual = .logRatio) throws {
        guard !curves.isEmpty else { throw ScaleFitError.fitFailed(reason: "no curves to fit") }
        for curve in curves where curve.losses.count != curve.steps.count || curve.steps.isEmpty {
            throw ScaleFitError.invalidData(file: curve.name, reason: "a curve to fit needs a loss at each of at least one logged step")
        }
        self.law = law
        self.curves = curves
        self.residual = residual
        self.prepared = curves.map { law.prepare(rates: $0.rates, steps: $0.steps) }
        self.interpolations = curves.map { _ in nil }
        var offsets: [Int] = [], total = 0
        for curve in curves { offsets.append(total); total += curve.steps.count }
        self.offsets = offsets
        self.observed = curves.flatMap { residual == .logRatio ? $0.losses.map { log($0) } : $0.losses }
    }

    /// The same curves and prepared data with another configuration of the law (its
    /// `screeningLaw`, say).
    func replacingLaw(_ other: Law) -> CurveFitProblem {
        CurveFitProblem(law: other, curves: curves, residual: residual, prepared: prepared,
                        interpolations: interpolations, offsets: offsets, observed: observed)
    }

    /// The most logged points the screening runs of a multi-start fit see (`screeningProblem`).
    public static var screeningPoints: Int { 4096 }
    /// The most change points (steps where η differs from the step before) a curve of the
    /// reduced problem keeps (`reducedProblem`).
    public static var reducedChangePoints: Int { 4096 }

    /// The problem a multi-start fit's screening runs use: `reducedProblem` (or the problem
    /// itself), on a dense log (more than `screeningPoints` logged points in all) on every k-th
    /// logged point of each curve (its last kept), k the least stride that brings the total
    /// to at most `screeningPoints`, and on the law's `screeningLaw`. The screening only ranks
    /// basins, which a few thousand points and change points do as well as a million.
    public func screeningProblem() throws -> CurveFitProblem {
        try (reducedProblem() ?? self).thinnedForScreening()
    }

    /// This problem on the law's `screeningLaw`, on every k-th logged point of a dense log
    /// (`screeningProblem` without the coarsening).
    func thinnedForScreening() throws -> CurveFitProblem {
        let total = residualCount, limit = Self.screeningPoints
        guard total > limit else { return replacingLaw(law.screeningLaw) }
        let stride = (total + limit - 1) / limit
        let thinned = try curves.map { curve -> LossCurve in
            let count = curve.steps.count
            var keep = Array(Swift.stride(from: (count - 1) % stride, to: count, by: stride))
            if keep.isEmpty { keep = [count - 1] }
            return try LossCurve(name: curve.name, rates: curve.rates, steps: keep.map { curve.steps[$0] },
                                 losses: keep.map { curve.losses[$0] })
        }
        return try CurveFitProblem(law: law.screeningLaw, curves: thinned, residual: residual)
    }

    /// The same fit on a coarser schedule, or nil when no curve is coarsened: a curve whose
    /// schedule has more than `reducedChangePoints` change points and whose logged steps are
    /// sparse (at least `reducedStepsPerLoggedPoint`·b steps per logged point on average) is
    /// averaged over blocks of b steps (η of each block its mean, so S1 is exact at every
    /// block's end, and the changes between two blocks' centres sit at the boundary between
    /// them), b the least that leaves at most that many (`coarsened(_:changePoints:)`). The
    /// search polishes on it, corrects the polished ends for the coarsening (defect
    /// corrections, `ScreenedMultiStart.corrected`) and runs them on to convergence on every
    /// change point (`ScreenedMultiStart`): on the real 72k-step cosine logged every 128 steps
    /// (b = 19) the polished minimum costs 4.7× the full one's on the full schedule, the
    /// corrected one 1 + 4e-7 times, and the refinement takes 10 iterations where polishing on
    /// the full schedule took 3 runs of 90–140 evaluations.
    /// A dense log is not coarsened: there each step's nearest changes, which a block moves,
    /// weigh in every residual, and the coarse minimum lies elsewhere (a 10⁵-point cosine
    /// logged every step: C = 1.4e4, β = 0.22 coarsened against C = 500, β = 0.34). For a law
    /// that `polishesDenseLogsOnKnots`, a dense log (more than `screeningPoints` logged points
    /// in all) is reduced to knots instead (`interpolatedProblem(spacing:)`): same residuals,
    /// the law evaluated at every ⌈m/4096⌉-th point only.
    public func reducedProblem() throws -> CurveFitProblem? {
        if law.polishesDenseLogsOnKnots, residualCount > Self.screeningPoints, interpolations.allSatisfy({ $0 == nil }) {
            return interpolatedProblem(spacing: (residualCount + Self.screeningPoints - 1) / Self.screeningPoints)
        }
        var reduced = false
        let curves = try self.curves.map { curve -> LossCurve in
            guard let rates = Self.coarsened(curve.rates, changePoints: Self.reducedChangePoints,
                                             loggedPoints: curve.steps.count) else { return curve }
            reduced = true
            return try LossCurve(name: curve.name, rates: rates, steps: curve.steps, losses: curve.losses)
        }
        return reduced ? try CurveFitProblem(law: law, curves: curves, residual: residual) : nil
    }

    /// The reduced problem of a dense log: the same residuals, the law evaluated at knots only
    /// (`KnotInterpolation.knots(count:spacing:)`: every `spacing`-th logged step, closer at
    /// the start) and interpolated linearly in S1 between them. Nil when no curve has more
    /// knots' worth of points than knots.
    func interpolatedProblem(spacing: Int) -> CurveFitProblem? {
        guard spacing > 1 else { return nil }
        var interpolations: [KnotInterpolation?] = [], prepared: [Law.Prepared] = []
        for (c, curve) in curves.enumerated() {
            guard let ip = KnotInterpolation(curve: curve, spacing: spacing) else {
                interpolations.append(nil); prepared.append(self.prepared[c]); continue
            }
            interpolations.append(ip)
            prepared.append(law.prepare(rates: curve.rates, steps: ip.knots.map { curve.steps[$0] }))
        }
        guard interpolations.contains(where: { $0 != nil }) else { return nil }
        return CurveFitProblem(law: law, curves: curves, residual: residual, prepared: prepared,
                               interpolations: interpolations, offsets: offsets, observed: observed)
    }

    /// A curve is coarsened only with at least this many steps per logged point for each step
    /// of a block.
    public static var reducedStepsPerLoggedPoint: Int { 4 }

    /// η averaged over blocks of b consecutive steps (the last block shorter), b = ⌈K/limit⌉ + 1
    /// for the K steps where η differs from the step before, so at most about `limit` block
    /// starts remain where η changes; nil when K ≤ `limit` already, or when the log is too
    /// dense for blocks of b (fewer than `reducedStepsPerLoggedPoint`·b steps per one of the
    /// `loggedPoints`). A constant stretch stays as it was (its blocks' means are its value),
    /// and Σ η over each block is kept, so S1 at a block's last step is the schedule's.
    static func coarsened(_ rates: [Double], changePoints limit: Int, loggedPoints: Int) -> [Double]? {
        var changes = 0
        for i in rates.indices.dropFirst() where rates[i] != rates[i - 1] { changes += 1 }
        guard changes > limit, limit > 0 else { return nil }
        let block = (changes + limit - 1) / limit + 1
        guard Double(rates.count) >= Double(reducedStepsPerLoggedPoint) * Double(block) * Double(max(loggedPoints, 1)) else { return nil }
        var out = rates
        var start = 0
        while start < rates.count {
            let end = min(start + block, rates.count)
            var sum = 0.0
            for i in start..<end { sum += rates[i] }
            let mean = sum / Double(end - start)
            for i in start..<end { out[i] = mean }
            start = end
        }
        return out
    }

    private init(law: Law, curves: [LossCurve], residual: Residual, prepared: [Law.Prepared],
                 interpolations: [KnotInterpolation?], offsets: [Int], observed: [Double]) {
        self.law = law
        self.curves = curves
        self.residual = residual
        self.prepared = prepared
        self.interpolations = interpolations
        self.offsets = offsets
        self.observed = observed
    }

    /// n, the law's number of parameters.
    public var parameterCount: Int { law.parameterCount }
    /// m, one residual per logged step of every curve.
    public var residualCount: Int { observed.count }

    /// r_(c,j) = log L(s_(c,j); θ) − log L_obs(c, j) (or the raw difference) for every curve c and step j.
    public func residuals(at x: [Double], into r: inout [Double]) {
        for (c, values) in predictions(at: x).enumerated() { writeResiduals(curve: c, values: values, into: &r) }
    }

    /// J = ∂r/∂θ: (1/L)·∂L/∂θ for log-ratio residuals, ∂L/∂θ for raw ones, from the law's gradient.
    public func jacobian(at x: [Double], into jac: inout Matrix) {
        var unused: [Double] = []
        evaluateWithGradient(at: x, residuals: &unused, writesResiduals: false, jacobian: &jac)
    }

    /// The laws compute L and ∂L/∂θ in one pass (the loss-drop tree's moments serve both),
    /// so a trial point's Jacobian costs little more than its residuals.
    public var prefersJointEvaluation: Bool { true }

    /// r and J from one pass of `predictWithGradient` per curve.
    public func residualsAndJacobian(at x: [Double], residuals r: inout [Double], jacobian jac: inout Matrix) {
        evaluateWithGradient(at: x, residuals: &r, writesResiduals: true, jacobian: &jac)
    }

    /// L and ∂L/∂θ of each curve at its logged steps, written as residuals (when
    /// `writesResiduals`) and as J's rows. No m × n array besides J itself: a curve on knots
    /// interpolates its knots' gradient as it writes J, and a single curve's gradient is
    /// computed in J's storage (the same column-major layout) and scaled there — on a dense
    /// log of 10⁶ points a fresh 56 MB gradient per evaluation was mapped and zeroed page by
    /// page. The arithmetic is that of interpolating, then scaling, so J is the same to the bit.
    private func evaluateWithGradient(at x: [Double], residuals r: inout [Double], writesResiduals: Bool,
                                      jacobian jac: inout Matrix) {
        let p = parameterCount
        for (c, curve) in curves.enumerated() {
            if let ip = interpolations[c] {
                var values = [Double](repeating: 0, count: ip.knots.count)
                var gradient = [Double](repeating: 0, count: ip.knots.count * p)
                law.predictWithGradient(prepared[c], parameters: x, values: &values, gradient: &gradient)
                let full = ip.interpolated(values, columns: 1)
                if writesResiduals { writeResiduals(curve: c, values: full, into: &r) }
                writeJacobian(curve: c, values: full, knotGradient: gradient, interpolation: ip, into: &jac)
            } else if curves.count == 1 {
                var values = [Double](repeating: 0, count: curve.steps.count)
                jac.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                law.predictWithGradient(prepared[c], parameters: x, values: &values, gradient: &jac.storage)
                if writesResiduals { writeResiduals(curve: c, values: values, into: &r) }
                if residual == .logRatio { scaleJacobianRows(byInverseOf: values, into: &jac) }
            } else {
                var values = [Double](repeating: 0, count: curve.steps.count)
                var gradient = [Double](repeating: 0, count: curve.steps.count * p)
                law.predictWithGradient(prepared[c], parameters: x, values: &values, gradient: &gradient)
                if writesResiduals { writeResiduals(curve: c, values: values, into: &r) }
                writeJacobian(curve: c, values: values, gradient: gradient, into: &jac)
            }
        }
    }

    private func writeResiduals(curve c: Int, values: [Double], into r: inout [Double]) {
        for j in 0..<values.count {
            let i = offsets[c] + j
            r[i] = (residual == .logRatio ? (values[j] > 0 ? log(values[j]) : .nan) : values[j]) - observed[i]
        }
    }

    private func writeJacobian(curve c: Int, values: [Double], gradient: [Double], into jac: inout Matrix) {
        let p = parameterCount, m = residualCount, n = values.count, offset = offsets[c]
        let logRatio = residual == .logRatio
        // Column by column: contiguous in both J and the gradient (on a dense log of 10⁶
        // points the row-by-row order strode 8 MB between writes).
        jac.storage.withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { v in
                gradient.withUnsafeBufferPointer { g in
                    for q in 0..<p {
                        let to = offset + q * m, from = q * n
                        if logRatio {
                            for j in 0..<n { out[to + j] = (1 / v[j]) * g[from + j] }
                        } else {
                            for j in 0..<n { out[to + j] = g[from + j] }
                        }
                    }
                }
            }
        }
    }

    /// J's rows of curve c from its knots' gradient (`KnotInterpolation.value`).
    private func writeJacobian(curve c: Int, values: [Double], knotGradient: [Double], interpolation ip: KnotInterpolation,
                               into jac: inout Matrix) {
        let p = parameterCount, m = residualCount, n = values.count, k = ip.knots.count, offset = offsets[c]
        let logRatio = residual == .logRatio
        jac.storage.withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { v in
                knotGradient.withUnsafeBufferPointer { g in
                    for q in 0..<p {
                        let to = offset + q * m, from = q * k
                        for j in 0..<n {
                            let gj = ip.value(at: j, g, column: from)
                            out[to + j] = logRatio ? (1 / v[j]) * gj : gj
                        }
                    }
                }
            }
        }
    }

    /// J's rows (one curve, offset 0) each scaled by 1/L: ∂L/∂θ in place to ∂log L/∂θ.
    private func scaleJacobianRows(byInverseOf values: [Double], into jac: inout Matrix) {
        let p = parameterCount, m = residualCount
        jac.storage.withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { v in
                for q in 0..<p {
                    let to = q * m
                    for j in 0..<m { out[to + j] = (1 / v[j]) * out[to + j] }
                }
            }
        }
    }

    /// The predicted losses of every curve at its logged steps.
    public func predictions(at x: [Double]) -> [[Double]] {
        curves.indices.map { c in
            var values = [Double](repeating: 0, count: interpolations[c]?.knots.count ?? curves[c].steps.count)
            law.predict(prepared[c], parameters: x, into: &values)
            return interpolations[c]?.interpolated(values, columns: 1) ?? values
        }
    }

    /// The cost ½·Σρ(r²) at `x`; for `.huber(scale: δ)` this is Σ Huber_δ(r).
    public func objective(at x: [Double], loss: RobustLoss = .huber(scale: 1e-3)) -> Double {
        var r = [Double](repeating: 0, count: residualCount)
        residuals(at: x, into: &r)
        return r.reduce(0) { $0 + 0.5 * loss.evaluate($1 * $1).rho }
    }
}

/// A dense log's law values at some of its logged steps (the knots) interpolated linearly
/// in S1 = Σ_(i ≤ s) η_i to every logged step: the reduced problem of a dense log
/// (`CurveFitProblem.reducedProblem`). Between two knots L is smooth in S1 (the power term
/// exactly a function of it, the loss drop a sum of smooth terms once the nearest changes are
/// a few steps back), so the interpolated residuals keep the full problem's noise and robust
/// weights point by point, and its minimum is the full one's up to the interpolation error,
/// which the staged search's defect corrections then remove.
struct KnotInterpolation: Sendable, Equatable {
    /// Indices of the knots among the curve's logged steps, increasing, first and last included.
    let knots: [Int]
    /// For each logged step, the knot at or below it (an index into `knots`, at most
    /// `knots.count − 2`) and the upper knot's weight.
    let lower: [Int32]
    let weight: [Double]

    /// Knot indices for `count` logged points: 0, then steps of min(`spacing`, max(1, j/16))
    /// from index j (so the first knots are consecutive and the spacing grows by 1/16 of the
    /// index, the power law's curvature at small S1 resolved), and the last point.
    static func knots(count: Int, spacing: Int) -> [Int] {
        guard count > 0 else { return [] }
        var knots = [0], j = 0
        while j < count - 1 {
            j = min(count - 1, j + min(spacing, max(1, j / 16)))
            knots.append(j)
        }
        return knots
    }

    /// The interpolation of `curve` on knots every `spacing` logged steps; nil when the knots
    /// would be more than half the points (or the curve has fewer than two).
    init?(curve: LossCurve, spacing: Int) {
        let count = curve.steps.count
        let knots = Self.knots(count: count, spacing: spacing)
        guard knots.count >= 2, 2 * knots.count <= count else { return nil }
        // S1 at every logged step (steps increase): one pass over the schedule.
        var area = [Double](repeating: 0, count: count)
        var sum = 0.0, i = 0
        for (j, step) in curve.steps.enumerated() {
            while i <= step { sum += curve.rates[i]; i += 1 }
            area[j] = sum
        }
        var lower = [Int32](repeating: 0, count: count), weight = [Double](repeating: 0, count: count)
        var k = 0
        for j in 0..<count {
            while k < knots.count - 2, knots[k + 1] <= j { k += 1 }
            let a = knots[k], b = knots[k + 1]
            let span = area[b] - area[a]
            // By S1, or by index where η is 0 between the knots.
            let w = span > 0 ? (area[j] - area[a]) / span : Double(j - a) / Double(b - a)
            lower[j] = Int32(k)
            weight[j] = min(1, max(0, w))
        }
        self.knots = knots
        self.lower = lower
        self.weight = weight
    }

    /// `columns` column-major columns of knot values interpolated to every logged step.
    func interpolated(_ values: [Double], columns: Int) -> [Double] {
        let k = knots.count, n = lower.count
        var out = [Double](unsafeUninitializedCapacity: n * columns) { _, initialized in initialized = n * columns }
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for q in 0..<columns {
                    let from = q * k, to = q * n
                    for j in 0..<n { o[to + j] = value(at: j, v, column: from) }
                }
            }
        }
        return out
    }

    /// Logged step j's value from the knot values of one column, which starts at `from` in `v`.
    @inline(__always) func value(at j: Int, _ v: UnsafeBufferPointer<Double>, column from: Int) -> Double {
        let lo = from + Int(lower[j]), w = weight[j]
        return v[lo] + w * (v[lo + 1] - v[lo])
    }
}
