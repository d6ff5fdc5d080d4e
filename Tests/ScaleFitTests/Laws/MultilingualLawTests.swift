import XCTest
import ScaleFit

/// Generated multilingual runs: every (N, D) crossed with every mix, one row per family,
/// loss times (1 + noise·z) with z standard normal from `SeededGenerator(seed:)`.
enum MultilingualTestData {
    static let truth = [
        MultilingualLaw.Family(name: "en", E: 1.6, A: 380, B: 410, alpha: 0.33, beta: 0.28, gamma: 0.10),
        MultilingualLaw.Family(name: "zh", E: 1.9, A: 450, B: 520, alpha: 0.34, beta: 0.29, gamma: 0.16),
        MultilingualLaw.Family(name: "hi", E: 2.05, A: 430, B: 500, alpha: 0.31, beta: 0.30, gamma: 0.20),
    ]
    static let mixes: [[Double]] = [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [1.0 / 3, 1.0 / 3, 1.0 / 3]]

    static func make(families: [MultilingualLaw.Family] = truth, mixes: [[Double]] = mixes,
                     n: [Double] = [5e7, 2e8, 8e8], d: [Double] = [1e9, 4e9, 1.6e10], noise: Double = 0,
                     seed: UInt64 = 1, effect: ((Int, [Double]) -> Double)? = nil) throws -> MultilingualData {
        var g = SeededGenerator(seed: seed)
        var fam: [String] = [], ns: [Double] = [], ds: [Double] = [], ps: [Double] = [], ls: [Double] = [], runs: [String] = []
        for ni in n { for di in d { for (m, mix) in mixes.enumerated() { for (f, law) in families.enumerated() {
            let u1 = max(g.nextUnit(), 1e-300), u2 = g.nextUnit()
            let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            fam.append(law.name); ns.append(ni); ds.append(di); ps.append(mix[f]); runs.append("\(ni)-\(di)-\(m)")
            ls.append(law.loss(parameters: ni, tokens: di, ratio: mix[f]) * (1 + noise * z) * (effect?(f, mix) ?? 1))
        } } } }
        return try MultilingualData(file: "test.csv", family: fam, parameters: ns, tokens: ds, ratios: ps, loss: ls, runs: runs)
    }

    /// A few starts around the usual basin: enough for generated data, fast in debug builds.
    static let starts = StartGrid.cartesian([[0.5], [5, 10], [5, 10], [0.3, 0.6], [0.3], [0.1]])
}

final class MultilingualLawTests: XCTestCase {
    func testJacobianMatchesCentralDifferencesWithSharedParameters() {
        // Two families sharing alpha (slot 0): family 0 uses slots 0…5 with alpha at 0,
        // family 1 its own slots 6…10 and alpha at 0.
        let index = [[1, 2, 3, 0, 4, 5], [6, 7, 8, 0, 9, 10]]
        let family = [0, 0, 0, 1, 1, 1, 0, 1]
        let n: [Double] = [4e7, 1e8, 4e8, 1e9, 4e7, 1e10, 2e9, 3e8]
        let d: [Double] = [1e9, 5e9, 2e10, 8e10, 2e11, 3e9, 7e10, 1e11]
        let p: [Double] = [0.1, 0.5, 0.9, 0.3, 0.05, 1, 0.25, 0.7]
        let l: [Double] = [3.1, 2.8, 2.5, 2.9, 3.3, 2.2, 2.6, 2.7]
        let problem = MultilingualLogProblem(family: family, parameters: n, tokens: d, ratios: p, loss: l, index: index)
        XCTAssertEqual(problem.parameterCount, 11)
        for x in [[0.3, 0.5, 6.0, 7.5, 0.4, 0.1, 0.6, 6.2, 7.6, 0.37, 0.2],
                  [2.0, -1.0, 0.0, 25.0, 0.0, -0.3, 1.0, 20.0, 1.0, 1.5, 0.8]] {
            var j = Matrix(rows: 8, columns: 11)
            problem.jacobian(at: x, into: &j)
            let fd = finiteDifferenceJacobian(of: problem, at: x)
            for k in 0..<(8 * 11) {
                XCTAssertEqual(j.storage[k], fd.storage[k], accuracy: 1e-8 * max(1, abs(fd.storage[k])), "entry \(k)")
            }
        }
    }

