/// Levenberg–Marquardt of MINPACK `lmder` quality (Moré 1978), with robust losses,
/// box bounds and fixed parameters.
///
/// Minimises the cost
///
/// ```
/// C(x) = ½·Σᵢ ρ(rᵢ(x)²)      subject to  l ≤ x ≤ u,  xⱼ = x₀ⱼ for fixed j
/// ```
///
/// - Step: the trust-region LM step of `TrustRegionStep` on the pivoted QR of the Jacobian
///   (LAPACK `dgeqp3`), never by inverting JᵀJ.
/// - Scaling: Moré's column scaling, Dⱼ = max over iterations of ‖J·eⱼ‖, which makes the
///   iteration invariant to rescaling a parameter.
/// - Trust region: MINPACK's update (shrink by a safeguarded quadratic interpolation
///   factor when ρ < ¼, double when ρ > ¾), steps accepted when ρ ≥ 1e-4.
/// - Robust losses: the Triggs correction as Ceres applies it: with s = rᵢ², α = 1 − √(1 + 2sρ″/ρ′)
///   (0 when ρ″ ≤ 0), the residual becomes √ρ′/(1−α)·rᵢ and its Jacobian row √ρ′·(1−α)·Jᵢ,
///   so that ½‖r̃ + J̃p‖² is the second-order model of the robust cost. The actual reduction
///   is measured on the true robust cost.
/// - Bounds: trial points are projected onto the box and the predicted reduction is then
///   recomputed for the projected step; a parameter at a bound whose descent direction
///   points outwards has its column removed for that iteration (an active-set projected
///   LM), so the gradient test sees the projected gradient.
/// - Non-finite residuals at a trial point count as no reduction: the step is rejected and
///   the trust region shrinks.
/// - Geodesic acceleration (least squares only, `SolverOptions.geodesicAcceleration`): a
///   step the trust region limits gets the second-order correction of Transtrum & Sethna,
///   which follows a curved valley instead of crawling along it (Bennett5's far start:
///   745 iterations without, 34 with). See `accelerate`.
/// - Stationary-point refinement (least squares only, `SolverOptions.refinesStationaryPoint`):
///   once the trust-region iteration has converged, undamped Gauss–Newton steps are taken
///   while they keep shrinking. The trust region accepts or rejects on the measured cost,
///   and near a minimum cost differences sink into the rounding of r (relative to the
///   size of the data, not of the residuals) while the step is still about √ε·‖x‖ along
///   the flattest direction; where it stops inside that region depends on the path (an
///   ulp of Jacobian rounding moves it by up to 3 digits on Roszman1). Gauss–Newton is a
///   fixed-point iteration on Jᵀr = 0 and needs no cost comparison. Measured on the 54 NIST
///   fits: mean LRE of the worst parameter 9.93 → 10.74, every fit ≥ 10.3 digits. See
///   `refineStationaryPoint`.
public struct LevenbergMarquardt: Sendable {
    /// Tolerances, evaluation budget, robust loss and refinements of every run.
    public var options: SolverOptions

    /// A solver with these options (the defaults: tolerances 1e-15, least squares, no function test).
    public init(options: SolverOptions = SolverOptions()) { self.options = options }

