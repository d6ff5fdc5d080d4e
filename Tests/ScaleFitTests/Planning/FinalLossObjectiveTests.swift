import Foundation
import XCTest
@testable import ScaleFit

/// The final-loss objective of the schedule optimiser: its value is the law's prediction at
/// step T − 1, and its gradient with respect to every η_t matches central differences.
final class FinalLossObjectiveTests: XCTestCase {
    static let multipower: [Double] = [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257]
    static let annealing: [Double] = [2.8, 0.9, 0.45, 3.0]

    /// A non-increasing schedule with a warmup, a few sharp drops and a smooth stretch.
    static func rates(_ steps: Int = 300, warmup: Int = 20) -> [Double] {
        (0..<steps).map { i in
            if i < warmup { return LRSchedule.warmupRate(i, warmup, 3e-4) }
            let u = Double(i - warmup) / Double(steps - warmup)
            return u < 0.5 ? 3e-4 : (u < 0.7 ? 2e-4 - 1e-4 * (u - 0.5) : (u < 0.9 ? 9e-5 : 3e-5))
        }
    }

    func laws() -> [(String, any CurveFittingLaw, [Double])] {
        [("multipower repository", MultiPowerLaw(), Self.multipower),
         ("multipower paper", MultiPowerLaw(convention: .paper), Self.multipower),
         ("annealing", AnnealingLaw(), Self.annealing),
         ("annealing as scheduled", AnnealingLaw(warmup: .asScheduled), Self.annealing),
         ("annealing lambda fitted", AnnealingLaw(momentum: .fitted), Self.annealing + [0.99])]
    }

    func testValueIsThePredictionAtTheLastStep() {
        let eta = Self.rates()
        for (name, law, theta) in laws() {
            let objective = FinalLossObjective(law: law, parameters: theta)!
            let predicted = law.predict(rates: eta, steps: [eta.count - 1], parameters: theta)[0]
            XCTAssertEqual(objective.value(eta), predicted, accuracy: 1e-12, name)
        }
    }

    func testGradientMatchesCentralDifferences() {
        let eta = Self.rates()
        for (name, law, theta) in laws() {
            let objective = FinalLossObjective(law: law, parameters: theta)!
            var gradient: [Double] = []
            _ = objective.value(eta, gradient: &gradient)
            var worst = 0.0
            // Every step but the warmup's top (where the annealing law's warmup rule switches).
            for j in stride(from: 1, to: eta.count, by: 7) where j != 19 {
                let h = 1e-5 * eta[j]
                var up = eta, down = eta
                up[j] += h; down[j] -= h
                let numeric = (objective.value(up) - objective.value(down)) / (2 * h)
                worst = max(worst, abs(numeric - gradient[j]) / max(abs(numeric), 1e-3))
            }
            XCTAssertLessThan(worst, 1e-5, name)
        }
    }

    func testDecrementGradientMatchesCentralDifferences() throws {
        let c = try ScheduleConstraints(steps: 300, peak: 3e-4, warmup: 20, minimumRate: 1e-5)
        let law = MultiPowerLaw()
        let objective = FinalLossObjective(law: law, parameters: Self.multipower)!
        // Below the peak after the warmup, above η_min at the end: every central difference is feasible.
        let z = c.decrements(rates: Self.rates().enumerated().map { $0.offset < 20 ? $0.element : 0.95 * $0.element })
        var rateGradient: [Double] = [], g = [Double](repeating: 0, count: z.count)
        _ = objective.value(c.rates(decrements: z), gradient: &rateGradient)
        c.decrementGradient(rateGradient, into: &g)
        for k in stride(from: 0, to: z.count, by: 11) {
            let h = 1e-6
            var up = z, down = z
            up[k] += h; down[k] -= h
            let numeric = (objective.value(c.rates(decrements: up)) - objective.value(c.rates(decrements: down))) / (2 * h)
            XCTAssertEqual(g[k], numeric, accuracy: 1e-6 * max(abs(numeric), 1e-3), "z_\(k)")
        }
    }
}
