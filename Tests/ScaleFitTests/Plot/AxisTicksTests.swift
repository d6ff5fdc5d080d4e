import XCTest
@testable import ScaleFit

final class AxisTicksTests: XCTestCase {
    func testSILabels() {
        XCTAssertEqual(TickLabel.si(7e7), "70M")
        XCTAssertEqual(TickLabel.si(1.3e9), "1.3B")
        XCTAssertEqual(TickLabel.si(1.4e12), "1.4T")
        XCTAssertEqual(TickLabel.si(2500), "2.5k")
        XCTAssertEqual(TickLabel.si(999.96e6), "1B", "rounding to three digits carries into the next prefix")
        XCTAssertEqual(TickLabel.si(123_456_789), "123M")
        XCTAssertEqual(TickLabel.si(500), "500")
        XCTAssertEqual(TickLabel.si(0.25), "0.25")
        XCTAssertEqual(TickLabel.si(0), "0")
        XCTAssertEqual(TickLabel.si(-2e6), "-2M")
        XCTAssertEqual(TickLabel.si(3e21), "3e21", "beyond T the SI form falls back to scientific")
        XCTAssertEqual(TickLabel.si(3e-4), "3e-4")
    }

    func testScientificLabels() {
        XCTAssertEqual(TickLabel.scientific(1e21), "1e21")
        XCTAssertEqual(TickLabel.scientific(2.5e21), "2.5e21")
        XCTAssertEqual(TickLabel.scientific(3e-4), "3e-4")
        XCTAssertEqual(TickLabel.scientific(9.996e20), "1e21")
        XCTAssertEqual(TickLabel.scientific(4.5), "4.5")
        XCTAssertEqual(TickLabel.scientific(0), "0")
        XCTAssertEqual(TickLabel.scientific(-1.5e-5), "-1.5e-5")
    }

    func testPlainLabelsAndFixedNumbers() {
        XCTAssertEqual(TickLabel.format(3, style: .plain, decimals: 1), "3.0")
        XCTAssertEqual(TickLabel.format(-0.0001, style: .plain, decimals: 2), "0.00", "no negative zero")
        XCTAssertEqual(PlotNumber.fixed(2.005, decimals: 0), "2")
        XCTAssertEqual(PlotNumber.fixed(0.5, decimals: 0), "1", "half away from zero")
        XCTAssertEqual(PlotNumber.fixed(-12.345, decimals: 2), "-12.35")
        XCTAssertEqual(PlotNumber.fixed(0.07, decimals: 3), "0.070")
        XCTAssertEqual(PlotNumber.fixed(.nan, decimals: 2), "0")
        XCTAssertEqual(TickLabel.decimals(forStep: 0.5), 1)
        XCTAssertEqual(TickLabel.decimals(forStep: 0.05), 2)
        XCTAssertEqual(TickLabel.decimals(forStep: 2), 0)
        XCTAssertEqual(TickLabel.decimals(forStep: 0.1), 1)
    }

