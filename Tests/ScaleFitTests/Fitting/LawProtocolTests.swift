import Foundation
import XCTest
@testable import ScaleFit

/// Every law through the one `Law` protocol and the one `Fit`: the same optimum as the
/// law's own fit, an analytic Jacobian and prediction gradient that match finite
/// differences, intervals, and the fit file round trip.
final class LawProtocolTests: XCTestCase {
    static let runsPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Data/runs.csv").standardized.path

    static func runs() throws -> ModelRuns {
        try ModelRuns(table: try RunTableReader.read(path: runsPath))
    }
    func runs() throws -> ModelRuns { try Self.runs() }

    /// One 4500-start fit of Data/runs.csv, shared by the tests that only read it.
    nonisolated(unsafe) static var sharedChinchilla: Fit<ChinchillaLaw>?
    static func chinchillaFit() throws -> Fit<ChinchillaLaw> {
        if let f = sharedChinchilla { return f }
        let f = try Fit(ChinchillaLaw(), to: try runs())
        sharedChinchilla = f
        return f
    }
    func chinchillaFit() throws -> Fit<ChinchillaLaw> { try Self.chinchillaFit() }

    let schedules = SyntheticCurves.schedules
    func curves<L: LossCurveLaw>(_ law: L, truth: [Double]) throws -> LossCurves { try SyntheticCurves.curves(law, truth: truth) }

    // MARK: same optimum as the laws' own fits

    /// The Hoffmann fit of Data/runs.csv: the optimum, objective and standard errors the legacy
    /// `ChinchillaFit` (removed once every path was on `Fit<ChinchillaLaw>`) gave, and the CLI
    /// printed and wrote, before and after the move.
    func testChinchillaFitIsTheHoffmannFit() throws {
        let fit = try chinchillaFit()
        XCTAssertEqual(fit.parameters, [0.5265296922693412, 6.013934088658636, 6.061541668994432, 0.33898321577864976, 0.283314815979221])
        XCTAssertEqual(fit.objective, 7.259193502297037e-05, accuracy: 1e-15)
        XCTAssertEqual(fit.search.startsTried, 4500)
        XCTAssertEqual(fit.search.startsPolished, 8)
        let variances = [0.0005885279476283295, 0.1876673445360815, 0.0388513612183897, 0.000711202234319316, 0.00011444582141371745]
        for (se, v) in zip(fit.standardErrors, variances) { XCTAssertEqual(se, v.squareRoot(), accuracy: 1e-12 * se) }
        XCTAssertEqual(fit.diagnostics, [])
        XCTAssertTrue(fit.isSound)
        XCTAssertEqual(fit.estimates.map(\.name), ["E", "A", "B", "alpha", "beta"])
        XCTAssertEqual(fit.estimates[0].estimate, exp(0.5265296922693412), accuracy: 1e-12)
        XCTAssertEqual(fit.values.alpha, 0.338983, accuracy: 5e-7)   // the CLI's figure for Data/runs.csv
        XCTAssertEqual(fit.data.rows, 30)
        XCTAssertGreaterThan(try XCTUnwrap(fit.goodness).rSquared, 0.99)
    }

    func testPowerAndKaplanFitsAreEveryStartOfTheirGrids() throws {
        // The fit on the protocol is LM from every start of the law's grid within its bounds,
        // the lowest cost kept: the same as running that multi-start by hand.
        let data = try runs()
        let kaplan = try Fit(KaplanLaw(), to: data)
        let kByHand = try MultiStart(solver: LevenbergMarquardt()).minimize(
            KaplanLogProblem(parameters: data.N, tokens: data.D, loss: data.loss),
            starts: KaplanLaw.startingGrid(parameters: data.N, tokens: data.D), bounds: try XCTUnwrap(KaplanLaw().bounds(for: data)))
        XCTAssertEqual(kaplan.parameters, kByHand.best.parameters)
        XCTAssertEqual(kaplan.objective, kByHand.best.cost)
        XCTAssertEqual(kaplan.search.startsAtBest, kByHand.startsAtBest)
        let power = try Fit(SaturatingPowerLaw(), to: try PowerLawRuns(table: try RunTableReader.read(path: Self.runsPath)))
        let x = try PowerLawRuns(x: data.N, loss: data.loss)
        let pByHand = try MultiStart(solver: LevenbergMarquardt()).minimize(
            SaturatingPowerLawProblem(x: data.N, loss: data.loss), starts: SaturatingPowerLaw.startingGrid(x: data.N, loss: data.loss),
            bounds: try XCTUnwrap(SaturatingPowerLaw().bounds(for: x)))
        XCTAssertEqual(power.parameters, pByHand.best.parameters)
        XCTAssertEqual(power.law.settings, [:])
        let pure = try Fit(SaturatingPowerLaw(pureFloor: true), to: x)
        let pureByHand = try MultiStart(solver: LevenbergMarquardt()).minimize(
            SaturatingPowerLawProblem(x: data.N, loss: data.loss),
            starts: SaturatingPowerLaw.startingGrid(x: data.N, loss: data.loss, floorFixedAtZero: true).map { [0, $0[1], $0[2]] },
            bounds: try XCTUnwrap(SaturatingPowerLaw().bounds(for: x)), fixed: [true, false, false])
        XCTAssertEqual(pure.parameters, pureByHand.best.parameters)
        XCTAssertEqual(pure.parameters[0], 0)
        XCTAssertEqual(pure.law.settings, ["floor": "zero"])
    }

