import XCTest
import ScaleFit

final class KaplanLawTests: XCTestCase {
    private var grid: (n: [Double], d: [Double]) {
        var n: [Double] = [], d: [Double] = []
        for ni in [1e6, 1e7, 1e8, 1e9, 1e10] { for di in [1e8, 1e9, 1e10, 1e11, 1e12] { n.append(ni); d.append(di) } }
        return (n, d)
    }

    func testJacobianMatchesCentralDifferences() {
        let (n, d) = grid
        let l = zip(n, d).map { KaplanLaw.Parameters.published.loss(parameters: $0, tokens: $1) }
        let p = KaplanLogProblem(parameters: n, tokens: d, loss: l)
        let points = [KaplanLaw.Parameters.published.fittedParameters, [20.0, 25.0, 0.3, 0.2], [35.0, 15.0, 0.05, 0.4], [25.0, 25.0, 0.1, 0.1]]
        for x in points {
            var j = Matrix(rows: n.count, columns: 4)
            p.jacobian(at: x, into: &j)
            let fd = finiteDifferenceJacobian(of: p, at: x)
            for k in 0..<j.storage.count {
                XCTAssertEqual(j.storage[k], fd.storage[k], accuracy: 1e-7 * max(1, abs(fd.storage[k])), "at \(x), entry \(k)")
            }
        }
    }

    func testLossMatchesEquationOneFive() {
        let k = KaplanLaw.Parameters(Nc: 1e13, Dc: 1e12, alphaN: 0.08, alphaD: 0.1)
        let expected = pow(pow(1e13 / 1e9, 0.8) + 1e12 / 1e10, 0.1)
        XCTAssertEqual(k.loss(parameters: 1e9, tokens: 1e10), expected, accuracy: 1e-12 * expected)
        XCTAssertEqual(KaplanLaw.Parameters(fittedParameters: k.fittedParameters).Nc, 1e13, accuracy: 1e-2)
    }

    func testGridIsTwoHundredFiftySixStartsAboveTheData() {
        let (n, d) = grid
        let g = KaplanLaw.startingGrid(parameters: n, tokens: d)
        XCTAssertEqual(g.count, 256)
        XCTAssertEqual(g.first![0], log(1e10), accuracy: 1e-12)
        XCTAssertEqual(g.last![1], log(1e12) + 15, accuracy: 1e-12)
    }

    /// Kaplan's law fitted to runs on the protocol, and its (N_c, D_c, α_N, α_D).
    private func fitKaplan(_ n: [Double], _ d: [Double], _ loss: [Double]) throws -> (fit: Fit<KaplanLaw>, law: KaplanLaw.Parameters) {
        let f = try Fit(KaplanLaw(), to: try ModelRuns(N: n, D: d, loss: loss))
        return (f, KaplanLaw.Parameters(fittedParameters: f.parameters))
    }

    func testRecoversKnownParametersFromNoiselessData() throws {
        let (n, d) = grid
        let truth = KaplanLaw.Parameters.published
        let l = zip(n, d).map { truth.loss(parameters: $0, tokens: $1) }
        let fit = try fitKaplan(n, d, l)
        XCTAssertEqual(fit.law.alphaN, truth.alphaN, accuracy: 1e-6)
        XCTAssertEqual(fit.law.alphaD, truth.alphaD, accuracy: 1e-6)
        XCTAssertEqual(fit.fit.parameters[0], log(truth.Nc), accuracy: 1e-6)
        XCTAssertEqual(fit.fit.parameters[1], log(truth.Dc), accuracy: 1e-6)
        XCTAssertLessThan(fit.fit.objective, 1e-20)
    }

