import Foundation
import XCTest
@testable import ScaleFit

/// Hoffmann's approach 1 on loss curves of Chinchilla's law: the envelope's winner at each
/// budget, the flags at the smallest and largest sizes, the errors and the bootstrap.
final class LossEnvelopeTests: XCTestCase {
    static let law = ChinchillaLaw.Parameters(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)

    /// Curves of `sizes`, 60 points each from 10⁷ to 10¹² tokens, exactly on the law.
    static func curves(_ sizes: [Double]) throws -> TrainingCurves {
        TrainingCurves(curves: try sizes.enumerated().map { k, n in
            let d = (0..<60).map { pow(10, 7 + 5 * Double($0) / 59) }
            return try TrainingCurves.Curve(name: "m\(k)", parameters: n, tokens: d, loss: d.map { law.loss(parameters: n, tokens: $0) })
        })
    }

    func testDenseSizesRecoverTheExponent() throws {
        // 25 sizes 0.1 decade apart: the winner staircase follows N* ∝ C^(β/(α+β)) to its step.
        let sizes = (0..<25).map { pow(10, 7 + 0.1 * Double($0)) }
        let fit = try LossEnvelope(try Self.curves(sizes), options: .init(bootstrapSamples: 0))
        XCTAssertEqual(fit.law.a, 0.28 / 0.62, accuracy: 0.01)
        XCTAssertEqual(fit.law.b, 0.34 / 0.62, accuracy: 0.01)
        XCTAssertGreaterThan(fit.used, 20)
        // Each used budget's winner is within a size step (0.1 decade) of the law's own optimum.
        for p in fit.points where p.isUsed {
            let star = ComputeOptimalAllocation(law: Self.law, compute: p.compute).parameters
            XCTAssertLessThanOrEqual(abs(log10(p.parameters / star)), 0.1, "\(p)")
        }
        // The smallest size wins the smallest budgets and is flagged there.
        XCTAssertFalse(fit.points.first!.isUsed)
        XCTAssertEqual(fit.points.first!.parameters, sizes[0])
    }

    func testTheEnvelopeIsTheLowestCurveAtEachBudget() throws {
        let data = try Self.curves([1e8, 3e8, 1e9])
        let points = LossEnvelope.envelope(data.curves, binWidth: 0.5)
        XCTAssertEqual(points.first!.compute, 1e16, accuracy: 1) // the first 10^(k/2) above 6·1e8·1e7
        for p in points {
            let losses = data.curves.compactMap { $0.loss(atCompute: p.compute) }
            XCTAssertEqual(p.loss, losses.min()!)
            XCTAssertEqual(p.curves, losses.count)
        }
    }

    func testInterpolationIsLinearInLogCompute() throws {
        let c = try TrainingCurves.Curve(name: "a", parameters: 1, tokens: [1, 100], loss: [3, 1])
        XCTAssertEqual(c.loss(atCompute: 60)!, 2, accuracy: 1e-12) // C = 6·N·D: 6 and 600, midpoint 60
        XCTAssertNil(c.loss(atCompute: 5))
        XCTAssertNil(c.loss(atCompute: 601))
    }

    func testTooFewSizesAndBadCurvesAreBadData() throws {
        XCTAssertThrowsError(try LossEnvelope(try Self.curves([1e8, 1e9]))) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "<data>", reason: "the loss envelope needs curves of at least 3 model sizes (an interior optimum has a smaller and a larger size beside it), found 2"))
        }
        XCTAssertThrowsError(try TrainingCurves.Curve(name: "x", parameters: 1e8, tokens: [1, 1], loss: [3, 2], file: "c.csv")) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "c.csv", reason: "run x: two points at 1.0 tokens"))
        }
    }

    func testTheBootstrapOverCurvesIsSeeded() throws {
        let sizes = (0..<12).map { pow(10, 7 + 0.2 * Double($0)) }
        let a = try LossEnvelope(try Self.curves(sizes), options: .init(bootstrapSamples: 100, seed: 5))
        let b = try LossEnvelope(try Self.curves(sizes), options: .init(bootstrapSamples: 100, seed: 5))
        XCTAssertEqual(a.bootstrap, b.bootstrap)
        let i = a.bootstrap!.exponentIntervals[0]
        XCTAssertTrue(i.lower <= a.law.a && a.law.a <= i.upper, "\(i)")
        let file = FitFile(envelope: a, rows: 720, droppedRows: 0)
        XCTAssertEqual(try FitFile.decode(try file.encoded(), file: "e.json"), file)
        XCTAssertEqual(file.settings?["approach"], "1")
    }
}
