import XCTest
@testable import ScaleFit

/// The curve fits' search: log coordinates for the multi-power law's B, C, β, the starts
/// `CurveFit.starts` makes, the thinned screening of dense logs, and a dense fit that never
/// ends above its starting cost.
final class CurveSearchTests: XCTestCase {
    /// The Jacobian in log coordinates (θ_i·∂r/∂θ_i) matches central differences in z.
    func testLogScaledJacobianMatchesCentralDifferences() throws {
        var rng = SeededGenerator(seed: 5)
        let curves = try CurveLawTestSupport.randomSchedules(&rng).enumerated().map { i, eta -> LossCurve in
            let steps = CurveLawTestSupport.loggedSteps(count: eta.count, &rng)
            return try LossCurve(name: "c\(i)", rates: eta, steps: steps, losses: steps.map { _ in 3.3 })
        }
        let law = MultiPowerLaw()
        let problem = LogScaledProblem(base: try CurveFitProblem(law: law, curves: curves), indices: law.logScaledParameters)
        let theta = [3.0, 0.5, 0.5, 400, 2, 0.6, 0.6]
        let z = problem.z(theta)
        XCTAssertEqual(z[3], log(400), accuracy: 1e-15)
        XCTAssertEqual(problem.theta(z)[3], 400, accuracy: 1e-12)
        CurveLawTestSupport.assertJacobianMatches(problem, at: z, tolerance: 1e-6)
        // The box in z: log of each side, a lower bound of 0 at −∞.
        let box = problem.bounds(law.defaultBounds)
        XCTAssertEqual(box.lower[3], -.infinity)
        XCTAssertEqual(box.lower[4], log(1e-12))
        XCTAssertEqual(box.upper[5], log(10))
        XCTAssertEqual(box.upper[0], .infinity)
    }

    /// A run in log coordinates reports θ, inside the box, with the Jacobian in θ.
    func testLogScaledRunReportsTheta() throws {
        let schedule = LRSchedule.cosine(peak: 3e-4, warmup: 100, total: 3000, final: 0.1)
        let steps = Array(stride(from: 100, to: 3000, by: 20))
        let truth = [3.0, 0.5, 0.5, 400, 2, 0.6, 0.6]
        let law = MultiPowerLaw()
        let curve = try LossCurve(name: "cosine", schedule: schedule, steps: steps,
                                  losses: law.predict(schedule: schedule, steps: steps, parameters: truth))
        let problem = try CurveFitProblem(law: law, curves: [curve])
        var options = law.solverOptions(CurveFit.defaultOptions)
        XCTAssertEqual(options.logScaledParameters, [3, 4, 5])
        let box = law.bounds(for: [curve])
        let result = try LevenbergMarquardt(options: options).minimize(problem, from: [2.9, 0.5, 0.5, 300, 1, 0.5, 0.5], bounds: box)
        XCTAssertTrue(box.contains(result.parameters))
        XCTAssertLessThanOrEqual(result.summary.finalCost, result.summary.initialCost)
        var jacobian = Matrix(rows: problem.residualCount, columns: 7)
        problem.jacobian(at: result.parameters, into: &jacobian)
        XCTAssertEqual(result.jacobian, jacobian)
        var r = [Double](repeating: 0, count: problem.residualCount)
        problem.residuals(at: result.parameters, into: &r)
        XCTAssertEqual(result.residuals, r)
        options.logScaledParameters = []
        XCTAssertTrue(options.logScaledParameters.isEmpty)
    }

    func testStartsSpreadOverTheGridOrAddSeededPoints() {
        let grid = (0..<12).map { [Double($0 + 1), 0.5] }
        let box = ParameterBounds(lower: [0, 0], upper: [100, 0.6])
        XCTAssertEqual(CurveFit.starts(grid, count: 12, bounds: box), grid)
        XCTAssertEqual(CurveFit.starts(grid, count: 4, bounds: box).map { $0[0] }, [1, 4, 7, 10])
        let more = CurveFit.starts(grid, count: 30, bounds: box)
        XCTAssertEqual(more.count, 30)
        XCTAssertEqual(Array(more.prefix(12)), grid)
        XCTAssertTrue(more.allSatisfy { box.contains($0) })
        XCTAssertEqual(Set(more.map { $0[0] }).count, 30)
        XCTAssertEqual(more, CurveFit.starts(grid, count: 30, bounds: box))
    }