    func testResidualsVanishAtTheGeneratingParameters() throws {
        let data = try MultilingualTestData.make()
        let problem = MultilingualLogProblem(family: data.family, parameters: data.parameters, tokens: data.tokens,
                                             ratios: data.ratios, loss: data.loss, index: [Array(0..<6), Array(6..<12), Array(12..<18)])
        var r = [Double](repeating: 1, count: problem.residualCount)
        problem.residuals(at: MultilingualTestData.truth.flatMap(\.logParameters), into: &r)
        XCTAssertLessThan(r.map(abs).max()!, 1e-14)
    }

    func testRecoversKnownParametersFromNoiselessDataFamilyByFamily() throws {
        let data = try MultilingualTestData.make()
        let fit = try MultilingualFit(data: data, options: MultilingualFitOptions(starts: MultilingualTestData.starts))
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.law.families.map(\.name), ["en", "zh", "hi"])
        for (got, want) in zip(fit.law.families, MultilingualTestData.truth) {
            for (g, w) in zip(got.naturalParameters, want.naturalParameters) {
                XCTAssertEqual(g, w, accuracy: 1e-6 * max(1, abs(w)), got.name)
            }
        }
        XCTAssertLessThan(fit.objective, 1e-20)
        // Independent fits: no covariance between families.
        XCTAssertEqual(fit.covariance[5, 11], 0)
    }

    /// 1% noise: γ is pinned within a few thousandths and lies in its 95% interval, and the
    /// optimal mix from the fit matches the one from the true parameters to 0.01.
    func testNoisyFitKeepsGammaInItsIntervalAndTheOptimalMix() throws {
        let data = try MultilingualTestData.make(noise: 0.01, seed: 7)
        let fit = try MultilingualFit(data: data, options: MultilingualFitOptions(starts: MultilingualTestData.starts))
        XCTAssertTrue(fit.converged)
        for f in 0..<3 {
            let se = fit.standardErrors(f)[5]
            XCTAssertLessThan(abs(fit.law.families[f].gamma - MultilingualTestData.truth[f].gamma), 1.96 * se)
            XCTAssertLessThan(se, 0.01)
        }
        let fitted = try OptimalMix(law: fit.law, parameters: 1e9, tokens: 2e10, normalized: true, minRatio: 0.01)
        let truth = try OptimalMix(law: MultilingualLaw(families: MultilingualTestData.truth), parameters: 1e9, tokens: 2e10,
                                   normalized: true, minRatio: 0.01)
        for (a, b) in zip(fitted.shares, truth.shares) { XCTAssertEqual(a.ratio, b.ratio, accuracy: 0.01, a.family) }
    }

    func testSharedParametersAreFittedJointlyAndOneValueForAllFamilies() throws {
        // zh has a single ratio, so its gamma is identified only when shared.
        let mixes: [[Double]] = [[0.6, 0.2, 0.2], [0.3, 0.2, 0.5], [0.1, 0.2, 0.7]]
        var families = MultilingualTestData.truth
        for k in families.indices { families[k].gamma = 0.15 }
        let data = try MultilingualTestData.make(families: families, mixes: mixes)
        XCTAssertThrowsError(try MultilingualFit(data: data, options: MultilingualFitOptions(starts: MultilingualTestData.starts))) { e in
            guard case let ScaleFitError.invalidData(_, reason) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(reason.contains("family zh: p takes one value (0.2), gamma cannot be identified"), reason)
            XCTAssertFalse(reason.contains("family en"), reason)
        }
        let shared = try MultilingualFit(data: data, options: MultilingualFitOptions(shared: [5], starts: MultilingualTestData.starts))
        XCTAssertTrue(shared.converged)
        for f in shared.law.families { XCTAssertEqual(f.gamma, 0.15, accuracy: 1e-6, f.name) }
        XCTAssertEqual(shared.parameters.count, 16)
        XCTAssertEqual(shared.covariance[5, 11], shared.covariance[5, 5])

        let fixed = try MultilingualFit(data: data, options: MultilingualFitOptions(fixed: ["zh": [5: 0.15]],
                                                                                    starts: MultilingualTestData.starts))
        XCTAssertEqual(fixed.law.families[1].gamma, 0.15)
        XCTAssertEqual(fixed.law.families[1].E, 1.9, accuracy: 1e-6)
        XCTAssertEqual(fixed.standardErrors(1)[5], 0)
    }

    func testIdentificationNamesWhatIsMissing() throws {
        let data = try MultilingualTestData.make(n: [1e8, 4e8], d: [1e10])
        let problems = data.identificationProblems(shared: [])
        XCTAssertTrue(problems.contains("family en: N takes 2 values, alpha cannot be identified (3 needed)"), "\(problems)")
        XCTAssertTrue(problems.contains("family en: D takes 1 value, beta cannot be identified (3 needed)"), "\(problems)")
        XCTAssertTrue(data.identificationProblems(shared: [4], fixed: [:]).contains("shared beta: no family's data identifies it"))
    }

    func testDataChecksRatiosAndRunSums() throws {
        XCTAssertThrowsError(try MultilingualData(file: "m.csv", family: ["en", "zh"], parameters: [1e8, 1e8], tokens: [1e9, 1e9],
                                                  ratios: [0.5, 1.5], loss: [3, 3], lines: [2, 3])) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "m.csv", reason: "line 3 (family zh): the sampling ratio must lie in (0, 1], found 1.5"))
        }
        let text = "run,params,tokens,family,ratio,loss\nr1,1e8,1e9,en,0.5,3\nr1,1e8,1e9,zh,0.4,3.2\nr2,1e8,1e9,en,0.5,3\nr2,1e8,1e9,zh,0.5,3.1\n"
        let table = try RunTableReader.read(data: Data(text.utf8), fileName: "m.csv")
        let mapping = try ColumnMapping.detect(in: table)
        let (data, dropped) = try MultilingualData.read(table: table, mapping: mapping)
        XCTAssertTrue(dropped.isEmpty)
        XCTAssertEqual(data.warnings, ["run r1 (lines 2, 3): the sampling ratios sum to 0.9, not 1"])
        XCTAssertThrowsError(try MultilingualData.read(table: table, mapping: mapping, strict: true)) { e in
            XCTAssertEqual(e as? ScaleFitError, .invalidData(file: "m.csv", reason: "run r1 (lines 2, 3): the sampling ratios sum to 0.9, not 1 (strict)"))
        }
    }

    func testFitFileRoundTripPredictsTheFittedLaw() throws {
        let data = try MultilingualTestData.make(noise: 0.005, seed: 3)
        let fit = try MultilingualFit(data: data, options: MultilingualFitOptions(starts: MultilingualTestData.starts))
        var file = FitFile(multilingual: fit, data: .init(file: "test.csv", rows: data.family.count, droppedRows: 0))
        file.noise = fit.predictionNoise(data)
        let back = try FitFile.decode(try file.encoded(), file: "fit.json")
        XCTAssertEqual(back.parameterNames.prefix(7), ["en.e", "en.a", "en.b", "en.alpha", "en.beta", "en.gamma", "zh.e"])
        let law = try back.multilingual(file: "fit.json")
        XCTAssertEqual(law, fit.law)
        // Opened through the registry as the fit of the whole mix.
        let opened = try LawRegistry.fit(back, source: "fit.json")
        XCTAssertEqual(opened.lawIdentifier, "multilingual")
        XCTAssertEqual(opened.queryKind, .families)
        let point = MultilingualFamilyPoint(family: "zh", point: MultilingualPoint(parameters: 3e9, tokens: 6e10, ratio: 0.25))
        let p = try opened.predict(.families([point]), level: 0.95)[0]
        XCTAssertEqual(p.value, fit.law.families[1].loss(parameters: 3e9, tokens: 6e10, ratio: 0.25), accuracy: 1e-12)
        // The band from the covariance, the prediction interval wider by the noise.
        XCTAssertLessThan(p.lower, p.value)
        XCTAssertGreaterThan(p.upper, p.value)
        XCTAssertTrue(p.hasNoise)
        XCTAssertLessThan(p.predictionLower, p.lower)
        XCTAssertGreaterThan(p.predictionUpper, p.upper)
        let sigma = try XCTUnwrap(back.noise).sigma
        let z = 1.959963984540054
        XCTAssertEqual(log(p.predictionUpper / p.value), z * (p.standardError * p.standardError + sigma * sigma).squareRoot(), accuracy: 1e-9)
        XCTAssertThrowsError(try opened.predict(.families([MultilingualFamilyPoint(family: "xx", point: point.point)]), level: 0.95))
        XCTAssertThrowsError(try opened.predict(.sizes([ModelSize(N: 1e9, D: 1e10)]), level: 0.95))
    }

    /// The multilingual backtest fits the kept rows family by family and predicts every row
    /// through the whole mix's fit, with the kept rows' noise.
    func testBacktestPredictsTheHeldOutRowsWithTheKeptRowsFit() throws {
        let data = try MultilingualTestData.make(noise: 0.01, seed: 8)
        let options = MultilingualFitOptions(starts: MultilingualTestData.starts)
        let b = try MultilingualBacktest(data: data, holdout: .random(fraction: 0.25, seed: 1), options: options)
        let held = b.heldOut.indices.filter { b.heldOut[$0] }
        XCTAssertEqual(held.count, Int((0.25 * Double(data.loss.count)).rounded()))
        XCTAssertEqual(b.mix.file.data.rows, data.loss.count - held.count)
        XCTAssertNotNil(b.mix.file.noise?.heldOut)
        for i in held.prefix(5) {
            let f = data.family[i]
            let expected = b.fit.law.families[f].loss(parameters: data.parameters[i], tokens: data.tokens[i], ratio: data.ratios[i])
            XCTAssertEqual(b.predictions[i].value, expected, accuracy: 1e-12 * expected)
            XCTAssertLessThan(b.predictions[i].predictionLower, b.predictions[i].lower)
        }
        XCTAssertEqual(b.heldOutErrors.runs, held.count)
        XCTAssertLessThan(b.heldOutErrors.meanAbsoluteRelativeError, 0.02)
        XCTAssertEqual(b.coverage?.points, held.count)
        XCTAssertThrowsError(try MultilingualBacktest(data: data, holdout: .computeAbove(1e40), options: options)) {
            XCTAssertTrue("\($0)".contains("holds out no row"), "\($0)")
        }
    }

    /// The noise pools every family's leave-one-size-out refits: the held-out error of a law
    /// fitted to noisy data is at least of the order of the noise, and the folds are counted.
    func testPredictionNoisePoolsTheFamiliesFolds() throws {
        let data = try MultilingualTestData.make(noise: 0.01, seed: 5)
        let fit = try MultilingualFit(data: data, options: MultilingualFitOptions(starts: MultilingualTestData.starts))
        let noise = fit.predictionNoise(data)
        XCTAssertEqual(noise.scale, .log)
        let sizes = data.familyNames.indices.map { Set(MultilingualFamilyRows(data, family: $0).parameters).count }
        XCTAssertEqual((noise.folds ?? 0) + (noise.foldsSkipped ?? 0), sizes.reduce(0, +))
        let heldOut = try XCTUnwrap(noise.heldOut)
        XCTAssertGreaterThan(heldOut, 0.005)
        XCTAssertLessThan(heldOut, 0.1)
        XCTAssertEqual(noise.residual, 0.01, accuracy: 0.005)
        XCTAssertTrue(noise.method.contains("en:"), noise.method)
    }

    func testIndependenceCheckFlagsAFamilyThatDependsOnTheOthers() throws {
        // Runs at equal N, D and p_en with different zh/hi splits, replicated for the noise.
        let mixes: [[Double]] = [[0.4, 0.3, 0.3], [0.4, 0.1, 0.5], [0.4, 0.5, 0.1], [0.2, 0.4, 0.4], [0.2, 0.7, 0.1]]
        let replicated = mixes + mixes
        let clean = try MultilingualTestData.make(mixes: replicated, noise: 0.01, seed: 11)
        let ok = try IndependenceCheck(data: clean)
        // zh's ratios never repeat across mixes, so it cannot be checked.
        XCTAssertEqual(ok.families.map(\.consistent), [true, nil, true], "\(ok.families)")
        XCTAssertTrue(ok.verdict.hasPrefix("consistent"), ok.verdict)
        // en's loss falls by 20% per unit of zh's ratio: the hypothesis fails for en.
        let dependent = try MultilingualTestData.make(mixes: replicated, noise: 0.01, seed: 11,
                                                      effect: { f, mix in f == 0 ? 1 - 0.2 * mix[1] : 1 })
        let bad = try IndependenceCheck(data: dependent)
        XCTAssertEqual(bad.families[0].consistent, false)
        XCTAssertGreaterThan(bad.families[0].ratio, 2)
        XCTAssertLessThan(bad.families[0].pValue, 1e-6)
        XCTAssertTrue(bad.verdict.contains("fails for en"), bad.verdict)
    }
}

