import XCTest
import ScaleFit

/// `--start` and `--bounds` lists: values, grids, sides, and errors that point at the place.
final class ParameterListTests: XCTestCase {
    private func startError(_ text: String) -> ScaleFitError? {
        do { _ = try ParameterStarts(parsing: text); return nil } catch { return error as? ScaleFitError }
    }

    private func boundsError(_ text: String) -> ScaleFitError? {
        do { _ = try ParameterRanges(parsing: text); return nil } catch { return error as? ScaleFitError }
    }

    func testStartsWithValuesAndGrids() throws {
        let starts = try ParameterStarts(parsing: "E=2, A = 400 ,alpha=0:2:0.5,beta=1e-1:0.3:0.1")
        XCTAssertEqual(starts.entries.map(\.name), ["E", "A", "alpha", "beta"])
        XCTAssertEqual(starts["E"], [2])
        XCTAssertEqual(starts["A"], [400])
        XCTAssertEqual(starts["alpha"], [0, 0.5, 1, 1.5, 2])
        XCTAssertEqual(starts["beta"]?.count, 3)  // 0.1, 0.2, 0.3 despite rounding
        XCTAssertEqual(starts["beta"]!.last!, 0.3, accuracy: 1e-15)
        XCTAssertEqual(starts.entries.map(\.position), [1, 6, 15, 29])
        XCTAssertEqual(try ParameterStarts(parsing: "a=-1:-1:1")["a"], [-1])
    }

    func testStartErrorsPointAtThePlace() {
        XCTAssertEqual(startError("E=2,A=x"), .badArgument(flag: "starts", position: 7, expected: "a finite number", found: "x"))
        XCTAssertEqual(startError("E=2,alpha=0:z:1"),
                       .badArgument(flag: "starts", position: 13, expected: "a finite number", found: "z"))
        XCTAssertEqual(startError("E=2,A"), .badArgument(flag: "starts", position: 5, expected: "name=value", found: "A"))
        XCTAssertEqual(startError("E=2,,A=1"), .badArgument(flag: "starts", position: 5, expected: "name=value", found: ""))
        XCTAssertEqual(startError("2=2"),
                       .badArgument(flag: "starts", position: 1, expected: "a parameter name before '='", found: "2"))
        XCTAssertEqual(startError("E=2,E=3"),
                       .badArgument(flag: "starts", position: 5, expected: "each parameter at most once", found: "E"))
        XCTAssertEqual(startError("a=0:2"),
                       .badArgument(flag: "starts", position: 3, expected: "a number or a grid lo:hi:step", found: "0:2"))
        XCTAssertEqual(startError("a=2:0:1"),
                       .badArgument(flag: "starts", position: 3,
                                    expected: "a grid lo:hi:step with lo ≤ hi and step > 0", found: "2:0:1"))
        XCTAssertEqual(startError("a=0:1:0"),
                       .badArgument(flag: "starts", position: 3,
                                    expected: "a grid lo:hi:step with lo ≤ hi and step > 0", found: "0:1:0"))
        XCTAssertEqual(startError("a=0:1:1e-6"),
                       .badArgument(flag: "starts", position: 3, expected: "a grid of at most 1000 values",
                                    found: "0:1:1e-6 (1000001 values)"))
        XCTAssertEqual(startError("a=nan"), .badArgument(flag: "starts", position: 3, expected: "a finite number", found: "nan"))
        XCTAssertEqual(startError("a=inf"), .badArgument(flag: "starts", position: 3, expected: "a finite number", found: "inf"))
    }

    func testBounds() throws {
        let ranges = try ParameterRanges(parsing: "alpha=0:2,beta=0:,E=-inf:10,C=:")
        XCTAssertEqual(ranges.entries.map(\.lower), [0, 0, -.infinity, -.infinity])
        XCTAssertEqual(ranges.entries.map(\.upper), [2, .infinity, 10, .infinity])
        XCTAssertEqual(boundsError("alpha=2"), .badArgument(flag: "bounds", position: 7, expected: "lo:hi", found: "2"))
        XCTAssertEqual(boundsError("alpha=2:1"), .badArgument(flag: "bounds", position: 7, expected: "lo ≤ hi", found: "2:1"))
        XCTAssertEqual(boundsError("alpha=0:x"),
                       .badArgument(flag: "bounds", position: 9, expected: "an upper bound (a number, inf or nothing)", found: "x"))
        XCTAssertEqual(boundsError("alpha=inf:1"),
                       .badArgument(flag: "bounds", position: 7, expected: "a lower bound (a number, -inf or nothing)", found: "inf"))
    }

    func testModelTurnsListsIntoVectors() throws {
        let model = try FormulaModel(formula: "E + A*N^-alpha", variables: ["N"])
        let bounds = try model.parameterBounds(ParameterRanges(parsing: "alpha=0:2"))
        XCTAssertEqual(bounds.lower, [-.infinity, -.infinity, 0])
        XCTAssertEqual(bounds.upper, [.infinity, .infinity, 2])
        XCTAssertEqual(try model.startingPoints(ParameterStarts(parsing: "alpha=0.3,A=1:2:1,E=2")),
                       [[2, 1, 0.3], [2, 2, 0.3]])
    }

    func testParameterWithoutStartPointsAtTheFormula() throws {
        let model = try FormulaModel(formula: "E + A*N^-alpha", variables: ["N"])
        XCTAssertThrowsError(try model.startingPoints(ParameterStarts(parsing: "E=2,A=400"))) { error in
            XCTAssertEqual(error as? ScaleFitError,
                           .badArgument(flag: "formula", position: 10, expected: "a starts value for this parameter",
                                        found: "alpha"))
        }
    }

    func testNamesThatAreNotParameters() throws {
        let model = try FormulaModel(formula: "E + A*N^-alpha", variables: ["N"])
        XCTAssertThrowsError(try model.startingPoints(ParameterStarts(parsing: "E=2,A=400,alpha=1,gamma=2"))) { error in
            XCTAssertEqual(error as? ScaleFitError,
                           .badArgument(flag: "starts", position: 19, expected: "a parameter of the formula (E, A, alpha)",
                                        found: "gamma"))
        }
        XCTAssertThrowsError(try model.parameterBounds(ParameterRanges(parsing: "N=0:1"))) { error in
            XCTAssertEqual(error as? ScaleFitError,
                           .badArgument(flag: "bounds", position: 1,
                                        expected: "a parameter of the formula (E, A, alpha) (N is a data column)", found: "N"))
        }
        let big = "E=0:9:1,A=0:9:1,alpha=0:100:1"
        XCTAssertThrowsError(try model.startingPoints(ParameterStarts(parsing: big))) { error in
            XCTAssertEqual(error as? ScaleFitError,
                           .badArgument(flag: "starts", position: 0, expected: "at most 10000 starting points",
                                        found: "10100 points"))
        }
    }
}
