import Foundation
import XCTest
@testable import ScaleFit

/// Wall time of the multi-power-law fit on four 72,000-step curves (`CurveFitBenchmark`).
/// Meaningful only in a release build: `SCALEFIT_PERF=1 swift test -c release --filter
/// CurveFitPerformanceTests`; `scalefit-bench curves` times the same fits. Asserts only that
/// the fits converge to the data's optimum (no timing assertion: speed is a benchmark).
final class CurveFitPerformanceTests: XCTestCase {
    func testFourCurvesOf72000Steps() throws {
        guard ProcessInfo.processInfo.environment["SCALEFIT_PERF"] == "1" else {
            throw XCTSkip("set SCALEFIT_PERF=1 and build with -c release to time the fit")
        }
        for family in try CurveFitBenchmark.families() {
            let t = try CurveFitBenchmark.run(family)
            print("PERF \(t.family): change points \(t.changePoints); grid fit (\(t.fit.search.startsTried) starts) "
                  + "\(t.seconds) s, cost \(t.fit.objective), \(t.fit.summary!.message)")
            XCTAssertTrue(t.fit.summary!.converged, t.fit.summary!.message)
            // Generated from the published parameters with ±0.1% noise: L0 and A come back
            // close (the decay parameters are weakly identified by design of the schedules).
            XCTAssertEqual(t.fit.parameters[0], CurveFitBenchmark.truth[0], accuracy: 0.01)
        }
    }
}
