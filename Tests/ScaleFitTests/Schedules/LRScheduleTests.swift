import Foundation
import XCTest
@testable import ScaleFit

final class LRScheduleTests: XCTestCase {
    func testWarmupIsLinspaceFromZeroToPeak() {
        let s = LRSchedule.constant(peak: 3e-4, warmup: 2160, total: 24000)
        XCTAssertEqual(s.rate(at: 0), 0)
        XCTAssertEqual(s.rate(at: 2159), 3e-4)
        XCTAssertEqual(s.rate(at: 1080), 3e-4 * 1080 / 2159, accuracy: 1e-20)
        XCTAssertEqual(s.rate(at: 2160), 3e-4)
        XCTAssertEqual(s.rates().count, 24000)
    }

    func testCosineLinearAndWSDValuesAtKnownSteps() {
        let cosine = LRSchedule.cosine(peak: 3e-4, warmup: 2160, total: 24000, final: 0.1)
        XCTAssertEqual(cosine.rate(at: 2160), 3e-4, accuracy: 1e-19)
        XCTAssertEqual(cosine.rate(at: 2160 + 10920), 3e-5 + 0.5 * 2.7e-4, accuracy: 1e-18)  // halfway
        // The logged value of the real cosine_24000 file at step 23920.
        XCTAssertEqual(cosine.rate(at: 23920), 3.000893868085248e-05, accuracy: 1e-18)
        let linear = LRSchedule.linear(peak: 1e-3, warmup: 0, total: 1000, final: 0)
        XCTAssertEqual(linear.rate(at: 500), 5e-4, accuracy: 1e-18)
        let geometric = LRSchedule.wsd(peak: 3e-4, warmup: 2160, stable: 17840, decay: 4000, shape: .geometric, final: 0.1)
        XCTAssertEqual(geometric.totalSteps, 24000)
        XCTAssertEqual(geometric.rate(at: 19999), 3e-4)
        XCTAssertEqual(geometric.rate(at: 20000), 3e-4, accuracy: 1e-19)
        XCTAssertEqual(geometric.rate(at: 22000), (3e-4 * 3e-5).squareRoot(), accuracy: 1e-18)
        XCTAssertEqual(geometric.rate(at: 23904), 3.170452527640976e-05, accuracy: 1e-17)  // logged value
        let ld = LRSchedule.wsd(peak: 3e-4, warmup: 2160, stable: 17840, decay: 4000, shape: .linear, final: 0.1)
        XCTAssertEqual(ld.rate(at: 23904), 3.648e-05, accuracy: 1e-18)
        let sqrt = LRSchedule.wsd(peak: 1, warmup: 0, stable: 10, decay: 100, shape: .oneMinusSqrt, final: 0)
        XCTAssertEqual(sqrt.rate(at: 35), 0.5, accuracy: 1e-15)
        let cosDecay = LRSchedule.wsd(peak: 1, warmup: 0, stable: 10, decay: 100, shape: .cosine, final: 0)
        XCTAssertEqual(cosDecay.rate(at: 60), 0.5, accuracy: 1e-15)
    }

    func testStepInverseSqrtMultistagePiecewise() {
        let step = LRSchedule.stepDecay(peak: 1, warmup: 0, total: 100, every: 30, factor: 0.5)
        XCTAssertEqual([0, 29, 30, 60, 99].map(step.rate(at:)), [1, 1, 0.5, 0.25, 0.125])
        let inv = LRSchedule.inverseSqrt(peak: 1, warmup: 4, total: 100, timescale: 4)
        XCTAssertEqual(inv.rate(at: 16), (4.0 / 16).squareRoot(), accuracy: 1e-15)  // peak·√(W/s)
        let stages = LRSchedule.multistage(warmup: 2160, stages: [.init(rate: 3e-4, until: 8000), .init(rate: 9e-5, until: 16000)])
        XCTAssertEqual(stages.totalSteps, 16000)
        XCTAssertEqual(stages.rate(at: 7999), 3e-4)
        XCTAssertEqual(stages.rate(at: 8000), 9e-5)
        let pw = LRSchedule.piecewise(points: [.init(step: 10, rate: 1), .init(step: 20, rate: 3)], total: 30)
        XCTAssertEqual([0, 10, 15, 20, 29].map(pw.rate(at:)), [1, 1, 2, 3, 3])
    }

