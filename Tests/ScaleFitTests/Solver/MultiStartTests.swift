import XCTest
@testable import ScaleFit

final class MultiStartTests: XCTestCase {
    func testKeepsTheGlobalMinimumOverALocalOne() throws {
        let single = try LevenbergMarquardt().minimize(TwoValleys(), from: [-1.5])
        XCTAssertLessThan(single.parameters[0], 0, "a single start from −1.5 should stop in the local valley")
        let multi = try MultiStart().minimize(TwoValleys(), starts: [[-1.5], [-0.9], [1.5], [3]])
        XCTAssertEqual(multi.best.parameters[0], 1, accuracy: 1e-10)
        XCTAssertEqual(multi.finalCosts.count, 4)
        XCTAssertGreaterThanOrEqual(multi.startsAtBest, 2)
    }

    func testSameStartsSameAnswerWhateverTheThreadCount() throws {
        let starts = StartGrid.spaceFilling(count: 64, lower: [-3, -3], upper: [3, 3], seed: 7)
        let a = try MultiStart(threads: 1).minimize(Rosenbrock(), starts: starts)
        let b = try MultiStart(threads: 4).minimize(Rosenbrock(), starts: starts)
        XCTAssertEqual(a.best.parameters, b.best.parameters)
        XCTAssertEqual(a.bestStart, b.bestStart)
        XCTAssertEqual(a.finalCosts, b.finalCosts)
    }

    func testStartGrids() {
        let g = StartGrid.cartesian([[0, 1], [10, 20, 30]])
        XCTAssertEqual(g, [[0, 10], [0, 20], [0, 30], [1, 10], [1, 20], [1, 30]])
        let s1 = StartGrid.spaceFilling(count: 100, lower: [0, -1], upper: [1, 1], seed: 3)
        let s2 = StartGrid.spaceFilling(count: 100, lower: [0, -1], upper: [1, 1], seed: 3)
        let s3 = StartGrid.spaceFilling(count: 100, lower: [0, -1], upper: [1, 1], seed: 4)
        XCTAssertEqual(s1, s2)
        XCTAssertNotEqual(s1, s3)
        XCTAssertTrue(s1.allSatisfy { $0[0] >= 0 && $0[0] < 1 && $0[1] >= -1 && $0[1] < 1 })
        // Evenly spread: every quarter of [0,1) gets 25 ± 3 of the first coordinates.
        for q in 0..<4 {
            let c = s1.filter { $0[0] >= Double(q) / 4 && $0[0] < Double(q + 1) / 4 }.count
            XCTAssertEqual(c, 25, accuracy: 3)
        }
    }

    func testNoStartsIsAnError() {
        XCTAssertThrowsError(try MultiStart().minimize(Rosenbrock(), starts: []))
    }

    func testSeededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        for _ in 0..<100 { XCTAssertEqual(a.next(), b.next()) }
        var u = SeededGenerator.stream(seed: 1, index: 3)
        let v = u.nextUnit()
        XCTAssertTrue(v >= 0 && v < 1)
    }
}
