import Foundation
import XCTest
@testable import ScaleFit

/// The multilingual fit's bootstrap through the one `Bootstrap`: rows resampled within each
/// family (`ResamplableObservations.strata`), intervals per FAMILY.NAME, deterministic for a seed.
final class MultilingualBootstrapTests: XCTestCase {
    /// A stratified resample draws every unit from its own stratum, so each stratum keeps its
    /// size; without strata the draws are those of one stratum of every unit.
    func testAStratifiedResampleDrawsEachUnitFromItsOwnStratum() {
        let strata = [0, 1, 0, 1, 2, 0, 1]
        let draws = Bootstrap.resample(units: 7, strata: strata, samples: 50, seed: 3) { $0 }.compactMap { $0 }
        XCTAssertEqual(draws.count, 50)
        for indices in draws {
            XCTAssertEqual(indices.map { strata[$0] }, strata)
        }
        XCTAssertEqual(Set(draws.flatMap { $0 }), Set(0..<7), "every unit is drawn in some resample")
        let plain = Bootstrap.resample(units: 7, samples: 20, seed: 3) { $0 }
        XCTAssertEqual(Bootstrap.resample(units: 7, strata: Array(repeating: 5, count: 7), samples: 20, seed: 3) { $0 }, plain)
    }

    func testResampledDataKeepTheFamiliesAndTheirRows() throws {
        let data = try MultilingualTestData.make()
        XCTAssertEqual(data.strata, data.family)
        let r = data.resampled([2, 2, 0])
        XCTAssertEqual(r.familyNames, data.familyNames)
        XCTAssertEqual(r.family, [data.family[2], data.family[2], data.family[0]])
        XCTAssertEqual(r.loss, [data.loss[2], data.loss[2], data.loss[0]])
        XCTAssertEqual(r.runs, [data.runs[2], data.runs[2], data.runs[0]])
        XCTAssertEqual(r.summary.rows, 3)
    }

    /// 108 rows (3 families × 36 runs, 1% noise), 12 resamples: the same seed gives the same
    /// bootstrap, another seed another; every family's six parameters get an interval, and
    /// each γ's median lies within two delta-method standard errors of the fit's estimate.
    func testIntervalsPerFamilyAreDeterministicForASeed() throws {
        let data = try MultilingualTestData.make(noise: 0.01, seed: 5)
        let fit = try MultilingualFit(data: data, options: MultilingualFitOptions(starts: MultilingualTestData.starts))
        let b = try fit.bootstrap(data, samples: 12, seed: 7)
        XCTAssertEqual(try fit.bootstrap(data, samples: 12, seed: 7), b)
        XCTAssertNotEqual(try fit.bootstrap(data, samples: 12, seed: 8).intervals, b.intervals)
        XCTAssertEqual(b.samples, 12)
        XCTAssertEqual(b.seed, 7)
        XCTAssertEqual(b.failed, 0)
        XCTAssertEqual(b.intervals.map(\.name), ["en", "zh", "hi"].flatMap { f in
            ["E", "A", "B", "alpha", "beta", "gamma"].map { "\(f).\($0)" } })
        XCTAssertTrue(b.draws.allSatisfy { $0.count == 18 })
        for (f, truth) in MultilingualTestData.truth.enumerated() {
            let gamma = b.intervals[6 * f + 5], e = b.intervals[6 * f]
            XCTAssertLessThan(gamma.lower, gamma.upper, truth.name)
            XCTAssertLessThan(abs(gamma.median - fit.familyParameters(f)[5]), 2 * fit.standardErrors(f)[5], truth.name)
            XCTAssertEqual(e.median, exp(b.draws.map { $0[6 * f] }.sorted()[5]) * 0.5 + exp(b.draws.map { $0[6 * f] }.sorted()[6]) * 0.5,
                           accuracy: 1e-12, "E's interval is of exp(e)")
        }
        XCTAssertThrowsError(try fit.bootstrap(data, samples: 0)) {
            XCTAssertEqual($0 as? ScaleFitError, .badArgument(flag: "samples", position: 0, expected: "a number of resamples in 1…100000", found: "0"))
        }
    }

    /// With γ shared, each resample is one joint refit and every family's γ interval is the same.
    func testASharedParameterHasOneIntervalInEveryFamily() throws {
        let data = try MultilingualTestData.make(noise: 0.01, seed: 5)
        let fit = try MultilingualFit(data: data, options: MultilingualFitOptions(shared: [5], starts: MultilingualTestData.starts))
        let b = try fit.bootstrap(data, samples: 10, seed: 1)
        XCTAssertEqual(b.failed, 0)
        let gammas = b.intervals.filter { $0.name.hasSuffix(".gamma") }
        XCTAssertEqual(gammas.count, 3)
        XCTAssertEqual(Set(gammas.map { [$0.lower, $0.median, $0.upper] }).count, 1)
    }
}