    /// The curve fit is the screened search of the law's grid (the legacy `CurveFit.fit`,
    /// removed once every path was on `Fit`, ran the same): a hand-run `ScreenedMultiStart`
    /// on the law's problems, grid, box and options gives the same optimum, bit for bit.
    func testCurveLawFitsAreTheScreenedSearchOfTheirGrid() throws {
        let annealing = AnnealingLaw()
        let data = try curves(annealing, truth: [3.0, 0.5, 0.5, 0.3])
        let fit = try Fit(annealing, to: data)
        var options = CurveFit.defaultOptions
        options.logScaledParameters = annealing.logScaledParameters
        let byHand = try ScreenedMultiStart(options: options, screeningEvaluations: 20, screeningFunctionTolerance: 1e-8,
                                            selection: .distinctAmongBest(count: 3, tolerance: 1e-3), threads: 1)
            .minimize(try CurveFitProblem(law: annealing, curves: data.curves),
                      screeningProblem: try CurveFitProblem(law: annealing, curves: data.curves).screeningProblem(),
                      starts: annealing.startingGrid(for: data.curves), bounds: annealing.bounds(for: data.curves))
        XCTAssertEqual(fit.parameters, byHand.best.parameters)
        XCTAssertEqual(fit.objective, byHand.best.cost)
        XCTAssertEqual(fit.search.startsTried, byHand.startCount)
        XCTAssertEqual(fit.search.startsPolished, byHand.polishedStarts.count)
        XCTAssertEqual(fit.settings["schedule:cosine"], schedules[1].1.spec)
        XCTAssertEqual(fit.data.rows, 3 * 38)
        XCTAssertEqual(fit.parameters[0], 3.0, accuracy: 0.01)
    }

    func testTheFrontDoorReadsLogsWithTheReadingOptions() throws {
        let curves = URL(fileURLWithPath: Self.runsPath).deletingLastPathComponent().appendingPathComponent("curves.csv").path
        var options = TableOptions(before: .linearFromZero)
        options.reading.minStep = 2000
        options.reading.runs = ["constant", "wsd"]
        let fit = try ScaleFit.fit(file: curves, law: AnnealingLaw(), options: options)
        // 72 logged losses per curve at steps 400…3950 every 50: 40 from step 2000, two curves.
        XCTAssertEqual(fit.data.rows, 80)
        XCTAssertEqual(Set(fit.settings.keys.filter { $0.hasPrefix("schedule:") }), ["schedule:constant", "schedule:wsd"])
    }

    // MARK: analytic derivatives

