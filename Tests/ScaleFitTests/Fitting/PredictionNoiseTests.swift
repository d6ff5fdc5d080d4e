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
}