/// The recovery criterion: over seeded trials with 1% noise, how often each
/// parameter's true value lies in its 95% interval (estimate ± 1.96·SE, log space for E, A, B).
final class MultilingualCoverageTests: XCTestCase {
    /// 40 trials by default (~10 s in debug); SCALEFIT_COVERAGE_TRIALS=200 measures (94–96%
    /// for every parameter with the Huber-calibrated covariance).
    func testIntervalsCoverTheTruthInSeededTrials() throws {
        let trials = Int(ProcessInfo.processInfo.environment["SCALEFIT_COVERAGE_TRIALS"] ?? "") ?? 40
        var covered = [Int](repeating: 0, count: 6), total = 0
        for t in 0..<trials {
            let data = try MultilingualTestData.make(noise: 0.01, seed: 100 + UInt64(t))
            let fit = try MultilingualFit(data: data, options: MultilingualFitOptions(starts: MultilingualTestData.starts))
            for f in 0..<3 {
                let est = fit.familyParameters(f), se = fit.standardErrors(f), truth = MultilingualTestData.truth[f].logParameters
                for k in 0..<6 where abs(est[k] - truth[k]) <= 1.959963984540054 * se[k] { covered[k] += 1 }
                total += 1
            }
        }
        let rates = covered.map { Double($0) / Double(total) }
        print("multilingual coverage over \(trials) trials × 3 families (e, a, b, alpha, beta, gamma): \(rates)")
        for k in 0..<6 { XCTAssertGreaterThanOrEqual(rates[k], 0.90, MultilingualLaw.familyParameterNames[k]) }
    }

    /// The F test's upper tail against tabulated critical values.
    func testFTestTailMatchesTables() {
        XCTAssertEqual(IndependenceCheck.upperTail(f: 3.3258, df: 5, noiseDF: 10), 0.05, accuracy: 1e-4)
        XCTAssertEqual(IndependenceCheck.upperTail(f: 2.4392, df: 60, noiseDF: 40), 0.00173036024, accuracy: 1e-9)
        XCTAssertEqual(IndependenceCheck.upperTail(f: 1, df: 20, noiseDF: 20), 0.5, accuracy: 1e-12)
        // Known noise: χ²(10)/10 exceeds 1.8307 with probability 0.05.
        XCTAssertEqual(IndependenceCheck.upperTail(f: 1.8307, df: 10, noiseDF: 0), 0.05, accuracy: 2e-3)
    }
}