    /// Minimises from `start`. Throws only for arguments that do not fit the problem
    /// (wrong lengths, empty bounds); numerical trouble is reported in the summary.
    public func minimize<P: LeastSquaresProblem>(
        _ problem: P, from start: [Double], bounds: ParameterBounds? = nil, fixed: [Bool]? = nil
    ) throws -> SolverResult {
        let n = problem.parameterCount
        guard start.count == n else {
            throw ScaleFitError.dimensionMismatch(expected: "\(n) starting values", found: "\(start.count)")
        }
        if let b = bounds {
            guard b.lower.count == n else {
                throw ScaleFitError.dimensionMismatch(expected: "\(n) bounds", found: "\(b.lower.count)")
            }
            for j in 0..<n where !(b.lower[j] <= b.upper[j]) {
                throw ScaleFitError.fitFailed(reason: "empty bounds for parameter \(j + 1): [\(b.lower[j]), \(b.upper[j])]")
            }
        }
        let fixedMask = fixed ?? Array(repeating: false, count: n)
        guard fixedMask.count == n else {
            throw ScaleFitError.dimensionMismatch(expected: "\(n) fixed flags", found: "\(fixedMask.count)")
        }
        let x0 = bounds?.clamp(start) ?? start
        // Log coordinates only for free parameters bounded below by 0 and starting above it.
        let logScaled = options.logScaledParameters.filter { k in
            k >= 0 && k < n && !fixedMask[k] && x0[k] > 0 && x0[k].isFinite && (bounds.map { $0.lower[k] >= 0 } ?? false)
        }
        guard !logScaled.isEmpty, let box = bounds else {
            var run = LMRun(problem: problem, options: options, bounds: bounds, fixed: fixedMask)
            return run.solve(from: x0)
        }
        let scaled = LogScaledProblem(base: problem, indices: logScaled)
        var run = LMRun(problem: scaled, options: options, bounds: scaled.bounds(box), fixed: fixedMask)
        var result = run.solve(from: scaled.z(x0))
        // Back to θ: the point (inside the box, which exp(log(hi)) may leave by an ulp) and
        // the Jacobian there, for the covariance.
        let x = box.clamp(scaled.theta(result.parameters))
        if x != scaled.theta(result.parameters) {
            problem.residuals(at: x, into: &result.residuals)
            result.cost = options.loss.cost(of: result.residuals)
            result.summary.finalCost = result.cost
        }
        result.parameters = x
        problem.jacobian(at: x, into: &result.jacobian)
        result.summary.jacobianEvaluations += 1
        return result
    }
}

/// The state of one run; one per thread, so multi-start can run many at once.
private struct LMRun<P: LeastSquaresProblem> {
    let problem: P
    let options: SolverOptions
    let bounds: ParameterBounds?
    let fixed: [Bool]
    let free: [Int]
    let m: Int, n: Int, nf: Int, mq: Int

    var x: [Double]
    var r: [Double]
    var rTrial: [Double]
    var rTilde: [Double]
    var rowWeight: [Double]
    var jFull: Matrix
    /// J at the trial point, when the problem evaluates r and J together.
    var jTrial: Matrix
    let joint: Bool
    var jTilde: [Double]
    var qr: PivotedQR?
    var step: TrustRegionStep
    var diag: [Double]
    var colNorm: [Double]
    var qtf: [Double]
    var scratch: [Double]
    /// Geodesic acceleration workspace: r(x + h·v), the directional second derivative (then
    /// Qᵀ of it), and the acceleration.
    var probe: [Double] = []
    var rProbe: [Double]
    var scaleProbe: [Double]
    var rvv: [Double]
    var acceleration: [Double]
    /// J̃·p for the predicted reduction of a step the box clipped.
    var jp: [Double]
    var nfev = 0, njev = 0, iterations = 0, refinementSteps = 0

    init(problem: P, options: SolverOptions, bounds: ParameterBounds?, fixed: [Bool]) {
        self.problem = problem
        self.options = options
        self.bounds = (bounds?.isUnbounded ?? true) ? nil : bounds
        self.fixed = fixed
        m = problem.residualCount
        n = problem.parameterCount
        free = (0..<n).filter { !fixed[$0] }
        nf = free.count
        mq = max(m, nf)
        x = []
        r = Array(repeating: 0, count: m)
        rTrial = Array(repeating: 0, count: m)
        rTilde = Array(repeating: 0, count: mq)
        rowWeight = Array(repeating: 1, count: m)
        jFull = Matrix(rows: m, columns: n)
        joint = problem.prefersJointEvaluation
        jTrial = Matrix(rows: joint ? m : 0, columns: joint ? n : 0)
        jTilde = Array(repeating: 0, count: mq * nf)
        qr = nf > 0 ? PivotedQR(rows: mq, columns: nf) : nil
        step = TrustRegionStep(n: max(nf, 1))
        diag = Array(repeating: 1, count: nf)
        colNorm = Array(repeating: 0, count: nf)
        qtf = Array(repeating: 0, count: mq)
        scratch = Array(repeating: 0, count: max(nf, 1))
        rProbe = Array(repeating: 0, count: m)
        scaleProbe = Array(repeating: 0, count: m)
        rvv = Array(repeating: 0, count: mq)
        jp = Array(repeating: 0, count: mq)
        acceleration = Array(repeating: 0, count: max(nf, 1))
    }