    func testLoggedReconstructionAndDescription() throws {
        let warm = try LoggedSchedule(steps: [100, 200, 300], rates: [1, 1, 0.5], before: .linearFromZero, total: 400)
        XCTAssertEqual([0, 50, 100, 250, 300, 399].map(warm.rate(at:)), [0, 0.5, 1, 0.75, 0.5, 0.5])
        XCTAssertTrue(warm.description.contains("linear warmup from 0 before step 100"), warm.description)
        XCTAssertTrue(warm.description.contains("piecewise linear"), warm.description)
        let hold = try LoggedSchedule(steps: [100, 200], rates: [1, 0.5], before: .hold)
        XCTAssertEqual(hold.rate(at: 0), 1)
        XCTAssertTrue(hold.description.contains("held at 1.0 before step 100"), hold.description)
        let full = try LoggedSchedule(steps: Array(0..<5), rates: [0, 1, 2, 3, 4], before: .hold)
        XCTAssertTrue(full.isFullResolution)
        XCTAssertTrue(full.description.contains("every step logged"), full.description)
    }

    func testLoggedRejectsBadPoints() {
        XCTAssertThrowsError(try LoggedSchedule(steps: [1, 1], rates: [1, 1], before: .hold, file: "f.csv")) {
            XCTAssertEqual($0 as? ScaleFitError, .invalidData(file: "f.csv", reason: "steps are not strictly increasing: 1 after 1"))
        }
        XCTAssertThrowsError(try LoggedSchedule(steps: [1, 2], rates: [1, -1], before: .hold, file: "f.csv")) {
            XCTAssertEqual($0 as? ScaleFitError, .invalidData(file: "f.csv", reason: "learning rate -1.0 at step 2 is not a finite non-negative number"))
        }
    }

    func testScheduleCSV() throws {
        let s = try LoggedSchedule.parse(csv: "step,lr\n0,0\n10,1e-3\n20,5e-4\n", file: "s.csv", before: .hold)
        XCTAssertEqual(s.rate(at: 5), 5e-4, accuracy: 1e-18)
        XCTAssertEqual(s.totalSteps, 21)
        let noHeader = try LoggedSchedule.parse(csv: "0,1\n1,2\n", file: "s.csv", before: .hold)
        XCTAssertEqual(noHeader.rate(at: 1), 2)
        XCTAssertThrowsError(try LoggedSchedule.parse(csv: "step,lr\n0,1\n1,x\n", file: "s.csv", before: .hold)) {
            XCTAssertEqual($0 as? ScaleFitError, .badValue(file: "s.csv", line: 3, column: 2, expected: "a learning rate (a non-negative number)", found: "x"))
        }
        XCTAssertThrowsError(try LoggedSchedule.parse(csv: "step,lr\n5,1\n3,2\n", file: "s.csv", before: .hold)) {
            XCTAssertEqual($0 as? ScaleFitError, .badValue(file: "s.csv", line: 3, column: 1, expected: "a step greater than 5", found: "3"))
        }
        XCTAssertThrowsError(try LoggedSchedule.parse(csv: "step,loss\n0,1\n", file: "s.csv", before: .hold)) {
            XCTAssertEqual($0 as? ScaleFitError, .missingColumn(file: "s.csv", name: "lr", available: ["step", "loss"]))
        }
        // A spec and the same schedule as a full-resolution file give the same η.
        let spec = try LRSchedule(spec: "wsd:peak=3e-4,warmup=50,stable=100,decay=50,shape=cosine,final=0.1")
        let csv = "step,lr\n" + spec.rates().enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n")
        let file = try LoggedSchedule.parse(csv: csv, file: "s.csv", before: .hold)
        XCTAssertEqual(LRSchedule.logged(file).rates(), spec.rates())
    }