    /// A dense log is screened on every k-th point (its last kept), at most
    /// `screeningPoints` in all; a sparse one on itself.
    func testDenseLogsAreScreenedOnAThinnedLog() throws {
        let curve = try DenseCurveBenchmark.curve(law: AnnealingLaw(), points: 10_001)
        let problem = try CurveFitProblem(law: AnnealingLaw(), curves: [curve])
        let screening = try problem.screeningProblem()
        XCTAssertEqual(screening.residualCount, 3334)  // stride 3
        XCTAssertEqual(screening.curves[0].steps.last, curve.steps.last)
        XCTAssertEqual(screening.curves[0].steps.first, curve.steps[1])
        XCTAssertLessThanOrEqual(screening.residualCount, CurveFitProblem<AnnealingLaw>.screeningPoints)
        let sparse = try CurveFitProblem(law: AnnealingLaw(), curves: [try curve.thinned(every: 10)])
        XCTAssertEqual(try sparse.screeningProblem().residualCount, sparse.residualCount)
    }

    /// A long schedule logged sparsely is coarsened for the search's polish: η averaged over
    /// blocks of ⌈K/4096⌉ + 1 steps, S1 kept at every block's end, at most about 4,096 change
    /// points left, every logged point kept; a dense log, or a schedule of few changes, is not.
    func testLongSparselyLoggedSchedulesAreCoarsenedKeepingS1AtBlockEnds() throws {
        let dense = try DenseCurveBenchmark.curve(law: AnnealingLaw(), points: 30_000)
        let sparse = try dense.thinned(every: 100)
        let problem = try CurveFitProblem(law: AnnealingLaw(), curves: [sparse])
        let reduced = try XCTUnwrap(try problem.reducedProblem())
        let coarse = reduced.curves[0]
        XCTAssertEqual(coarse.steps, sparse.steps)
        XCTAssertEqual(coarse.losses, sparse.losses)
        XCTAssertEqual(coarse.rates.count, sparse.rates.count)
        let changes = { (r: [Double]) in r.indices.dropFirst().filter { r[$0] != r[$0 - 1] }.count }
        let limit = CurveFitProblem<AnnealingLaw>.reducedChangePoints
        XCTAssertEqual(limit, 4096)
        let block = changes(sparse.rates) / limit + 1 + (changes(sparse.rates) % limit == 0 ? 0 : 1)
        XCTAssertEqual(block, 9)
        XCTAssertLessThanOrEqual(changes(coarse.rates), limit)
        var fine = 0.0, coarseSum = 0.0
        for i in sparse.rates.indices {
            fine += sparse.rates[i]; coarseSum += coarse.rates[i]
            if (i + 1) % block == 0 { XCTAssertEqual(coarseSum, fine, accuracy: 1e-12 * fine, "S1 at step \(i)") }
        }
        XCTAssertEqual(coarseSum, fine, accuracy: 1e-12 * fine)
        // A dense log is not coarsened: the annealing law polishes it on every point, the
        // multi-power law on knots (`testDenseLogsAreReducedToKnotsInterpolatedInS1`), its
        // schedule as it is.
        XCTAssertNil(try CurveFitProblem(law: AnnealingLaw(), curves: [dense]).reducedProblem())
        let denseReduced = try XCTUnwrap(try CurveFitProblem(law: MultiPowerLaw(), curves: [dense]).reducedProblem())
        XCTAssertEqual(denseReduced.curves[0].rates, dense.rates)
        XCTAssertNotNil(denseReduced.interpolations[0])
        let constant = try LossCurve(name: "constant", rates: [Double](repeating: 3e-4, count: 40_000),
                                     steps: sparse.steps, losses: sparse.losses)
        XCTAssertNil(try CurveFitProblem(law: AnnealingLaw(), curves: [constant]).reducedProblem())
        // The screening runs on the coarsened schedule too.
        XCTAssertEqual(try problem.screeningProblem().curves[0].rates, coarse.rates)
    }