    /// Σρ(rᵢ²) (twice the reported cost), +∞ when any residual is not finite.
    func robustSum(_ res: [Double]) -> Double {
        var total = 0.0
        switch options.loss {
        case .l2:
            for v in res { total += v * v }
        default:
            for v in res { total += options.loss.evaluate(v * v).rho }
        }
        return total.isFinite ? total : .infinity
    }

    func result(_ termination: FitSummary.Termination, initialCost: Double, cost: Double,
                detail: String = "", jacobian: Matrix) -> SolverResult {
        SolverResult(parameters: x, residuals: r, cost: 0.5 * cost, jacobian: jacobian, fixed: fixed,
                     summary: FitSummary(termination: termination, iterations: iterations,
                                         residualEvaluations: nfev, jacobianEvaluations: njev,
                                         refinementSteps: refinementSteps,
                                         initialCost: 0.5 * initialCost, finalCost: 0.5 * cost,
                                         detail: detail), loss: options.loss)
    }

    /// Residual weights and corrected residuals of the Triggs correction at the current r.
    mutating func correctResiduals() {
        for i in m..<mq { rTilde[i] = 0 }
        if case .l2 = options.loss {
            for i in 0..<m { rTilde[i] = r[i]; rowWeight[i] = 1 }
            return
        }
        for i in 0..<m {
            let s = r[i] * r[i]
            let (_, rho1, rho2) = options.loss.evaluate(s)
            let sq = rho1.squareRoot()
            var alpha = 0.0
            if s > 0 && rho2 > 0 {
                alpha = 1 - (1 + 2 * s * rho2 / rho1).squareRoot()
            }
            rTilde[i] = sq / (1 - alpha) * r[i]
            rowWeight[i] = sq * (1 - alpha)
        }
    }

