import Foundation
import XCTest
@testable import ScaleFit

/// A curve law's search settings (held parameters, bounds, starts, budget): checked by name
/// when the law takes them, and what `Fit` then searches with.
final class CurveSearchSettingsTests: XCTestCase {
    let schedules = SyntheticCurves.schedules
    func curves<L: LossCurveLaw>(_ law: L, truth: [Double]) throws -> LossCurves { try SyntheticCurves.curves(law, truth: truth) }

    /// A name the law does not have is refused naming the argument, the law's parameters
    /// and the name; so are a held value that is not finite and counts below 1.
    func testUnknownNamesAreRefusedNamingTheArgument() throws {
        let expected = "a parameter of the annealing law (L0, A, alpha, C)"
        XCTAssertThrowsError(try AnnealingLaw().searching(CurveSearchSettings(held: [.init(name: "B", value: 3)]))) {
            XCTAssertEqual($0 as? ScaleFitError, .badArgument(flag: "fixed", position: 0, expected: expected, found: "B"))
        }
        let ranges = try ParameterRanges(parsing: "C=0:1,lambda=0:1")
        XCTAssertThrowsError(try AnnealingLaw().searching(CurveSearchSettings(bounds: ranges))) {
            XCTAssertEqual($0 as? ScaleFitError, .badArgument(flag: "bounds", position: 7, expected: expected, found: "lambda"))
        }
        // λ is a parameter once it is fitted.
        XCTAssertNoThrow(try AnnealingLaw(momentum: .fitted).searching(CurveSearchSettings(bounds: ranges)))
        XCTAssertThrowsError(try MultiPowerLaw().searching(CurveSearchSettings(held: [.init(name: "gamma", value: .nan)]))) {
            XCTAssertEqual($0 as? ScaleFitError, .badArgument(flag: "fixed", position: 0, expected: "a finite value for gamma", found: "nan"))
        }
        XCTAssertThrowsError(try MultiPowerLaw().searching(CurveSearchSettings(startCount: 0))) {
            XCTAssertEqual($0 as? ScaleFitError, .badArgument(flag: "startCount", position: 0, expected: "at least 1 start", found: "0"))
        }
        XCTAssertThrowsError(try MultiPowerLaw().searching(CurveSearchSettings(maxEvaluations: 0))) {
            XCTAssertEqual($0 as? ScaleFitError, .badArgument(flag: "maxEvaluations", position: 0, expected: "at least 1 evaluation", found: "0"))
        }
    }

    /// The settings shape the law's grid, box, held parameters and budget, and the fit
    /// holds, bounds and counts as they say.
    func testTheFitSearchesAsTheSettingsSay() throws {
        let plain = AnnealingLaw()
        let data = try curves(plain, truth: [3.0, 0.5, 0.5, 0.3])
        let settings = CurveSearchSettings(held: [.init(name: "alpha", value: 0.45)], bounds: try ParameterRanges(parsing: "C=0:0.2"),
                                           startCount: 5, maxEvaluations: 300)
        let law = try plain.searching(settings)
        XCTAssertEqual(law.searchSettings, settings)
        XCTAssertEqual(law.fixed, [false, false, true, false])
        XCTAssertEqual(law.search.options.maxEvaluations, 300)
        XCTAssertEqual(plain.search.options.maxEvaluations, CurveFit.defaultOptions.maxEvaluations)
        let box = try XCTUnwrap(law.bounds(for: data))
        XCTAssertEqual(box.upper[3], 0.2)
        XCTAssertEqual(box.lower[2], 0)
        let starts = law.starts(for: data)
        XCTAssertEqual(starts.count, 5)
        XCTAssertTrue(starts.allSatisfy { $0[2] == 0.45 })
        XCTAssertEqual(starts.map { $0[0] }, CurveFit.starts(plain.starts(for: data), count: 5, bounds: box).map { $0[0] })
        let fit = try Fit(law, to: data)
        XCTAssertEqual(fit.search.startsTried, 5)
        XCTAssertEqual(fit["alpha"], 0.45)
        XCTAssertEqual(try XCTUnwrap(fit["C"]), 0.2, accuracy: 1e-12)
        XCTAssertTrue(fit.diagnostics.contains(.atBound(parameter: "C", bound: 0.2)), "\(fit.diagnostics)")
        // A held value outside the law's box widens it.
        let wide = try plain.searching(CurveSearchSettings(held: [.init(name: "alpha", value: 12)]))
        XCTAssertEqual(try XCTUnwrap(wide.bounds(for: data)).upper[2], 12)
    }
}
