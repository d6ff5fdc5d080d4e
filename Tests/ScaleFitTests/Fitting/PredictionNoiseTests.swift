import XCTest
@testable import ScaleFit

/// The prediction interval covers fresh observations: synthetic data from a known law with
/// known noise, fitted, then a fresh draw at the same points checked against the 95%
/// prediction interval (and the confidence band, which must cover far fewer).
final class PredictionNoiseTests: XCTestCase {
    private func gaussian(_ g: inout SeededGenerator) -> Double {
        let u = max(g.nextUnit(), 1e-300), v = g.nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// 200 seeded trials of the power law L = 1.8 + 400·x^(−0.3) with 1% log-normal noise
    /// on 12 sizes × 3 runs: coverage of fresh points by the 95% prediction interval.
    func testThePowerLawPredictionIntervalCoversFreshRunsAtItsLevel() throws {
        let sizes = (0..<12).map { 1e7 * pow(2, Double($0)) }
        let x = sizes.flatMap { [$0, $0, $0] }
        let truth = x.map { 1.8 + 400 * pow($0, -0.3) }
        let sigma = 0.01
        var inside = 0, inBand = 0, total = 0
        for trial in 0..<200 {
            var g = SeededGenerator.stream(seed: 2026, index: trial)
            let loss = truth.map { $0 * exp(sigma * gaussian(&g)) }
            let data = try PowerLawRuns(x: x, loss: loss, variable: "params")
            var fit = try Fit(SaturatingPowerLaw(variable: "params"), to: data)
            fit.noise = fit.predictionNoise(data)
            XCTAssertEqual(fit.noise?.folds, 8, "12 sizes in 8 bands")
            let predictions = try fit.predict(x)
            for (p, t) in zip(predictions, truth) {
                let fresh = t * exp(sigma * gaussian(&g))
                total += 1
                if p.predictionLower <= fresh && fresh <= p.predictionUpper { inside += 1 }
                if p.lower <= fresh && fresh <= p.upper { inBand += 1 }
            }
        }
        let coverage = Double(inside) / Double(total), band = Double(inBand) / Double(total)
        XCTAssertGreaterThanOrEqual(coverage, 0.93, "prediction interval coverage \(coverage)")
        XCTAssertLessThanOrEqual(coverage, 0.99, "prediction interval coverage \(coverage)")
        XCTAssertLessThan(band, 0.7, "the confidence band is not a prediction interval: \(band)")
    }

    /// σ_r alone with one group; the fields a fit file keeps survive a round trip.
    func testOneGroupGivesTheResidualScatterOnlyAndTheFileKeepsIt() throws {
        let x = [1e7, 1e7, 1e7, 1e7, 1e7]
        let data = try PowerLawRuns(x: x + [2e7], loss: [3, 3.01, 2.99, 3.02, 2.98, 2.9])
        let fit = try Fit(SaturatingPowerLaw(), to: data)
        let noise = fit.residualNoise(data)
        XCTAssertNil(noise.heldOut)
        XCTAssertEqual(noise.degreesOfFreedom, 3)
        XCTAssertTrue(noise.method.contains("not estimated"), noise.method)
        var withNoise = fit
        withNoise.noise = noise
        let back = try Fit<SaturatingPowerLaw>(file: try FitFile.decode(try withNoise.file.encoded(), file: "t"), source: "t")
        XCTAssertEqual(back.noise, noise)
        let p = try back.predict([1.5e7])[0]
        XCTAssertTrue(p.hasNoise)
        XCTAssertLessThan(p.predictionLower, p.lower)
        XCTAssertGreaterThan(p.predictionUpper, p.upper)
    }

    /// Leave-one-curve-out on the annealing law: three curves, three folds, σ_h finite.
    func testCurvesAreLeftOutOneAtATime() throws {
        let law = AnnealingLaw()
        let theta = [3.0, 0.5, 0.5, 0.5]
        let specs = ["cosine:peak=3e-4,warmup=100,total=2000,final=0.1", "constant:peak=3e-4,warmup=100,total=2000",
                     "wsd:peak=3e-4,warmup=100,stable=1400,decay=500,final=0.1"]
        var g = SeededGenerator(seed: 7)
        let curves = try specs.enumerated().map { i, spec -> (name: String, schedule: LRSchedule, steps: [Int], losses: [Double]) in
            let schedule = try LRSchedule(spec: spec)
            let steps = Array(stride(from: 200, to: 2000, by: 50))
            let losses = law.predict(schedule: schedule, steps: steps, parameters: theta).map { $0 * exp(0.002 * gaussian(&g)) }
            return ("c\(i)", schedule, steps, losses)
        }
        let data = try LossCurves(curves)
        let fit = try Fit(law, to: data)
        let noise = fit.predictionNoise(data)
        XCTAssertEqual(data.groupNames, ["c0", "c1", "c2"])
        XCTAssertEqual(noise.folds, 3)
        XCTAssertEqual(noise.foldsSkipped, 0)
        XCTAssertLessThan(noise.heldOut!, 0.01)
        XCTAssertGreaterThan(noise.sigma, 0.001, "at least the noise put in")
    }

    /// V_J = (G − 1)/G · Σ (vᵍ − v̄)², on log values for a log-scale law; nil for one fold or
    /// a value the log cannot take.
    func testFoldSpreadIsTheJackknifeVarianceOfTheFoldsPredictions() throws {
        let v = [2.0, 2.2, 2.1]
        let logs = v.map { log($0) }, mean = logs.reduce(0, +) / 3
        let expected = 2.0 / 3.0 * logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        XCTAssertEqual(try XCTUnwrap(PredictionNoise.foldSpread(v, scale: .log)), expected, accuracy: 1e-16)
        XCTAssertEqual(try XCTUnwrap(PredictionNoise.foldSpread([1, 3], scale: .linear)), 1, accuracy: 1e-15)
        XCTAssertNil(PredictionNoise.foldSpread([2], scale: .log))
        XCTAssertNil(PredictionNoise.foldSpread([2, -1], scale: .log))
        XCTAssertNil(PredictionNoise.foldSpread([2, .nan], scale: .linear))
    }

    /// The prediction interval takes the larger of the delta method's variance and the folds'
    /// spread, adds σ² and, past the last fitted step, κ²·log²(s/S_max); the band is unchanged.
    func testThePredictionIntervalWidensToTheFoldsSpreadAndPastTheHorizon() throws {
        var noise = PredictionNoise(scale: .log, residual: 0.01, degreesOfFreedom: 10, method: "test")
        let value = LawValue(value: 2, logGradient: [1])
        let covariance = Matrix(rows: 1, columns: 1, repeating: 1e-6)
        let z = Prediction.z95
        let plain = Prediction(value, covariance: covariance, noise: noise)
        XCTAssertEqual(log(plain.predictionUpper / 2), z * (1e-6 + 1e-4).squareRoot(), accuracy: 1e-12)
        let spread = Prediction(value, covariance: covariance, noise: noise, foldValues: [2 * exp(0.05), 2 * exp(-0.05)])
        XCTAssertEqual(try XCTUnwrap(spread.foldStandardError), 0.05, accuracy: 1e-12)
        XCTAssertEqual(log(spread.predictionUpper / 2), z * (0.0025 + 1e-4).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(spread.upper, plain.upper, "the confidence band is the delta method's")
        // Folds that agree more closely than the covariance says change nothing.
        let close = Prediction(value, covariance: covariance, noise: noise, foldValues: [2, 2 * exp(1e-5)])
        XCTAssertEqual(close.predictionUpper, plain.predictionUpper)
        noise.horizonStep = 1000
        noise.horizonGrowth = 0.02
        XCTAssertEqual(noise.horizonVariance(atStep: 500), 0)
        XCTAssertEqual(noise.horizonVariance(atStep: 1000), 0)
        XCTAssertEqual(noise.horizonVariance(atStep: 2000), pow(0.02 * log(2), 2), accuracy: 1e-18)
        let far = Prediction(value, covariance: covariance, noise: noise, extraVariance: noise.horizonVariance(atStep: 2000))
        XCTAssertEqual(log(far.predictionUpper / 2), z * (1e-6 + 1e-4 + pow(0.02 * log(2), 2)).squareRoot(), accuracy: 1e-12)
    }

    /// Curves cut after a step keep their losses up to it; a curve with none left is dropped.
    func testLossCurvesAreTruncatedAtAStep() throws {
        let schedule = try LRSchedule(spec: "constant:peak=3e-4,warmup=10,total=1000")
        let data = try LossCurves([("a", schedule, [100, 200, 300, 400], [4, 3.5, 3.2, 3.1]),
                                   ("b", schedule, [600, 700], [3.0, 2.9])])
        let cut = data.truncated(atStep: 300)
        XCTAssertEqual(cut.curves.map(\.name), ["a"])
        XCTAssertEqual(cut.curves[0].steps, [100, 200, 300])
        XCTAssertEqual(cut.observed, [4, 3.5, 3.2])
        XCTAssertEqual(cut.lineNumbers, [[1, 2, 3]])
        XCTAssertEqual(data.truncated(atStep: 1000).observed, data.observed)
    }

    /// The leave-future-out horizon on curves drawn from the law itself: S_max the last
    /// logged step, the points past S_max/2 predicted, κ finite, kept by the fit file, and a
    /// prediction twice as far out wider than the one at S_max by the horizon term.
    func testTheHorizonTermIsEstimatedFromTheSecondHalfOfTheFittedSteps() throws {
        let law = AnnealingLaw()
        let theta = [3.0, 0.5, 0.5, 0.5]
        let specs = ["cosine:peak=3e-4,warmup=100,total=2000,final=0.1", "constant:peak=3e-4,warmup=100,total=2000"]
        var g = SeededGenerator(seed: 11)
        let steps = Array(stride(from: 200, to: 2000, by: 50))
        let curves = try specs.enumerated().map { i, spec -> (name: String, schedule: LRSchedule, steps: [Int], losses: [Double]) in
            let schedule = try LRSchedule(spec: spec)
            let losses = law.predict(schedule: schedule, steps: steps, parameters: theta).map { $0 * exp(0.002 * gaussian(&g)) }
            return ("c\(i)", schedule, steps, losses)
        }
        let data = try LossCurves(curves)
        var fit = try Fit(law, to: data)
        fit.noise = fit.predictionNoise(data)
        let noise = try XCTUnwrap(fit.noise)
        XCTAssertEqual(noise.horizonStep, 1950)
        XCTAssertEqual(noise.horizonPoints, 2 * steps.filter { $0 > 975 }.count)
        let kappa = try XCTUnwrap(noise.horizonGrowth)
        // The first half holds little of the cosine's decay, so the second half is predicted
        // less well than the noise (0.2%) — by about 1% here — but far from a failed fit.
        XCTAssertGreaterThan(kappa, 0.002)
        XCTAssertLessThan(kappa, 0.05)
        XCTAssertTrue(noise.method.contains("leave-future-out"), noise.method)
        XCTAssertEqual(noise.foldParameters?.count, 2)
        let back = try Fit<AnnealingLaw>(file: try FitFile.decode(try fit.file.encoded(), file: "t"), source: "t")
        XCTAssertEqual(back.noise, noise)
        let long = try LRSchedule(spec: "constant:peak=3e-4,warmup=100,total=4000")
        let p = try back.predict(CurveQuery(schedule: long, steps: [1950, 3900]))
        func halfWidth(_ q: Prediction) -> Double { log(q.predictionUpper / q.value) / Prediction.z95 }
        let base = halfWidth(p[0])
        XCTAssertGreaterThan(halfWidth(p[1]), base)
        XCTAssertGreaterThanOrEqual(halfWidth(p[1]) * halfWidth(p[1]) + 1e-15,
                                    noise.sigma * noise.sigma + noise.horizonVariance(atStep: 3900))
    }

    /// A fit file whose folds do not match its law, or whose horizon is not a step, is refused
    /// with the JSON path of the bad value.
    func testAFitFileWithBadFoldsOrHorizonIsRefused() throws {
        let data = try PowerLawRuns(x: [1e7, 1e7, 2e7, 2e7, 4e7, 4e7], loss: [3, 3.01, 2.9, 2.91, 2.8, 2.82])
        var fit = try Fit(SaturatingPowerLaw(), to: data)
        var noise = fit.residualNoise(data)
        noise.foldParameters = [[1, 2, 3], [1, 2]]
        fit.noise = noise
        XCTAssertThrowsError(try FitFile.decode(try fit.file.encoded(), file: "f.json")) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "f.json", reason: "noise.foldParameters[1]: 2 values, expected 3"))
        }
        noise.foldParameters = nil
        noise.horizonGrowth = -1
        fit.noise = noise
        XCTAssertThrowsError(try FitFile.decode(try fit.file.encoded(), file: "f.json")) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "f.json", reason: "noise.horizonGrowth: -1.0, expected a finite number ≥ 0"))
        }
    }

    /// The estimation variance a fold's held-out error is deflated by is the delta method of
    /// the fold's own fit: the whole problem's Jacobian rows at the fold's θ are the gradients
    /// of its predictions (∂log L̂/∂θ), and Σ is the fold run's scaled covariance.
    func testTheFoldsEstimationVarianceIsItsDeltaMethodAtTheHeldOutRuns() throws {
        let truth = ChinchillaLaw.Parameters(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)
        var g = SeededGenerator(seed: 12)
        var n: [Double] = [], d: [Double] = [], l: [Double] = []
        for ni in [5e7, 1.5e8, 5e8, 1.5e9] {
            for di in [1e9, 1e10, 1e11] {
                n.append(ni); d.append(di); l.append(truth.loss(parameters: ni, tokens: di) * exp(0.01 * (2 * g.nextUnit() - 1)))
            }
        }
        let runs = try ModelRuns(N: n, D: d, loss: l)
        let law = ChinchillaLaw()
        let full = try Fit(law, to: runs)
        let held = runs.N.indices.filter { runs.N[$0] == 1.5e9 }
        let kept = runs.subset(runs.N.indices.filter { runs.N[$0] < 1.5e9 })
        let run = try LevenbergMarquardt(options: law.search.options).minimize(try law.problem(for: kept), from: full.parameters)
        let v = Fit<ChinchillaLaw>.estimationVariance(try law.problem(for: runs), at: run, rows: held)
        XCTAssertEqual(v.count, held.count)
        let cov = try ParameterCovariance(result: run).scaled
        let values = try law.evaluate(held.map { ModelSize(N: runs.N[$0], D: runs.D[$0]) }, parameters: run.parameters)
        for (k, value) in values.enumerated() {
            let gradient = value.gradient
            var expected = 0.0
            for a in 0..<5 { for b in 0..<5 { expected += gradient[a] * cov[a, b] * gradient[b] } }
            XCTAssertEqual(v[k], expected, accuracy: 1e-12 * max(1, expected))
            XCTAssertGreaterThan(v[k], 0)
        }
        // The fit's noise runs the four folds and keeps the deflated held-out error.
        let noise = full.predictionNoise(runs)
        XCTAssertNotNil(noise.heldOut)
        XCTAssertEqual(noise.folds, 4)
    }
}