    mutating func solve(from start: [Double]) -> SolverResult {
        x = start
        // Whether jFull is the Jacobian at x. With joint evaluation every trial point gets
        // its Jacobian with its residuals, so it always is.
        var jacobianAtX = false
        if joint {
            problem.residualsAndJacobian(at: x, residuals: &r, jacobian: &jFull)
            njev = 1
            jacobianAtX = true
        } else {
            problem.residuals(at: x, into: &r)
        }
        nfev = 1
        var cost = robustSum(r)
        let initialCost = cost
        guard cost.isFinite else {
            let bad = r.firstIndex { !$0.isFinite } ?? 0
            return result(.nonFiniteStart, initialCost: cost, cost: cost,
                          detail: "residual \(bad + 1) is \(r[bad])", jacobian: jFull)
        }
        if nf == 0 {
            if !jacobianAtX { evaluateJacobian() }
            return result(.parameterTolerance, initialCost: cost, cost: cost, jacobian: jFull)
        }
        let eps = Double.ulpOfOne
        var par = 0.0
        var delta = 0.0
        var xnorm = 0.0
        var first = true
        var pF = [Double](repeating: 0, count: nf)
        var wa = [Double](repeating: 0, count: nf)
        var trial = x
        var velocity = [Double](repeating: 0, count: nf)
        var roundoffSteps = 0
        let isLeastSquares: Bool
        if case .l2 = options.loss { isLeastSquares = true } else { isLeastSquares = false }
        let canAccelerate = isLeastSquares && options.geodesicAcceleration
        let canRefine = isLeastSquares && options.refinesStationaryPoint

        while true {
            if !jacobianAtX { evaluateJacobian(); jacobianAtX = true }
            if let bad = jFull.firstNonFinite {
                return result(.nonFiniteJacobian, initialCost: initialCost, cost: cost,
                              detail: "∂r\(bad.row + 1)/∂x\(bad.column + 1) = \(jFull[bad.row, bad.column])",
                              jacobian: jFull)
            }
            do {
                try factorReducedJacobian()
            } catch {
                return result(.linearAlgebraFailure, initialCost: initialCost, cost: cost,
                              detail: "\(error)", jacobian: jFull)
            }
            let fnorm = euclideanNorm(rTilde)
            let q = qr!
            if first {
                for j in 0..<nf { diag[j] = colNorm[j] == 0 ? 1 : colNorm[j] }
                xnorm = scaledNorm(x)
                delta = options.initialStepFactor * xnorm
                if delta == 0 { delta = options.initialStepFactor }
            }
            // Scaled gradient: max over columns of |cos(angle(J·eⱼ, r))|.
            var gnorm = 0.0
            if fnorm != 0 {
                for j in 0..<nf {
                    let l = q.pivot[j]
                    if colNorm[l] != 0 {
                        var sum = 0.0
                        for i in 0...j { sum += q.r(i, j) * (qtf[i] / fnorm) }
                        gnorm = max(gnorm, abs(sum / colNorm[l]))
                    }
                }
            }
            if gnorm <= options.gradientTolerance {
                if canRefine && !refineStationaryPoint(cost: &cost, jacobianIsCurrent: true, initialCost: initialCost) { evaluateJacobian() }
                return result(.gradientTolerance, initialCost: initialCost, cost: cost, jacobian: jFull)
            }
            for j in 0..<nf { diag[j] = max(diag[j], colNorm[j]) }
            // The model's ‖r̃‖² relative to the true robust sum: 1 for least squares.
            let modelScale = fnorm * fnorm / cost

            // Inner loop: shrink the trust region until a step is accepted.
            while true {
                step.solve(diag: diag, qtb: qtf, delta: delta, par: &par, x: &wa)
                for j in 0..<nf { pF[j] = -wa[j]; velocity[j] = pF[j] }
                for j in 0..<nf { scratch[j] = diag[j] * pF[j] }
                let pnorm = euclideanNorm(scratch)
                if canAccelerate && par > 0 && fnorm > 0 && nfev + 2 <= options.maxEvaluations {
                    accelerate(velocity: velocity, velocityNorm: pnorm, par: par, into: &pF)
                }
                trial = x
                var clipped = false
                for j in 0..<nf {
                    let k = free[j]
                    var v = x[k] + pF[j]
                    if let b = bounds {
                        let c = min(max(v, b.lower[k]), b.upper[k])
                        if c != v { clipped = true; v = c }
                    }
                    trial[k] = v
                    pF[j] = v - x[k]
                }
                if first { delta = min(delta, pnorm) }
                if joint {
                    problem.residualsAndJacobian(at: trial, residuals: &rTrial, jacobian: &jTrial)
                    njev += 1
                } else {
                    problem.residuals(at: trial, into: &rTrial)
                }
                nfev += 1
                let costTrial = robustSum(rTrial)
                let actred = costTrial < 100 * cost ? 1 - costTrial / cost : -1

                var prered = 0.0, dirder = 0.0
                if !clipped && fnorm > 0 {
                    // ‖R·Pᵀ·p‖ and √λ‖D·p‖ relative to ‖r̃‖, as in lmder.
                    for j in 0..<nf { scratch[j] = 0 }
                    for j in 0..<nf {
                        let t = velocity[q.pivot[j]]
                        for i in 0...j { scratch[i] += q.r(i, j) * t }
                    }
                    let t1 = euclideanNorm(scratch) / fnorm
                    let t2 = par.squareRoot() * pnorm / fnorm
                    prered = (t1 * t1 + t2 * t2 / 0.5) * modelScale
                    dirder = -(t1 * t1 + t2 * t2) * modelScale
                } else if fnorm > 0 {
                    Self.multiply(jTilde, rows: mq, columns: nf, by: pF, into: &jp)
                    var rjp = 0.0, jpjp = 0.0
                    for i in 0..<mq { rjp += rTilde[i] * jp[i]; jpjp += jp[i] * jp[i] }
                    prered = -(2 * rjp + jpjp) / cost
                    dirder = rjp / cost
                }
                // A step the box clipped can predict an increase (prered < 0); the ratio of two
                // negative reductions would then accept a step that raised the cost.
                var ratio = prered > 0 ? actred / prered : 0
                // Below a few ulps of the cost, the measured reduction is rounding noise while
                // the linear model is still exact to many digits: trust the model there, so the
                // iteration reaches the point where the gradient vanishes rather than stopping
                // where cost differences drown (an error of about √(ε·C) in x). At most a few
                // such steps in a row, so a run cannot cycle at the noise level.
                let noise = 16 * eps
                // Never above the run's start, though: a run from a minimum (the refinement of a
                // staged search) would otherwise end a few ulps above where it began.
                if prered > 0 && prered <= noise && actred >= -noise && costTrial.isFinite
                    && costTrial <= initialCost && roundoffSteps < 8 {
                    ratio = 1
                    roundoffSteps += 1
                } else if ratio >= 1e-4 {
                    roundoffSteps = 0
                }

                if ratio <= 0.25 {
                    var temp = actred >= 0 ? 0.5 : 0.5 * dirder / (dirder + 0.5 * actred)
                    if costTrial >= 100 * cost || temp < 0.1 || !temp.isFinite { temp = 0.1 }
                    temp = min(temp, 0.5)  // dirder > 0 is possible for a clipped step
                    delta = temp * min(delta, pnorm / 0.1)
                    par /= temp
                } else if par == 0 || ratio >= 0.75 {
                    delta = pnorm / 0.5
                    par *= 0.5
                }
                if ratio >= 1e-4 {
                    x = trial
                    swap(&r, &rTrial)
                    if joint { swap(&jFull, &jTrial) } else { jacobianAtX = false }
                    cost = costTrial
                    xnorm = scaledNorm(x)
                    iterations += 1
                }
                first = false

                var done: FitSummary.Termination?
                let fconv = abs(actred) <= options.functionTolerance && prered <= options.functionTolerance
                    && 0.5 * ratio <= 1
                let xconv = delta <= options.parameterTolerance * xnorm
                if fconv && xconv { done = .functionAndParameterTolerance }
                else if fconv { done = .functionTolerance }
                else if xconv { done = .parameterTolerance }
                else if nfev >= options.maxEvaluations { done = .maxEvaluations }
                else if roundoffSteps >= 8 { done = .machinePrecision }
                else if options.stopsAtNoiseLevel && ratio < 1e-4 && prered > 0 && prered <= noise { done = .machinePrecision }
                else if (abs(actred) <= eps * eps && prered <= eps * eps && 0.5 * ratio <= 1)
                    || delta <= eps * xnorm || gnorm <= eps { done = .machinePrecision }
                if let t = done {
                    // The result carries the Jacobian at the final point, for the covariance.
                    if canRefine && t.isConverged {
                        jacobianAtX = refineStationaryPoint(cost: &cost, jacobianIsCurrent: jacobianAtX, initialCost: initialCost)
                    }
                    if !jacobianAtX { evaluateJacobian() }
                    return result(t, initialCost: initialCost, cost: cost, jacobian: jFull)
                }
                if ratio >= 1e-4 { break }
            }
        }
    }

