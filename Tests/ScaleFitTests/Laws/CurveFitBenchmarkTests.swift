import Foundation
import XCTest
@testable import ScaleFit

/// The data of `scalefit-bench curves` and of its scipy peer: the two families' change points,
/// and the full-resolution CSV the peer reads giving back the same curves bit for bit.
final class CurveFitBenchmarkTests: XCTestCase {
    func testFamiliesHaveTheDocumentedChangePoints() throws {
        let families = try CurveFitBenchmark.families()
        XCTAssertEqual(families.map(\.slug), ["wsd-family", "cosine-family"])
        let law = MultiPowerLaw()
        let counts = families.map { $0.curves.map { law.prepare(rates: $0.rates, steps: $0.steps).changeCount } }
        XCTAssertEqual(counts, [[2159, 9295, 16496, 2160], [2159, 71936, 9295, 2160]])
        for family in families {
            for curve in family.curves {
                XCTAssertEqual(curve.steps.count, 546)
                XCTAssertEqual(curve.rates.count, 72_000)
            }
        }
    }

    func testFamilyCSVReadsBackToTheSameCurves() throws {
        // Two short curves in the family form (the real ones are 72,000 rows each).
        let steps = Array(stride(from: 40, to: 400, by: 16))
        let curves = try [("cosine", LRSchedule.cosine(peak: 3e-4, warmup: 30, total: 400, final: 0.1)),
                          ("wsd", LRSchedule.wsd(peak: 3e-4, warmup: 30, stable: 250, decay: 120, shape: .oneMinusSqrt, final: 0.1))]
            .map { name, schedule in
                let losses = MultiPowerLaw().predict(schedule: schedule, steps: steps, parameters: CurveFitBenchmark.truth)
                return try LossCurve(name: name, schedule: schedule, steps: steps, losses: losses)
            }
        let family = CurveFitBenchmark.Family(name: "test", slug: "test", curves: curves)
        let table = try RunTableReader.read(string: family.csv, fileName: "test.csv")
        let set = try LossCurveSet(table: table, mapping: try ColumnMapping.detect(in: table))
        XCTAssertEqual(set.dropped.count, 0)
        XCTAssertEqual(set.curves.map(\.name), ["cosine", "wsd"])
        for (read, written) in zip(set.curves, curves) {
            XCTAssertEqual(read.steps, written.steps)
            XCTAssertEqual(read.losses, written.losses)
            XCTAssertEqual(read.rates, written.rates)
        }
    }
}