    func testEveryLawsJacobianAndPredictionGradientMatchFiniteDifferences() throws {
        let data = try runs()
        let power = try PowerLawRuns(x: data.N, loss: data.loss)
        let p5 = [0.5, 6.0, 6.1, 0.34, 0.28], k4 = [30.0, 28.0, 0.08, 0.1], w3 = [1.5, 4.0, 0.3]
        CurveLawTestSupport.assertJacobianMatches(try ChinchillaLaw().problem(for: data), at: p5, tolerance: 1e-7)
        CurveLawTestSupport.assertJacobianMatches(try KaplanLaw().problem(for: data), at: k4, tolerance: 1e-7)
        CurveLawTestSupport.assertJacobianMatches(try SaturatingPowerLaw().problem(for: power), at: w3, tolerance: 1e-7)
        let sizes = [ModelSize(N: 7e10, D: 1.4e12), ModelSize(N: 1e8, D: 2e9)]
        try assertGradient(ChinchillaLaw(), sizes, at: p5)
        try assertGradient(KaplanLaw(), sizes, at: k4)
        try assertGradient(SaturatingPowerLaw(), [1e8, 7e10], at: w3)
        let query = CurveQuery(schedule: schedules[2].1, steps: [599, 50, 400, 50])
        try assertGradient(AnnealingLaw(), query, at: [3.0, 0.5, 0.5, 0.3])
        try assertGradient(AnnealingLaw(momentum: .fitted), query, at: [3.0, 0.5, 0.5, 0.3, 0.99])
        try assertGradient(MultiPowerLaw(), query, at: [3.0, 0.5, 0.5, 300, 2, 0.6, 0.6])
        try assertGradient(MultiPowerLaw(convention: .paper), query, at: [3.0, 0.5, 0.5, 300, 2, 0.6, 0.6])
        let mp = try curves(MultiPowerLaw(), truth: [3.0, 0.5, 0.5, 300, 2, 0.6, 0.6])
        CurveLawTestSupport.assertJacobianMatches(try MultiPowerLaw().problem(for: mp), at: [3.0, 0.5, 0.5, 300, 2, 0.6, 0.6], tolerance: 1e-6)
    }

    /// ∂log ŷ/∂θ of `evaluate` against central differences of log ŷ.
    func assertGradient<L: Law>(_ law: L, _ query: L.Query, at p: [Double], file: StaticString = #filePath, line: UInt = #line) throws {
        let values = try law.evaluate(query, parameters: p)
        for j in p.indices {
            let h = 1e-6 * max(abs(p[j]), 1)
            var up = p, down = p
            up[j] += h
            down[j] -= h
            let a = try law.evaluate(query, parameters: up), b = try law.evaluate(query, parameters: down)
            for i in values.indices {
                let numeric = (log(a[i].value) - log(b[i].value)) / (up[j] - down[j])
                XCTAssertEqual(values[i].gradient[j], numeric, accuracy: 1e-6 * max(abs(numeric), 1),
                               "\(L.identifier) θ\(j) point \(i)", file: file, line: line)
            }
        }
    }

    // MARK: predictions, intervals, files