    /// The most Gauss–Newton steps one refinement takes. Large-residual problems contract
    /// linearly (Thurber: by about 0.65 a step), so reaching rounding level from √ε can
    /// take a few dozen.
    static var maxRefinementSteps: Int { 60 }

    /// Stationary-point refinement: from the converged x, undamped Gauss–Newton steps
    /// p = −J⁺r (pivoted QR, `TrustRegionStep.gaussNewton`), each taken only when
    ///
    /// - it is finite and shorter than the previous one (‖D·p‖; the iteration contracts),
    /// - R is nonsingular and the step is small, ‖D·p‖ ≤ 1e-4·‖D·x‖ (the linear model holds;
    ///   a nearly rank-deficient J gives a long step and stops the refinement),
    /// - it stays inside the bounds, and
    /// - the cost it reaches is no higher than the current one plus the rounding level of
    ///   the cost, 2·Σ|rᵢ|·16ε·(|rᵢ| + Σⱼ|Jᵢⱼ·xⱼ|) (what the arithmetic can tell apart), and
    ///   no higher than the run's `initialCost` (a run never ends above its start).
    ///
    /// Stops after a step below ε·‖D·x‖, at the first step that fails a test (x stays where
    /// it was), or after `maxRefinementSteps`. Each step costs one Jacobian and one residual
    /// evaluation, counted against `maxEvaluations`. `jacobianIsCurrent` says whether `jFull`
    /// is the Jacobian at x; returns whether it is at the end.
    mutating func refineStationaryPoint(cost: inout Double, jacobianIsCurrent: Bool, initialCost: Double) -> Bool {
        guard nf > 0 && m >= nf else { return jacobianIsCurrent }
        let eps = Double.ulpOfOne
        var previous = Double.infinity
        var current = jacobianIsCurrent
        var gaussNewton = [Double](repeating: 0, count: nf)
        var trial = x
        for _ in 0..<Self.maxRefinementSteps {
            guard nfev < options.maxEvaluations else { break }
            if !current { evaluateJacobian(); current = true }
            guard jFull.firstNonFinite == nil else { break }
            do { try factorReducedJacobian() } catch { break }
            // A singular R (a rank-deficient J) has no Gauss–Newton step to refine with.
            guard step.gaussNewton(qtb: qtf, x: &gaussNewton) == nf else { break }
            for j in 0..<nf { gaussNewton[j] = -gaussNewton[j] }
            for j in 0..<nf { scratch[j] = diag[j] * gaussNewton[j] }
            let size = euclideanNorm(scratch)
            let xnorm = scaledNorm(x)
            guard size.isFinite && size < previous && size <= 1e-4 * xnorm else { break }
            trial = x
            for j in 0..<nf { trial[free[j]] += gaussNewton[j] }
            if let b = bounds, !b.contains(trial) { break }
            problem.residuals(at: trial, into: &rTrial)
            nfev += 1
            let costTrial = robustSum(rTrial)
            guard costTrial <= cost + costRoundingLevel(), costTrial <= initialCost else { break }
            x = trial
            swap(&r, &rTrial)
            cost = costTrial
            iterations += 1
            refinementSteps += 1
            current = false
            previous = size
            if size <= eps * xnorm { break }
        }
        return current
    }