    /// The staged search (screen and polish on the coarsened schedule, refine the best ends on
    /// the full one) finds the minimum the search polished on the full schedule finds, and the
    /// fit is that refined run.
    func testStagedSearchFindsTheFullSchedulesMinimum() throws {
        let law = AnnealingLaw()
        let curve = try DenseCurveBenchmark.curve(law: law, points: 30_000).thinned(every: 100)
        let data = LossCurves(curves: [curve], schedules: [DenseCurveBenchmark.schedule(points: 30_000)], file: "sparse")
        let problem = try CurveFitProblem(law: law, curves: [curve])
        let staged = try XCTUnwrap(try law.stagedProblems(problem))
        let options = law.search.options
        let search = ScreenedMultiStart(options: options, screeningEvaluations: CurveFit.screeningEvaluations,
                                        screeningFunctionTolerance: 1e-8, selection: .distinctAmongBest(count: 3, tolerance: 1e-3))
        let starts = law.starts(for: data), bounds = law.bounds(for: data)
        let full = try search.minimize(problem, screeningProblem: try problem.screeningProblem().replacingLaw(law.screeningLaw),
                                       starts: starts, bounds: bounds)
        let twoStage = try search.minimize(problem, screeningProblem: staged.screening, reducedProblem: staged.reduced,
                                           starts: starts, bounds: bounds)
        let refined = try XCTUnwrap(twoStage.refined)
        // The defect corrections bring the polished end nearer the full minimum.
        let polishedEnd = twoStage.polished.best.parameters
        let corrected = ScreenedMultiStart.corrected(polishedEnd, problem: problem, reduced: staged.reduced,
                                                     solver: LevenbergMarquardt(options: options), bounds: bounds, fixed: nil)
        XCTAssertLessThan(problem.objective(at: corrected, loss: options.loss), problem.objective(at: polishedEnd, loss: options.loss))
        XCTAssertEqual(twoStage.best.cost, refined.best.cost)
        XCTAssertTrue(twoStage.best.summary.converged, twoStage.best.summary.message)
        XCTAssertLessThanOrEqual(twoStage.best.cost, twoStage.best.summary.initialCost)
        XCTAssertEqual(twoStage.best.cost, full.best.cost, accuracy: 1e-9 * full.best.cost)
        for (a, b) in zip(twoStage.best.parameters, full.best.parameters) { XCTAssertEqual(a, b, accuracy: 1e-4 * abs(b)) }
        XCTAssertEqual(problem.objective(at: twoStage.best.parameters, loss: options.loss), twoStage.best.cost,
                       accuracy: 1e-12 * twoStage.best.cost)
        let fit = try Fit(law, to: data)
        XCTAssertEqual(fit.objective, twoStage.best.cost)
        XCTAssertEqual(fit.parameters, twoStage.best.parameters)
        XCTAssertEqual(fit.search.startsRefined, refined.finalCosts.count)
        XCTAssertGreaterThan(fit.search.startsRefined, 0)
    }

    /// A dense log's reduced problem keeps every residual but evaluates the law at knots
    /// only: consecutive at the start, then spaced by j/16 up to ⌈m/4096⌉, the last point a
    /// knot; at a knot its residual is the full problem's, between knots within the
    /// interpolation error; its Jacobian is the derivative of its own residuals.
    func testDenseLogsAreReducedToKnotsInterpolatedInS1() throws {
        let law = MultiPowerLaw()
        let curve = try DenseCurveBenchmark.curve(law: law, points: 10_000)
        let problem = try CurveFitProblem(law: law, curves: [curve])
        let reduced = try XCTUnwrap(try problem.reducedProblem())
        XCTAssertEqual(reduced.residualCount, problem.residualCount)
        XCTAssertEqual(reduced.curves, problem.curves)
        let ip = try XCTUnwrap(reduced.interpolations[0])
        let spacing = 3  // ⌈10,000/4,096⌉
        XCTAssertEqual(ip.knots, KnotInterpolation.knots(count: 10_000, spacing: spacing))
        XCTAssertEqual(Array(ip.knots.prefix(33)), Array(0..<33))
        XCTAssertEqual(ip.knots.last, 9_999)
        XCTAssertTrue(zip(ip.knots, ip.knots.dropFirst()).allSatisfy { $1 - $0 >= 1 && $1 - $0 <= spacing })
        XCTAssertLessThan(ip.knots.count, 10_000 / spacing + 100)
        // Residuals: exact at the knots, within 1e-6 of the full ones between (log L, ±0.3% noise).
        let x = CurveFitBenchmark.truth
        var full = [Double](repeating: 0, count: problem.residualCount), coarse = full
        problem.residuals(at: x, into: &full)
        reduced.residuals(at: x, into: &coarse)
        for k in ip.knots { XCTAssertEqual(coarse[k], full[k], accuracy: 1e-13, "knot \(k)") }
        let gap = zip(full, coarse).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(gap, 1e-6)
        XCTAssertGreaterThan(gap, 0)
        // The Jacobian against central differences of the reduced residuals.
        var jac = Matrix(rows: reduced.residualCount, columns: reduced.parameterCount)
        reduced.jacobian(at: x, into: &jac)
        for q in 0..<reduced.parameterCount {
            let h = 1e-6 * max(abs(x[q]), 1e-3)
            var plus = x, minus = x
            plus[q] += h; minus[q] -= h
            var rp = full, rm = full
            reduced.residuals(at: plus, into: &rp)
            reduced.residuals(at: minus, into: &rm)
            for i in stride(from: 0, to: reduced.residualCount, by: 997) {
                let difference = (rp[i] - rm[i]) / (2 * h)
                XCTAssertEqual(jac[i, q], difference, accuracy: 1e-5 * max(abs(difference), 1e-3), "row \(i), column \(q)")
            }
        }
        // A sparse log (fewer points than the screening sees) is not reduced to knots.
        let sparse = try CurveFitProblem(law: law, curves: [try curve.thinned(every: 10)])
        XCTAssertNil(try sparse.reducedProblem())
    }

