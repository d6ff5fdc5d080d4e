import Foundation
import XCTest
@testable import ScaleFit

/// The registry opens any fit file as the fit of its law; the one bootstrap serves every
/// law fitted to runs and reproduces the Chinchilla bootstrap it replaced.
final class LawRegistryAndBootstrapTests: XCTestCase {
    func temporaryFile(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.appendingPathComponent(name).path
    }

    func testRegistryListsAndOpensEveryLaw() throws {
        XCTAssertEqual(LawRegistry.identifiers, ["chinchilla", "kaplan", "power", "annealing", "multipower", "formula", "multilingual", "isoflop", "envelope"])
        XCTAssertTrue(LawRegistry.law(named: "multipower") == MultiPowerLaw.self)
        XCTAssertNil(LawRegistry.law(named: "chinchila"))
        let fit = try LawProtocolTests.chinchillaFit()
        let path = try temporaryFile("c.fit.json")
        try fit.save(to: path)
        let opened = try LawRegistry.load(path: path)
        XCTAssertEqual(opened.lawIdentifier, "chinchilla")
        XCTAssertEqual(opened.parameters, fit.parameters)
        let p = try opened.predict(.sizes([ModelSize(N: 7e10, D: 1.4e12)]), level: 0.95)
        XCTAssertEqual(p, [try fit.predict(N: 7e10, D: 1.4e12)])
        let schedule = LRSchedule.constant(peak: 1e-3, warmup: 0, total: 100)
        XCTAssertThrowsError(try opened.predict(.curve(CurveQuery(schedule: schedule, steps: [10])), level: 0.95)) { error in
            XCTAssertEqual(error as? ScaleFitError,
                           .invalidData(file: fit.data.file,
                                        reason: "the chinchilla law predicts at model sizes (N, D), not at steps under a schedule"))
        }
        // A multilingual file opens as the whole mix's fit, and checks its parameters.
        var multilingual = fit.file
        multilingual.law = "multilingual"
        XCTAssertThrowsError(try LawRegistry.fit(multilingual, source: "f.json")) { error in
            XCTAssertTrue("\(error)".contains("a multilingual fit file needs six parameters per family, found 5"), "\(error)")
        }
        // A file that holds no law of the loss is named as such.
        var allocation = fit.file
        allocation.law = FitFile.isoflopLaw
        XCTAssertThrowsError(try LawRegistry.fit(allocation, source: "f.json")) { error in
            XCTAssertTrue("\(error)".contains("the fit file holds the isoflop law, which is not a law of the runs' loss"), "\(error)")
            XCTAssertTrue("\(error)".contains("it holds a compute-optimal allocation"), "\(error)")
        }
        // Each fit says which kind of point it predicts at.
        XCTAssertEqual(opened.queryKind, .sizes)
    }

    func testBootstrapIsTheChinchillaBootstrapAndTravelsInTheFitFile() throws {
        let data = try LawProtocolTests.runs()
        let fit = try LawProtocolTests.chinchillaFit()
        let withBootstrap = try fit.bootstrapped(data, samples: 40, seed: 7)
        let b = try XCTUnwrap(withBootstrap.bootstrap)
        let view = ChinchillaBootstrap(fit: fit, runs: data, samples: 40, seed: 7, compute: 5.76e23)
        XCTAssertEqual(b.failed, view.failed)
        for (mine, theirs) in zip(b.intervals, view.intervals.prefix(5)) {
            XCTAssertEqual(mine.name, theirs.name)
            XCTAssertEqual(mine.lower, theirs.lower, accuracy: 1e-12 * abs(theirs.lower))
            XCTAssertEqual(mine.upper, theirs.upper, accuracy: 1e-12 * abs(theirs.upper))
        }
        let allocation = try XCTUnwrap(withBootstrap.allocationIntervals(compute: 5.76e23))
        for (mine, theirs) in zip(allocation, view.intervals.suffix(4)) {
            XCTAssertEqual(mine.name, theirs.name)
            XCTAssertEqual(mine.median, theirs.median, accuracy: 1e-9 * abs(theirs.median))
        }
        // The draws travel in the fit file: another budget's interval from the file alone.
        let path = try temporaryFile("b.fit.json")
        try withBootstrap.save(to: path)
        let back = try Fit<ChinchillaLaw>.load(path: path)
        XCTAssertEqual(back.bootstrap, withBootstrap.bootstrap)
        XCTAssertEqual(back.allocationIntervals(compute: 1e22), withBootstrap.allocationIntervals(compute: 1e22))
        let intervals = try XCTUnwrap(try back.bootstrapIntervals([ModelSize(N: 7e10, D: 1.4e12)]))
        let p = try back.predict(N: 7e10, D: 1.4e12)
        XCTAssertTrue(intervals[0].lower < p.value && p.value < intervals[0].upper, "\(intervals[0]) \(p)")
        XCTAssertNil(try fit.bootstrapIntervals([ModelSize(N: 1, D: 1)]))
    }