    /// `scaleProbe` ← the size of the terms of each residual, |rᵢ| + Σⱼ|Jᵢⱼ·xⱼ| from the
    /// Jacobian in `jTilde` (for a model linear or homogeneous in x, Σⱼ Jᵢⱼ·xⱼ is the model
    /// value itself): rᵢ is known to about ε times this.
    mutating func computeResidualScale() {
        for i in 0..<m { scaleProbe[i] = abs(r[i]) }
        for j in 0..<nf {
            let xj = x[free[j]]
            if xj == 0 { continue }
            let base = j * mq
            for i in 0..<m { scaleProbe[i] += abs(jTilde[base + i] * xj) }
        }
    }

    /// The rounding level of Σrᵢ² at x: 2·Σ|rᵢ|·δrᵢ with δrᵢ = 16ε·(|rᵢ| + Σⱼ|Jᵢⱼ·xⱼ|), from
    /// the Jacobian in `jTilde`.
    mutating func costRoundingLevel() -> Double {
        computeResidualScale()
        var level = 0.0
        for i in 0..<m { level += abs(r[i]) * scaleProbe[i] }
        return 32 * Double.ulpOfOne * level
    }

    /// Geodesic acceleration (Transtrum & Sethna 2012; GSL's `lmaccel`): the second
    /// directional derivative r_vv ≈ (2/h)·((r(x + h·v) − r(x))/h − J·v), h = 0.1, gives the
    /// acceleration a, the solution of the velocity's damped system with −r_vv on the right;
    /// the step becomes v + a/2 when ‖D·a‖ ≤ ½‖D·v‖ and it stays inside the box. Otherwise,
    /// when the probe is not finite, or when the second-order part of r(x + h·v) is below the
    /// rounding level of r (a linear model's r_vv is nothing else) or below √ε of its
    /// first-order part, the step stays v. The predicted reduction (and so the
    /// trust-region update) is the velocity's, as in GSL. One extra residual evaluation.
    ///
    /// The ½ is measured: GSL's 0.75 lets MGH10's far start jump into the b₁ → 0 region and
    /// crawl out over 1,636 iterations (251 without acceleration); ½ takes 87.
    mutating func accelerate(velocity v: [Double], velocityNorm: Double, par: Double, into p: inout [Double]) {
        let h = 0.1
        probe = x
        for j in 0..<nf { probe[free[j]] += h * v[j] }
        problem.residuals(at: probe, into: &rProbe)
        nfev += 1
        let m = self.m, mq = self.mq
        // rvv ← J·v, then r(x + h·v) − r(x) − h·J·v (the second-order part), then r_vv.
        Self.multiply(jTilde, rows: mq, columns: nf, by: v, into: &rvv)
        // The rounding level of r: ε times the size of its terms.
        computeResidualScale()
        var firstOrder = 0.0, secondOrder = 0.0, size = 0.0
        for i in 0..<m {
            let linear = h * rvv[i]
            let d = (rProbe[i] - r[i]) - linear
            firstOrder += linear * linear
            secondOrder += d * d
            size += scaleProbe[i] * scaleProbe[i]
            rvv[i] = d
        }
        // The correction is worth a step only when the second-order part stands above the
        // rounding of r (1000ε of its size: a linear model's r_vv is nothing but rounding)
        // and above √ε of the first-order part.
        let eps = Double.ulpOfOne
        guard secondOrder.isFinite && firstOrder.isFinite
            && secondOrder > 1e6 * eps * eps * size && secondOrder > eps * firstOrder else { return }
        let scale = 2 / (h * h)
        for i in 0..<m { rvv[i] *= scale }
        try? qr!.applyQTranspose(&rvv)
        step.solveWithDamping(diag: diag, par: par, qtb: rvv, x: &acceleration)
        // acceleration solves J·w ≈ r_vv; a = −w.
        for j in 0..<nf { scratch[j] = diag[j] * acceleration[j] }
        guard euclideanNorm(scratch) <= 0.5 * velocityNorm else { return }
        if let b = bounds {
            for j in 0..<nf {
                let k = free[j]
                let t = x[k] + v[j] - 0.5 * acceleration[j]
                if t < b.lower[k] || t > b.upper[k] { return }
            }
        }
        for j in 0..<nf { p[j] = v[j] - 0.5 * acceleration[j] }
    }