    func testSpecRoundTrip() throws {
        let specs = [
            "constant:peak=3e-4,total=24000,warmup=2160",
            "cosine:peak=3e-4,warmup=500,total=20000,final=0.1",
            "linear:peak=1e-3,total=1000",
            "wsd:peak=3e-4,warmup=500,stable=20000,decay=4000,shape=linear",
            "wsd:peak=3e-4,warmup=2160,stable=17840,decay=4000,shape=geometric,final=0.1",
            "wsd:peak=3e-4,stable=10,decay=4,shape=1-sqrt",
            "step:peak=1e-3,total=30000,every=10000,factor=0.1",
            "invsqrt:peak=1e-3,warmup=4000,total=100000",
            "multistage:warmup=2160,lr=3e-4/9e-5,until=8000/16000",
            "piecewise:points=0@0/500@3e-4/20000@3e-5",
            "logged:points=2176@3e-4/23936@3e-5,before=linear,total=24000",
        ]
        for text in specs {
            let s = try LRSchedule(spec: text)
            XCTAssertEqual(try LRSchedule(spec: s.spec), s, text)
            XCTAssertEqual(try LRSchedule(spec: s.spec).spec, s.spec, text)
        }
        XCTAssertEqual(try LRSchedule(spec: "cosine:peak=3e-4,warmup=500,total=20000,final=0.1").spec,
                       "cosine:peak=0.0003,warmup=500,total=20000,final=0.1")
        XCTAssertEqual(try LRSchedule(spec: "invsqrt:peak=1e-3,warmup=4000,total=100000"),
                       .inverseSqrt(peak: 1e-3, warmup: 4000, total: 100000, timescale: 4000))
    }

    func testSpecErrors() {
        func error(_ spec: String) -> ScaleFitError? {
            do { _ = try LRSchedule(spec: spec); return nil } catch { return error as? ScaleFitError }
        }
        XCTAssertEqual(error("cosin:peak=1,total=10"), .badArgument(
            flag: "spec", position: 1,
            expected: "a schedule kind (one of constant, cosine, linear, wsd, step, invsqrt, multistage, piecewise, logged)",
            found: "cosin"))
        XCTAssertEqual(error("cosine:peak=1,totl=10"), .badArgument(
            flag: "spec", position: 15, expected: "a key of cosine (one of peak, warmup, total, final)", found: "totl"))
        XCTAssertEqual(error("cosine:peak=1"), .badArgument(
            flag: "spec", position: 0, expected: "the key 'total' (cosine needs peak, total)", found: "cosine:peak=1"))
        XCTAssertEqual(error("cosine:peak=abc,total=10"), .badArgument(
            flag: "spec", position: 13, expected: "a positive number for peak", found: "abc"))
        XCTAssertEqual(error("constant:peak=1,total=2.5"), .badArgument(
            flag: "spec", position: 23, expected: "a positive integer for total", found: "2.5"))
        XCTAssertEqual(error("wsd:peak=1,stable=1,decay=2,shape=exp"), .badArgument(
            flag: "spec", position: 35, expected: "a decay shape (one of linear, cosine, 1-sqrt, geometric)", found: "exp"))
        XCTAssertEqual(error("wsd:peak=1,stable=1,decay=2,shape=geometric"), .badArgument(
            flag: "spec", position: 0, expected: "final > 0 for shape=geometric",
            found: "wsd:peak=1,stable=1,decay=2,shape=geometric"))
        XCTAssertEqual(error("cosine:peak=1,peak=2,total=3"), .badArgument(
            flag: "spec", position: 15, expected: "each key once", found: "peak"))
        XCTAssertEqual(error("cosine:peak"), .badArgument(
            flag: "spec", position: 8, expected: "key=value", found: "peak"))
        XCTAssertEqual(error("constant:peak=1,warmup=10,total=10"), .badArgument(
            flag: "spec", position: 0, expected: "warmup shorter than total", found: "constant:peak=1,warmup=10,total=10"))
    }
}
