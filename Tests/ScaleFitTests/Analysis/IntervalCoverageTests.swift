import Foundation
import XCTest
@testable import ScaleFit

/// Does `predict`'s 95% prediction interval cover fresh noisy observations about 95% of the
/// time? A few seeded trials of data drawn from a law with known parameters (the 200-trial
/// figures are `scalefit-bench coverage`, README). Small so the suite stays fast: the
/// Chinchilla trials use a 32-start grid around Hoffmann's law instead of the 4,500 starts.
final class IntervalCoverageTests: XCTestCase {
    /// The annealing law on three 4,000-step curves with 0.5% noise: 6 trials, 1,296 fresh
    /// points, inside the prediction interval 90–99% of the time, and far more often than
    /// inside the band (which covers the law's value, not an observation).
    func testAnnealingPredictionIntervalCoversFreshPoints() throws {
        let schedules = try ["constant:peak=3e-4,warmup=400,total=4000", "cosine:peak=3e-4,warmup=400,total=4000,final=0.1",
                             "wsd:peak=3e-4,warmup=400,stable=2800,decay=800,shape=linear,final=0.1"].map { try LRSchedule(spec: $0) }
        let r = IntervalCoverage.curves(law: AnnealingLaw(), truth: [3.37, 0.27, 0.87, 0.5], schedules: schedules,
                                        first: 400, every: 50, trials: 6)
        XCTAssertEqual(r.failed, 0)
        XCTAssertEqual(r.points, 6 * 3 * 72)
        XCTAssertGreaterThanOrEqual(r.coverage, 0.90, "\(r)")
        XCTAssertLessThanOrEqual(r.coverage, 0.99, "\(r)")
        XCTAssertLessThan(r.bandCoverage, r.coverage)
        // Same seed, same result.
        XCTAssertEqual(IntervalCoverage.curves(law: AnnealingLaw(), truth: [3.37, 0.27, 0.87, 0.5], schedules: schedules,
                                               first: 400, every: 50, trials: 6), r)
    }

    /// Chinchilla tables of 30 runs with 1% noise: 12 trials, 360 fresh points, 88–100%
    /// inside the prediction interval (few points per trial: a loose bound).
    func testChinchillaPredictionIntervalCoversFreshPoints() {
        let t = IntervalCoverage.chinchillaTruth.logParameters
        let grid = StartGrid.cartesian([[t[0] - 0.3, t[0] + 0.3], [t[1] - 1, t[1] + 1], [t[2] - 1, t[2] + 1],
                                        [0.25, 0.45], [0.2, 0.4]])
        let r = IntervalCoverage.chinchilla(trials: 12, law: ChinchillaLaw(grid: grid))
        XCTAssertEqual(r.failed, 0)
        XCTAssertEqual(r.points, 360)
        XCTAssertGreaterThanOrEqual(r.coverage, 0.88, "\(r)")
        XCTAssertLessThan(r.bandCoverage, r.coverage)
    }
}
