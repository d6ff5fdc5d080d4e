import XCTest
@testable import ScaleFit

final class RobustLossTests: XCTestCase {
    /// ρ, ρ′, ρ″ against hand-written formulas on both sides of the scale.
    func testLossValuesAndDerivatives() {
        let c = 2.0, b = 4.0
        for s in [0.0, 1.0, 4.0, 9.0, 100.0] {
            let h = RobustLoss.huber(scale: c).evaluate(s)
            if s <= b {
                XCTAssertEqual(h.rho, s); XCTAssertEqual(h.first, 1); XCTAssertEqual(h.second, 0)
            } else {
                XCTAssertEqual(h.rho, 2 * c * s.squareRoot() - b, accuracy: 1e-14)
                XCTAssertEqual(h.first, c / s.squareRoot(), accuracy: 1e-14)
                XCTAssertEqual(h.second, -c / (2 * s * s.squareRoot()), accuracy: 1e-14)
            }
            let l = RobustLoss.softL1(scale: c).evaluate(s)
            XCTAssertEqual(l.rho, 2 * b * ((1 + s / b).squareRoot() - 1), accuracy: 1e-13)
            XCTAssertEqual(l.first, 1 / (1 + s / b).squareRoot(), accuracy: 1e-14)
            XCTAssertEqual(l.second, -0.5 / b * pow(1 + s / b, -1.5), accuracy: 1e-14)
            let k = RobustLoss.cauchy(scale: c).evaluate(s)
            XCTAssertEqual(k.rho, b * log(1 + s / b), accuracy: 1e-13)
            XCTAssertEqual(k.first, 1 / (1 + s / b), accuracy: 1e-14)
            XCTAssertEqual(k.second, -1 / (b * (1 + s / b) * (1 + s / b)), accuracy: 1e-14)
            let a = RobustLoss.arctan(scale: c).evaluate(s)
            XCTAssertEqual(a.rho, b * atan(s / b), accuracy: 1e-13)
            XCTAssertEqual(a.first, 1 / (1 + (s / b) * (s / b)), accuracy: 1e-14)
            XCTAssertEqual(a.second, -2 * s / (b * b) / pow(1 + (s / b) * (s / b), 2), accuracy: 1e-14)
        }
    }

    /// ½ρ(r²) with Huber is Hoffmann et al.'s (and PyTorch's) Huber loss.
    func testHalfHuberIsTheClassicHuberLoss() {
        let d = 1e-3
        for r in [0.0, 5e-4, 1e-3, 2e-3, -0.5] {
            let classic = abs(r) <= d ? 0.5 * r * r : d * (abs(r) - 0.5 * d)
            XCTAssertEqual(0.5 * RobustLoss.huber(scale: d).evaluate(r * r).rho, classic, accuracy: 1e-18)
        }
    }

    /// The Huber M-estimate of location of {0,0,0,0,10} with δ = 1 solves 4x − 1 = 0: x = 0.25.
    func testHuberLocationWithAnOutlierIsExact() throws {
        let r = try LevenbergMarquardt(options: SolverOptions(loss: .huber(scale: 1)))
            .minimize(Location(y: [0, 0, 0, 0, 10]), from: [5])
        XCTAssertTrue(r.summary.converged, r.summary.message)
        XCTAssertEqual(r.parameters[0], 0.25, accuracy: 1e-12)
        // The cost is ½Σρ: four residuals of 0.25 inside, one of 9.75 outside.
        XCTAssertEqual(r.cost, 4 * 0.5 * 0.0625 + (9.75 - 0.5), accuracy: 1e-12)
    }

    /// For the other losses the estimate satisfies Σ ψ(x − yᵢ) = 0 with ψ(r) = r·ρ′(r²).
    func testRobustLocationSatisfiesItsFirstOrderCondition() throws {
        let y: [Double] = [0, 0.1, -0.2, 0.05, 10]
        for loss in [RobustLoss.softL1(scale: 1), .cauchy(scale: 1), .arctan(scale: 1)] {
            let r = try LevenbergMarquardt(options: SolverOptions(loss: loss))
                .minimize(Location(y: y), from: [0.5])
            XCTAssertTrue(r.summary.converged, "\(loss): \(r.summary.message)")
            let psi = y.map { let e = r.parameters[0] - $0; return e * loss.evaluate(e * e).first }
            XCTAssertEqual(psi.reduce(0, +), 0, accuracy: 1e-10, "\(loss)")
            XCTAssertLessThan(abs(r.parameters[0]), 0.3, "\(loss) should discount the outlier")
        }
        let plain = try LevenbergMarquardt().minimize(Location(y: y), from: [0.5])
        XCTAssertEqual(plain.parameters[0], y.reduce(0, +) / 5, accuracy: 1e-12)
    }

    func testSpecStringsRoundTripAndRejectNonsense() throws {
        for loss in [RobustLoss.l2, .huber(scale: 0.001), .softL1(scale: 0.5), .cauchy(scale: 2), .arctan(scale: 3)] {
            XCTAssertEqual(try RobustLoss(spec: loss.spec), loss)
        }
        XCTAssertEqual(try RobustLoss(spec: "huber:1e-3"), .huber(scale: 1e-3))
        XCTAssertThrowsError(try RobustLoss(spec: "tukey:1")) { e in
            XCTAssertEqual((e as? ScaleFitError)?.exitCode, 64)
        }
        XCTAssertThrowsError(try RobustLoss(spec: "huber")) { e in
            XCTAssertEqual(e as? ScaleFitError,
                           .badArgument(flag: "spec", position: 6, expected: "a scale after 'huber:' (e.g. huber:1e-3)",
                                        found: "huber"))
        }
        XCTAssertThrowsError(try RobustLoss(spec: "huber:-1")) { e in
            XCTAssertEqual(e as? ScaleFitError,
                           .badArgument(flag: "spec", position: 7, expected: "a positive finite scale", found: "-1"))
        }
    }
}
