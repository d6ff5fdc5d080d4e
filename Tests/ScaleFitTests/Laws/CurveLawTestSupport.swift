import Foundation
import XCTest
@testable import ScaleFit

// Seeded draws come from the library's SeededGenerator (SplitMix64).

enum CurveLawTestSupport {
    /// Random short schedules of several kinds (warmup, plateaus, decays, a rise).
    static func randomSchedules(_ rng: inout SeededGenerator) -> [[Double]] {
        let peak = Double.random(in: 1e-4...1e-3, using: &rng)
        let t = Int.random(in: 60...140, using: &rng)
        let w = Int.random(in: 2...20, using: &rng)
        return [
            LRSchedule.cosine(peak: peak, warmup: w, total: t, final: 0.1).rates(),
            LRSchedule.wsd(peak: peak, warmup: w, stable: t / 2, decay: t / 3, shape: .geometric, final: 0.05).rates(),
            LRSchedule.multistage(warmup: w, stages: [.init(rate: peak, until: t / 2), .init(rate: peak / 3, until: t)]).rates(),
            (0..<t).map { _ in Double.random(in: 0.2...1, using: &rng) * peak },  // η changing up and down
        ]
    }

    /// Logged steps: every few steps from a random start to the end.
    static func loggedSteps(count t: Int, _ rng: inout SeededGenerator) -> [Int] {
        Array(stride(from: Int.random(in: 3...8, using: &rng), to: t, by: Int.random(in: 3...7, using: &rng)))
    }

    /// Asserts the analytic Jacobian of `problem` matches central differences at `x`.
    static func assertJacobianMatches<P: LeastSquaresProblem>(_ problem: P, at x: [Double], tolerance: Double,
                                                              file: StaticString = #filePath, line: UInt = #line) {
        var analytic = Matrix(rows: problem.residualCount, columns: problem.parameterCount)
        problem.jacobian(at: x, into: &analytic)
        let numeric = finiteDifferenceJacobian(of: problem, at: x, scheme: .central)
        for q in 0..<problem.parameterCount {
            let column = numeric.column(q)
            let scale = max(column.map(abs).max() ?? 0, 1e-300)
            for i in 0..<problem.residualCount {
                let error = abs(analytic[i, q] - numeric[i, q]) / scale
                if error > tolerance {
                    XCTFail("column \(q) row \(i): analytic \(analytic[i, q]) numeric \(numeric[i, q]) at \(x)", file: file, line: line)
                    return
                }
            }
        }
    }
}