    /// On a dense log the staged search (screen on a thinned log, polish on the knots, correct,
    /// refine on every point) finds the minimum the search polished on every point finds. Run
    /// with the annealing law on knots (the search is the same for every law; the multi-power
    /// law's, which polishes dense logs on knots, is `scalefit-bench dense`'s, too slow for a
    /// debug test); the fit of a law that `polishesDenseLogsOnKnots` is that staged run.
    func testStagedSearchOnADenseLogFindsTheFullMinimum() throws {
        let law = AnnealingLaw()
        let curve = try DenseCurveBenchmark.curve(law: law, points: 12_000)
        let problem = try CurveFitProblem(law: law, curves: [curve])
        let data = LossCurves(curves: [curve], schedules: [DenseCurveBenchmark.schedule(points: 12_000)], file: "dense")
        XCTAssertNil(try law.stagedProblems(problem))
        let reduced = try XCTUnwrap(problem.interpolatedProblem(spacing: 3))
        let staged = (screening: try problem.screeningProblem(), reduced: reduced)
        XCTAssertNotNil(staged.reduced.interpolations[0])
        XCTAssertEqual(staged.screening.residualCount, 4000)  // every 3rd point
        let options = law.search.options
        let search = ScreenedMultiStart(options: options, screeningEvaluations: CurveFit.screeningEvaluations,
                                        screeningFunctionTolerance: 1e-8, selection: .distinctAmongBest(count: 3, tolerance: 1e-3))
        let starts = law.starts(for: data), bounds = law.bounds(for: data)
        let full = try search.minimize(problem, screeningProblem: staged.screening, starts: starts, bounds: bounds)
        let twoStage = try search.minimize(problem, screeningProblem: staged.screening, reducedProblem: staged.reduced,
                                           starts: starts, bounds: bounds)
        let refined = try XCTUnwrap(twoStage.refined)
        XCTAssertEqual(twoStage.best.cost, refined.best.cost)
        XCTAssertTrue(twoStage.best.summary.converged, twoStage.best.summary.message)
        XCTAssertLessThanOrEqual(twoStage.best.cost, twoStage.best.summary.initialCost)
        XCTAssertEqual(twoStage.best.cost, full.best.cost, accuracy: 1e-10 * full.best.cost)
        for (a, b) in zip(twoStage.best.parameters, full.best.parameters) { XCTAssertEqual(a, b, accuracy: 1e-5 * abs(b)) }
        // The annealing law's own fit polishes on every point: the search without a reduced problem.
        let fit = try Fit(law, to: data)
        XCTAssertEqual(fit.objective, full.best.cost, accuracy: 1e-10 * full.best.cost)
        XCTAssertEqual(fit.search.startsRefined, 0)
        // The multi-power law's fit of a dense log is staged on knots.
        let multiPower = try CurveFitProblem(law: MultiPowerLaw(), curves: [curve])
        let mpStaged = try XCTUnwrap(try MultiPowerLaw().stagedProblems(multiPower))
        XCTAssertEqual(mpStaged.reduced.interpolations[0]?.knots, KnotInterpolation.knots(count: 12_000, spacing: 3))
        XCTAssertEqual(mpStaged.screening.residualCount, 4000)
    }

    /// A dense log (a loss every step) is fitted to convergence, ending below its start,
    /// near the generating parameters.
    func testDenseAnnealingFitConvergesBelowItsStart() throws {
        let curve = try DenseCurveBenchmark.curve(law: AnnealingLaw(), points: 8_000)
        let (fit, _) = try DenseCurveBenchmark.run(law: AnnealingLaw(), curve: curve)
        XCTAssertTrue(fit.summary.converged, fit.summary.message)
        XCTAssertLessThanOrEqual(fit.summary.finalCost, fit.summary.initialCost)
        XCTAssertEqual(fit.parameters[0], DenseCurveBenchmark.annealingTruth[0], accuracy: 0.05)
        XCTAssertEqual(fit.parameters[2], DenseCurveBenchmark.annealingTruth[2], accuracy: 0.05)
    }
}

private extension LossCurve {
    func thinned(every k: Int) throws -> LossCurve {
        let keep = Array(stride(from: 0, to: steps.count, by: k))
        return try LossCurve(name: name, rates: rates, steps: keep.map { steps[$0] }, losses: keep.map { losses[$0] })
    }
}