    func testLinearTicksUseOneTwoFiveStepsAndCommonDecimals() {
        // 2.1…3.9 aiming at 5 ticks: step 0.2 gives 9, 0.5 gives 3, 1 gives 1; 0.5 misses least.
        XCTAssertEqual(AxisTicks.linear(in: 2.1...3.9, style: .plain).compactMap(\.label), ["2.5", "3.0", "3.5"])
        XCTAssertEqual(AxisTicks.linear(in: 2.45...3.05, style: .plain).compactMap(\.label), 
                       ["2.5", "2.6", "2.7", "2.8", "2.9", "3.0"])
        XCTAssertEqual(AxisTicks.linear(in: 0...24000, style: .si).compactMap(\.label), ["0", "5k", "10k", "15k", "20k"])
        XCTAssertEqual(AxisTicks.linear(in: 0...3e-4, style: .scientific).compactMap(\.label), ["0", "1e-4", "2e-4", "3e-4"])
        XCTAssertEqual(AxisTicks.linear(in: -0.03...0.03, style: .plain).compactMap(\.label), ["-0.02", "0.00", "0.02"])
        for (lo, hi) in [(0.0, 1.0), (-7.3, 12.9), (1e-5, 3e-4), (2.61, 2.64), (0, 72000)] {
            let ticks = AxisTicks.linear(in: lo...hi, style: .plain)
            XCTAssertTrue((3...7).contains(ticks.count), "\(lo)…\(hi): \(ticks.map(\.value))")
            XCTAssertTrue(ticks.allSatisfy { $0.value >= lo - 1e-12 && $0.value <= hi + 1e-12 })
            let steps = zip(ticks.dropFirst(), ticks).map { $0.value - $1.value }
            let step = steps[0]
            let mantissa = step / pow(10, floor(log10(step)))
            XCTAssertTrue([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "step \(step)")
            XCTAssertTrue(steps.allSatisfy { abs($0 - step) < 1e-9 * max(1, step) })
            XCTAssertEqual(Set(ticks.compactMap(\.label).map { $0.split(separator: ".").dropFirst().first?.count ?? 0 }).count, 1,
                           "one number of decimals: \(ticks.compactMap(\.label))")
        }
    }

    func testLinearTicksNeverSettleForOneTickWhenTwoFit() {
        // ±0.046 aiming at 3: step 0.02 gives 5, 0.05 and 0.1 give only 0.
        XCTAssertEqual(AxisTicks.linear(in: -0.046...0.046, style: .plain, target: 3).compactMap(\.label),
                       ["-0.04", "-0.02", "0.00", "0.02", "0.04"])
    }

    func testLinearTicksForAPointRange() {
        XCTAssertEqual(AxisTicks.linear(in: 2...2, style: .plain).map(\.value), [2])
    }

    func testLogTicksLabelDecadesOverWideRanges() {
        let ticks = AxisTicks.log10(in: 3e6...2e10, style: .si)
        XCTAssertEqual(ticks.compactMap(\.label), ["10M", "100M", "1B", "10B"])
        XCTAssertEqual(ticks.filter { $0.kind == .minor }.count, 7 + 8 * 3 + 1, "3…9 × 10⁶, 2…9 × 10^7…9, 2 × 10¹⁰")
        XCTAssertEqual(AxisTicks.log10(in: 1e18...1e24, style: .scientific).compactMap(\.label),
                       ["1e18", "1e19", "1e20", "1e21", "1e22", "1e23", "1e24"])
        // Sixteen decades: every third is labelled.
        let wide = AxisTicks.log10(in: 1e0...1e15, style: .scientific).compactMap(\.label)
        XCTAssertEqual(wide, ["1", "1e3", "1e6", "1e9", "1e12", "1e15"])
    }

    func testLogTicksLabelTwoAndFiveUnderTwoDecades() {
        let ticks = AxisTicks.log10(in: 5e7...2e9, style: .si)
        XCTAssertEqual(ticks.compactMap(\.label), ["50M", "100M", "200M", "500M", "1B", "2B"])
        XCTAssertEqual(ticks.filter { $0.kind == .major }.compactMap(\.label), ["100M", "1B"])
        XCTAssertEqual(ticks.filter { $0.kind == .secondary }.compactMap(\.label), ["50M", "200M", "500M", "2B"])
        // Plain labels share decimals.
        XCTAssertEqual(AxisTicks.log10(in: 0.15...3, style: .plain).compactMap(\.label), ["0.2", "0.5", "1.0", "2.0"])
    }

    func testLogTicksFallBackToLinearWithinAFactorOfTwo() {
        let ticks = AxisTicks.log10(in: 1.9...3.6, style: .plain)
        XCTAssertEqual(ticks.compactMap(\.label), ["2.0", "2.5", "3.0", "3.5"])
        XCTAssertTrue(ticks.allSatisfy { $0.kind == .major })
    }

    func testScaleFractions() {
        XCTAssertEqual(AxisScale.linear.fraction(3, in: 2...4), 0.5)
        XCTAssertEqual(AxisScale.log10.fraction(1e8, in: 1e7...1e9), 0.5, accuracy: 1e-12)
    }

    func testPolylineSimplifierKeepsCornersAndDropsCollinearPoints() {
        var line: [(x: Double, y: Double)] = []
        for i in 0...100 {
            let x = Double(i)
            line.append((x: x, y: i <= 50 ? x : 100 - x))
        }
        let kept = PolylineSimplifier.simplify(line, tolerance: 0.1)
        XCTAssertEqual(kept.map { $0.x }, [0, 50, 100])
    }
}