    func testChinchillaPredictionIsTheFitFilesPrediction() throws {
        let fit = try chinchillaFit()
        let p = try fit.predict(N: 7e10, D: 1.4e12)
        let legacy = try fit.file.predict(parameters: 7e10, tokens: 1.4e12)
        XCTAssertEqual(p.value, legacy.loss, accuracy: 1e-15)
        XCTAssertEqual(p.lower, legacy.lower, accuracy: 1e-13)
        XCTAssertEqual(p.upper, legacy.upper, accuracy: 1e-13)
        XCTAssertEqual(p.level, 0.95)
        let wide = try fit.predict(N: 7e10, D: 1.4e12, level: 0.99)
        XCTAssertLessThan(wide.lower, p.lower)
        XCTAssertGreaterThan(wide.upper, p.upper)
        let allocation = fit.optimalAllocation(compute: 5.76e23)
        XCTAssertEqual(6 * allocation.parameters * allocation.tokens, 5.76e23, accuracy: 1e-9 * 5.76e23)
        XCTAssertThrowsError(try fit.predict(N: -1, D: 1e9)) { error in
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
    }

    func testNormalQuantile() {
        XCTAssertEqual(normalQuantile(0.975), 1.959963984540054, accuracy: 1e-15)
        XCTAssertEqual(normalQuantile(0.5), 0, accuracy: 1e-16)
        XCTAssertEqual(normalQuantile(0.995), 2.5758293035489004, accuracy: 1e-14)
        XCTAssertEqual(normalQuantile(0.025), -1.959963984540054, accuracy: 1e-15)
    }

    func testFitFileRoundTripForEveryLaw() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-law-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chinchilla = try chinchillaFit()
        let path = dir.appendingPathComponent("c.fit.json").path
        try chinchilla.save(to: path)
        let back = try Fit<ChinchillaLaw>.load(path: path)
        XCTAssertEqual(back.parameters, chinchilla.parameters)
        XCTAssertEqual(back.standardErrors, chinchilla.standardErrors)
        XCTAssertEqual(back.summary, chinchilla.summary)
        XCTAssertEqual(try back.predict(N: 1e10, D: 2e11), try chinchilla.predict(N: 1e10, D: 2e11))
        // The wrong law is refused by name.
        XCTAssertThrowsError(try Fit<KaplanLaw>.load(path: path)) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: path, reason: "the fit file holds the chinchilla law, not kaplan"))
            XCTAssertEqual(error.localizedDescription, "\(path): the fit file holds the chinchilla law, not kaplan")
        }
        let law = MultiPowerLaw(convention: .paper)
        let curveFit = try Fit(law, to: try curves(law, truth: [3.0, 0.5, 0.5, 300, 2, 0.6, 0.6]))
        let curvePath = dir.appendingPathComponent("m.fit.json").path
        try curveFit.save(to: curvePath)
        let curveBack = try Fit<MultiPowerLaw>.load(path: curvePath)
        XCTAssertEqual(curveBack.law.convention, .paper)
        let wsd = try LRSchedule(spec: "wsd:peak=1e-3,warmup=20,stable=900,decay=300,shape=linear")
        XCTAssertEqual(try curveBack.predict(steps: [100, 1199], schedule: wsd), try curveFit.predict(steps: [100, 1199], schedule: wsd))
        // The curve rows of a fit file are the fit's predictions through LawRegistry, bit for bit,
        // steps sorted and merged; steps in any order give the same values as sorted ones.
        let rows = try FitFile.read(path: curvePath).predictCurve(schedule: wsd, steps: [1199, 100, 1199, 600], file: curvePath)
        let sorted = try curveBack.predict(steps: [100, 600, 1199], schedule: wsd)
        XCTAssertEqual(rows.map(\.step), [100, 600, 1199])
        XCTAssertEqual(rows.map(\.loss), sorted.map(\.value))
        XCTAssertEqual(rows.map(\.meanLower95), sorted.map(\.lower))
        XCTAssertEqual(try curveBack.predict(steps: [1199, 100, 600], schedule: wsd).map(\.value), [2, 0, 1].map { sorted[$0].value })
        XCTAssertThrowsError(try FitFile.read(path: path).predictCurve(schedule: wsd, steps: [1], file: path)) { error in
            XCTAssertEqual(error as? ScaleFitError, .invalidData(file: path, reason: "the fit file holds the chinchilla law; this needs a loss-curve law (annealing or multipower)"))
        }
        // An unwritable destination is exit 74, naming the path.
        XCTAssertThrowsError(try chinchilla.save(to: "/nonexistent-dir/x.fit.json")) { error in
            guard case let .cannotWrite(p, _)? = error as? ScaleFitError else { return XCTFail("\(error)") }
            XCTAssertEqual(p, "/nonexistent-dir/x.fit.json")
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 74)
        }
    }

    // MARK: diagnostics

    func testDegenerateFitsSaySo() throws {
        // One model size: α and A (and B, β along D alone) are not separable.
        let n = [Double](repeating: 1e8, count: 8)
        let d = (0..<8).map { 1e9 * pow(2, Double($0)) }
        let l = d.map { 1.8 + 400 / pow(1e8, 0.34) + 410 / pow($0, 0.28) }
        let fit = try Fit(ChinchillaLaw(), to: try ModelRuns(N: n, D: d, loss: l))
        XCTAssertFalse(fit.isSound)
        XCTAssertTrue(fit.diagnostics.contains { if case .rankDeficient = $0 { return true }; if case .notIdentified = $0 { return true }; return false },
                      "\(fit.diagnostics)")
        // A power law whose floor ends on its bound E = 0 says so.
        let x = [1e6, 1e7, 1e8, 1e9, 1e10]
        let pure = x.map { 50 * pow($0, -0.2) }
        let power = try Fit(SaturatingPowerLaw(), to: try PowerLawRuns(x: x, loss: pure))
        XCTAssertTrue(power.diagnostics.contains(.atBound(parameter: "E", bound: 0)), "\(power.diagnostics)")
        // Columns of different lengths are bad data, not a crash.
        XCTAssertThrowsError(try ModelRuns(N: [1, 2], D: [1], loss: [1, 2])) { error in
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
    }
}