    func testRecoversKnownParametersFromOnePercentNoise() throws {
        let (n, d) = grid
        let truth = KaplanLaw.Parameters.published
        var g = SeededGenerator(seed: 11)
        let l = zip(n, d).map { truth.loss(parameters: $0, tokens: $1) * exp(0.01 * (g.nextUnit() * 2 - 1) * 3.0.squareRoot()) }
        let fit = try fitKaplan(n, d, l)
        // Measured (seed 11): n_c 32.09 (truth 31.79), d_c 31.05 (30.52), α_N 0.0748, α_D 0.0981.
        XCTAssertEqual(fit.law.alphaN, truth.alphaN, accuracy: 0.005)
        XCTAssertEqual(fit.law.alphaD, truth.alphaD, accuracy: 0.01)
        XCTAssertEqual(fit.fit.parameters[0], log(truth.Nc), accuracy: 1)
        XCTAssertEqual(fit.fit.parameters[1], log(truth.Dc), accuracy: 1)
        for (ni, di) in zip(n, d) {
            let t = truth.loss(parameters: ni, tokens: di)
            XCTAssertEqual(fit.law.loss(parameters: ni, tokens: di), t, accuracy: 0.02 * t)  // 2σ: corner points are extrapolations
        }
    }

    func testRejectsMismatchedColumns() {
        XCTAssertThrowsError(try fitKaplan([1, 2, 3, 4], [1, 2, 3], [1, 2, 3, 4]))
        XCTAssertThrowsError(try fitKaplan([1, 2, 3], [1, 2, 3], [1, 2, 3])) { error in
            XCTAssertEqual(error as? ScaleFitError, .fitFailed(reason: "the kaplan law has 4 free parameters; 3 points cannot determine them"))
        }
    }

    /// The closed-form compute-optimal N* of Kaplan's law is the minimum of L(N, C/(6N))
    /// found by a fine search in log N, at several budgets.
    func testComputeOptimalAllocationMinimisesTheLossOnTheBudget() {
        let truth = KaplanLaw.Parameters.published
        for c in [1e19, 1e21, 1e23] {
            let plan = KaplanLaw().allocation(compute: c, parameters: truth.fittedParameters)
            XCTAssertEqual(plan.tokens * plan.parameters * 6, c, accuracy: 1e-9 * c)
            XCTAssertEqual(plan.loss, truth.loss(parameters: plan.parameters, tokens: plan.tokens), accuracy: 1e-14)
            var best = (n: 0.0, loss: Double.infinity)
            for k in 0...40_000 {
                let n = exp(log(1e5) + Double(k) * (log(1e14) - log(1e5)) / 40_000)
                let l = truth.loss(parameters: n, tokens: c / (6 * n))
                if l < best.loss { best = (n, l) }
            }
            XCTAssertEqual(log(plan.parameters), log(best.n), accuracy: 1e-3, "C = \(c)")
            XCTAssertLessThanOrEqual(plan.loss, best.loss + 1e-15)
        }
    }

    /// `optimal --compute` for any fit through the registry: Kaplan's allocation with the
    /// bootstrap's intervals (each resample's own optimum), and none for a law without one.
    func testAllocationsThroughTheRegistryCarryTheBootstrapIntervals() throws {
        let (n, d) = grid
        var g = SeededGenerator(seed: 9)
        let l = zip(n, d).map { KaplanLaw.Parameters.published.loss(parameters: $0, tokens: $1) * exp(0.01 * (2 * g.nextUnit() - 1)) }
        let runs = try ModelRuns(N: n, D: d, loss: l)
        let fit = try Fit(KaplanLaw(), to: runs).bootstrapped(runs, samples: 40, seed: 1)
        let opened = try LawRegistry.fit(fit.file, source: "k.json")
        let plans = try XCTUnwrap(opened.allocations(compute: [1e22]))
        XCTAssertEqual(plans[0].allocation, fit.allocation(compute: 1e22))
        let intervals = try XCTUnwrap(plans[0].intervals)
        XCTAssertEqual(intervals.map(\.name), ["params*", "tokens*", "tokens_per_param*", "loss*"])
        XCTAssertLessThan(intervals[0].lower, plans[0].allocation.parameters * 1.5)
        XCTAssertGreaterThan(intervals[0].upper, plans[0].allocation.parameters / 1.5)
        XCTAssertLessThanOrEqual(intervals[0].lower, intervals[0].upper)
        let power = try Fit(SaturatingPowerLaw(variable: "params"), to: try PowerLawRuns(x: n, loss: l, variable: "params"))
        XCTAssertNil(try LawRegistry.fit(power.file).allocations(compute: [1e22]))
    }
}