    func testBootstrapServesKaplanAndThePowerLawAndRefusesSillySizes() throws {
        let data = try LawProtocolTests.runs()
        let kaplan = try Fit(KaplanLaw(), to: data).bootstrapped(data, samples: 20, seed: 1)
        let kb = try XCTUnwrap(kaplan.bootstrap)
        XCTAssertEqual(kb.intervals.map(\.name), ["Nc", "Dc", "alphaN", "alphaD"])
        XCTAssertEqual(kb.draws.count, 20 - kb.failed)
        let runs = try PowerLawRuns(x: data.N, loss: data.loss)
        let power = try Fit(SaturatingPowerLaw(), to: runs).bootstrapped(runs, samples: 20, seed: 1)
        let pb = try XCTUnwrap(power.bootstrap)
        let alpha = pb.intervals[2]
        XCTAssertTrue(alpha.lower <= power.parameters[2] && power.parameters[2] <= alpha.upper, "\(alpha)")
        XCTAssertThrowsError(try Fit(SaturatingPowerLaw(), to: runs).bootstrapped(runs, samples: 0)) { error in
            XCTAssertEqual(error as? ScaleFitError, .badArgument(flag: "samples", position: 0, expected: "a number of resamples in 1…100000", found: "0"))
        }
        XCTAssertThrowsError(try Fit(SaturatingPowerLaw(), to: runs).bootstrapped(runs, samples: 1_000_000_000))
    }

    /// `Fit<FormulaLaw>` is the hand-run multi-start of its grid (every start to convergence,
    /// the covariance at the best run), and predicts from its file with additive intervals.
    func testFormulaLawIsAMultiStartOfItsGrid() throws {
        let data = try LawProtocolTests.runs()
        let text = "E + A*N^-alpha + B*D^-beta"
        let starts = try ParameterStarts(parsing: "E=2,A=400,B=400,alpha=0.2:0.4:0.1,beta=0.3")
        let law = try FormulaLaw(formula: text, variables: ["N", "D"], starts: starts,
                                 bounds: try ParameterRanges(parsing: "alpha=0:2"), columns: ["N": "params", "D": "tokens"])
        let table = try RunTableReader.read(path: LawProtocolTests.runsPath)
        let fit = try Fit(law, to: try law.observations(from: table, options: TableOptions()))
        let model = try FormulaModel(formula: text, variables: ["N", "D"])
        let reference = try MultiStart().minimize(try FormulaProblem(model: model, inputs: [data.N, data.D], observed: data.loss),
                                                  starts: try model.startingPoints(starts),
                                                  bounds: try model.parameterBounds(try ParameterRanges(parsing: "alpha=0:2")))
        let covariance = try ParameterCovariance(result: reference.best)
        XCTAssertEqual(fit.parameters, reference.best.parameters)
        XCTAssertEqual(fit.standardErrors, covariance.standardErrors)
        XCTAssertEqual(fit.rank, covariance.rank)
        XCTAssertEqual(fit.degreesOfFreedom, covariance.degreesOfFreedom)
        XCTAssertEqual(fit.search.startsTried, 3)
        XCTAssertEqual(fit.search.startsAtBest, reference.startsAtBest)
        XCTAssertEqual(fit.variables, ["N", "D"])
        XCTAssertEqual(fit["alpha"] ?? 0, 0.34, accuracy: 0.05)
        // Additive intervals: ŷ ± z·√(gᵀΣg), g = ∂f/∂θ exactly.
        let path = try temporaryFile("f.fit.json")
        try fit.save(to: path)
        let opened = try LawRegistry.load(path: path)
        let p = try opened.predict(.columns(["N": [7e10], "D": [1.4e12]]), level: 0.95)[0]
        let g = try model.jacobian(inputs: [[7e10], [1.4e12]], parameters: fit.parameters)
        var v = 0.0
        for i in 0..<5 { for j in 0..<5 { v += g[0, i] * fit.covariance[i, j] * g[0, j] } }
        XCTAssertEqual(p.value, try model.values(inputs: [[7e10], [1.4e12]], parameters: fit.parameters)[0])
        XCTAssertEqual(p.upper - p.value, 1.959963984540054 * v.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(p.value - p.lower, 1.959963984540054 * v.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(p.scale, .linear)
        XCTAssertThrowsError(try opened.predict(.columns(["N": [7e10]]), level: 0.95)) { error in
            XCTAssertTrue("\(error)".contains("the formula law predicts at values of its variables (N, D)"), "\(error)")
        }
    }
}

final class FitReportTests: XCTestCase {
    func testOneReportForEveryLawSaysWhetherTheFitIsSound() throws {
        let data = try LawProtocolTests.runs()
        let fit = try LawProtocolTests.chinchillaFit()
        let report = FitReport(fit, data: data)
        XCTAssertEqual(report.law, "chinchilla")
        XCTAssertEqual(report.parameters.map(\.name), ["E", "A", "B", "alpha", "beta"])
        XCTAssertEqual(report.residuals.count, 30)
        XCTAssertEqual(report.residuals[0].fitted, fit.law.fitted(data, parameters: fit.parameters)[0])
        XCTAssertEqual(report.residuals[0].residual, report.residuals[0].fitted - data.loss[0])
        XCTAssertEqual(report.rows, 30)
        XCTAssertTrue(report.isSound)
        // An unsound fit's report carries the diagnosis.
        let x = [1e6, 1e7, 1e8, 1e9, 1e10]
        let runs = try PowerLawRuns(x: x, loss: x.map { 50 * pow($0, -0.2) })
        let power = FitReport(try Fit(SaturatingPowerLaw(), to: runs), data: runs)
        XCTAssertFalse(power.isSound)
        XCTAssertTrue(power.diagnostics.contains("E is at its bound 0.0: the optimum may lie beyond it"), "\(power.diagnostics)")
        XCTAssertEqual(power.residuals.map(\.label), ["run 1", "run 2", "run 3", "run 4", "run 5"])
    }
}
