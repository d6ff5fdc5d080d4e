import XCTest
import ScaleFit

/// The benchmark `scalefit-bench` runs: both sides compute the same numbers. In a release
/// build (`swift test -c release --filter FormulaBenchmarkTests`) it times 10⁶ points and
/// prints the ratios; the target is at most 3× the hand-written Swift.
final class FormulaBenchmarkTests: XCTestCase {
    func testCompiledAndHandWrittenAgree() throws {
        #if DEBUG
        let result = try benchmarkFormulaEvaluation(points: 3_000, repetitions: 1)
        #else
        let result = try benchmarkFormulaEvaluation(points: 1_000_000, repetitions: 5)
        print(String(format: "formula benchmark, %d points: values %.4f s vs %.4f s (%.2f×), Jacobian %.4f s vs %.4f s (%.2f×)",
                     result.points, result.compiledValueSeconds, result.handWrittenValueSeconds, result.valueRatio,
                     result.compiledJacobianSeconds, result.handWrittenJacobianSeconds, result.jacobianRatio))
        #endif
        XCTAssertLessThan(result.largestRelativeDifference, 1e-13)
        XCTAssertGreaterThan(result.compiledValueSeconds, 0)
        XCTAssertGreaterThan(result.handWrittenJacobianSeconds, 0)
    }
}
