import XCTest
import ScaleFit

final class PowerLawTests: XCTestCase {
    private let xs: [Double] = [1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9, 3e9, 1e10]

    /// The power law fitted to (x, loss) on the protocol, and its (E, A, α).
    private func fitPowerLaw(_ x: [Double], _ loss: [Double], pureFloor: Bool = false) throws -> (fit: Fit<SaturatingPowerLaw>, law: SaturatingPowerLaw.Parameters) {
        let f = try Fit(SaturatingPowerLaw(pureFloor: pureFloor), to: try PowerLawRuns(x: x, loss: loss))
        return (f, SaturatingPowerLaw.Parameters(fittedParameters: f.parameters))
    }

    /// Deterministic multiplicative noise exp(σ·z), z uniform on [−√3, √3] (unit variance).
    private func noisy(_ l: [Double], sigma: Double, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return l.map { $0 * exp(sigma * (g.nextUnit() * 2 - 1) * 3.0.squareRoot()) }
    }

    func testJacobianMatchesCentralDifferences() {
        let truth = SaturatingPowerLaw.Parameters(E: 1.7, A: 120, alpha: 0.3)
        let p = SaturatingPowerLawProblem(x: xs, loss: xs.map(truth.loss(at:)))
        for x in [[1.7, log(120.0), 0.3], [0.0, 2.0, 0.1], [3.0, 10.0, 1.2], [0.5, -1.0, 0.0]] {
            var j = Matrix(rows: xs.count, columns: 3)
            p.jacobian(at: x, into: &j)
            let fd = finiteDifferenceJacobian(of: p, at: x)
            for k in 0..<j.storage.count {
                XCTAssertEqual(j.storage[k], fd.storage[k], accuracy: 1e-7 * max(1, abs(fd.storage[k])), "at \(x), entry \(k)")
            }
        }
    }

    func testGridIsFortyStartsAndEightWithTheFloorFixed() {
        let l = xs.map { 2 + 50 * pow($0, -0.2) }
        XCTAssertEqual(SaturatingPowerLaw.startingGrid(x: xs, loss: l).count, 40)
        let pure = SaturatingPowerLaw.startingGrid(x: xs, loss: l, floorFixedAtZero: true)
        XCTAssertEqual(pure.count, 8)
        XCTAssertTrue(pure.allSatisfy { $0[0] == 0 && $0[1].isFinite })
    }

    func testRecoversKnownParametersFromNoiselessData() throws {
        let truth = SaturatingPowerLaw.Parameters(E: 1.7, A: 120, alpha: 0.3)
        let fit = try fitPowerLaw(xs, xs.map(truth.loss(at:)))
        XCTAssertEqual(fit.law.E, 1.7, accuracy: 1e-6)
        XCTAssertEqual(fit.law.alpha, 0.3, accuracy: 1e-6)
        XCTAssertEqual(fit.law.A, 120, accuracy: 120 * 1e-6)
        XCTAssertLessThan(fit.fit.objective, 1e-20)
    }

    func testRecoversKnownParametersFromOnePercentNoise() throws {
        let truth = SaturatingPowerLaw.Parameters(E: 1.7, A: 120, alpha: 0.3)
        let l = noisy(xs.map(truth.loss(at:)), sigma: 0.01, seed: 7)
        let fit = try fitPowerLaw(xs, l)
        // Measured (seed 7): E 1.658, α 0.2825.
        XCTAssertEqual(fit.law.E, 1.7, accuracy: 0.15)
        XCTAssertEqual(fit.law.alpha, 0.3, accuracy: 0.04)
        for x in xs { XCTAssertEqual(fit.law.loss(at: x), truth.loss(at: x), accuracy: 0.02 * truth.loss(at: x)) }
    }

    func testPurePowerLawKeepsTheFloorAtZero() throws {
        let truth = SaturatingPowerLaw.Parameters(E: 0, A: 40, alpha: 0.15)
        let fit = try fitPowerLaw(xs, xs.map(truth.loss(at:)), pureFloor: true)
        XCTAssertEqual(fit.law.E, 0)
        XCTAssertEqual(fit.law.alpha, 0.15, accuracy: 1e-9)
        XCTAssertEqual(fit.law.A, 40, accuracy: 40 * 1e-8)
        // On data with a real floor the pure law still keeps E = 0 and absorbs it into α.
        let floored = SaturatingPowerLaw.Parameters(E: 1.7, A: 120, alpha: 0.3)
        let fit2 = try fitPowerLaw(xs, xs.map(floored.loss(at:)), pureFloor: true)
        XCTAssertEqual(fit2.law.E, 0)
        XCTAssertEqual(fit2.fit.parameters[0], 0)
        XCTAssertLessThan(fit2.law.alpha, 0.3)
    }

    func testFloorBoundHoldsWhenDataFallFasterThanAPowerLaw() throws {
        // Losses whose log-log slope steepens: the unconstrained optimum would want E < 0.
        let l = xs.map { 50 * pow($0, -0.1) - 1.5 }
        let fit = try fitPowerLaw(xs, l)
        XCTAssertEqual(fit.law.E, 0, "the floor should sit on its bound")
        XCTAssertGreaterThanOrEqual(fit.law.alpha, 0)
    }

    func testRejectsTooFewOrNonPositivePoints() {
        XCTAssertThrowsError(try fitPowerLaw([1, 2], [3, 2])) { error in
            XCTAssertEqual(error as? ScaleFitError, .fitFailed(reason: "the power law has 3 free parameters; 2 points cannot determine them"))
        }
        XCTAssertThrowsError(try fitPowerLaw([1, 2, 3], [3, 0, 1]))
        XCTAssertThrowsError(try fitPowerLaw([1, 2, 3], [3, 2])) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: "<data>", reason: "3 values of x and 2 losses: one of each per run is needed"))
        }
        XCTAssertThrowsError(try fitPowerLaw([1, 2, .nan], [3, 2, 1]))
        XCTAssertNoThrow(try fitPowerLaw([1, 2], [3, 2], pureFloor: true))
    }
}