    /// `out` ← A·p for the column-major rows×columns `a` (the reduced Jacobian J̃ times a
    /// step over the free parameters). Zero entries of p are skipped: a column held at a
    /// bound is zero and its step is zero.
    static func multiply(_ a: [Double], rows: Int, columns: Int, by p: [Double], into out: inout [Double]) {
        for i in 0..<rows { out[i] = 0 }
        for j in 0..<columns {
            let t = p[j]
            if t == 0 { continue }
            let base = j * rows
            for i in 0..<rows { out[i] += a[base + i] * t }
        }
    }

    /// At the Jacobian in `jFull` and the residuals r: the loss-corrected residuals r̃ and
    /// reduced Jacobian J̃, its pivoted QR, Qᵀr̃ in `qtf`, and R and the pivots in `step`.
    mutating func factorReducedJacobian() throws {
        correctResiduals()
        buildReducedJacobian()
        try qr!.factor(jTilde)
        for i in 0..<mq { qtf[i] = rTilde[i] }
        try qr!.applyQTranspose(&qtf)
        let q = qr!
        for j in 0..<nf {
            step.pivot[j] = q.pivot[j]
            for i in 0...j { step.r[i + j * nf] = q.r(i, j) }
        }
    }

    mutating func evaluateJacobian() {
        problem.jacobian(at: x, into: &jFull)
        njev += 1
    }

    mutating func scaledNorm(_ v: [Double]) -> Double {
        for j in 0..<nf { scratch[j] = diag[j] * v[free[j]] }
        return euclideanNorm(scratch)
    }

    /// Copies the free, loss-weighted columns of J into `jTilde` (mq×nf, zero-padded) and
    /// zeroes the columns of parameters held at a bound by their gradient.
    mutating func buildReducedJacobian() {
        let m = self.m, mq = self.mq, rows = jFull.rows
        for j in 0..<nf {
            let k = free[j]
            let base = j * mq
            var norm2 = 0.0
            var g = 0.0
            // Raw buffers: this copy runs once per iteration over the whole Jacobian.
            jFull.storage.withUnsafeBufferPointer { full in
                rowWeight.withUnsafeBufferPointer { w in
                    rTilde.withUnsafeBufferPointer { rt in
                        jTilde.withUnsafeMutableBufferPointer { jt in
                            let column = k * rows
                            for i in 0..<m {
                                let v = w[i] * full[column + i]
                                jt[base + i] = v
                                norm2 += v * v
                                g += v * rt[i]
                            }
                            for i in m..<mq { jt[base + i] = 0 }
                        }
                    }
                }
            }
            if let b = bounds {
                // g is the gradient of ½‖r̃‖²: descent decreases xₖ when g > 0.
                if (x[k] <= b.lower[k] && g > 0) || (x[k] >= b.upper[k] && g < 0) {
                    for i in 0..<mq { jTilde[base + i] = 0 }
                    norm2 = 0
                }
            }
            colNorm[j] = norm2.squareRoot()
        }
    }
}
