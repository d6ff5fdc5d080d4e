import Foundation
import XCTest
@testable import ScaleFit

/// Renders one figure of each kind from the shared real data into the folder named by
/// `SCALEFIT_PLOT_EXAMPLES`, for looking at (convert with `rsvg-convert`); skipped otherwise.
final class PlotExampleRenderTests: XCTestCase {
    func folder() throws -> URL {
        guard let path = ProcessInfo.processInfo.environment["SCALEFIT_PLOT_EXAMPLES"] else {
            throw XCTSkip("set SCALEFIT_PLOT_EXAMPLES=DIR to render the example figures into DIR")
        }
        return URL(fileURLWithPath: path)
    }

    func testRenderLossCurveExample() throws {
        let out = try folder()
        let law = MultiPowerLaw(), theta = LRCurveData.published["25M"]!
        var curves: [LossCurvePlot.Curve] = []
        for name in ["cosine_24000", "constant_24000"] {
            let curve = try LRCurveData.curve("25M", name)
            curves.append(.init(curve: curve, fitted: law.predict(curve, parameters: theta)))
        }
        let held = try LRCurveData.curve("25M", "wsd_20000_24000")
        curves.append(.init(curve: held, fitted: [], predictionSteps: held.steps,
                            predicted: law.predict(held, parameters: theta)))
        let plot = try LossCurvePlot(curves: curves)
        let svg = plot.figure(title: "Multi-power law, 25M model (Luo et al. 2025)",
                              subtitle: PlotTitle.values(names: law.parameterNames, values: theta)).svg()
        try svg.write(to: out.appendingPathComponent("loss-curve.svg"), atomically: true, encoding: .utf8)
    }

    func testRenderPowerLawExample() throws {
        let out = try folder()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("shared/data/chinchilla/svg_extracted_data.csv")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw XCTSkip("../shared/data/chinchilla/svg_extracted_data.csv not found at \(file.path)")
        }
        var rows: [(n: Double, c: Double, l: Double)] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            rows.append((Double(f[3])!, Double(f[4])!, Double(f[6].trimmingCharacters(in: .whitespacesAndNewlines))!))
        }
        rows.sort { $0.l < $1.l }
        rows.removeLast(5)
        let n = rows.map(\.n), d = rows.map { $0.c / (6 * $0.n) }, l = rows.map(\.l)
        let starts = StartGrid.cartesian([[0, 0.5], [5, 10], [5, 10], [0, 0.5], [0.5, 1]])
        var runs = try ModelRuns(N: n, D: d, loss: l, labels: l.indices.map { "run \($0)" })
        runs.lines = Array(2..<(2 + l.count))
        let fit = try Fit(ChinchillaLaw(grid: starts), to: runs)
        let law = fit.values
        let report = try ChinchillaReport(fit: fit, runs: runs)
        var laws: [ChinchillaLaw.Parameters] = []
        for b in 0..<40 {
            var g = SeededGenerator.stream(seed: 7, index: b)
            let idx = l.indices.map { _ in Int(g.next() % UInt64(l.count)) }
            let problem = ChinchillaLogProblem(parameters: idx.map { n[$0] }, tokens: idx.map { d[$0] }, loss: idx.map { l[$0] })
            let r = try LevenbergMarquardt(options: SolverOptions(loss: .huber(scale: 1e-3))).minimize(problem, from: fit.parameters)
            laws.append(ChinchillaLaw.Parameters(logParameters: r.parameters))
        }
        let plot = try PowerLawPlot.chinchilla(report: report, law: law, grouping: .compute, bootstrapLaws: laws)
        let values = PlotTitle.values(names: ["E", "A", "B", "alpha", "beta"],
                                      values: [law.E, law.A, law.B, law.alpha, law.beta])
        let svg = plot.figure(title: "Chinchilla: " + PlotTitle.greek(ChinchillaLaw.formula), subtitle: values).svg()
        try svg.write(to: out.appendingPathComponent("power-law.svg"), atomically: true, encoding: .utf8)
    }

    /// `Data/runs.csv` (six sizes × five tokens-per-parameter ratios), grouped by D/N.
    func testRenderTokensPerParameterExample() throws {
        let out = try folder()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Data/runs.csv"), encoding: .utf8)
        var n: [Double] = [], d: [Double] = [], l: [Double] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            n.append(Double(f[1])!); d.append(Double(f[2])!); l.append(Double(f[3])!)
        }
        var runs = try ModelRuns(N: n, D: d, loss: l, labels: l.indices.map { "run \($0)" })
        runs.lines = Array(2..<(2 + l.count))
        let fit = try Fit(ChinchillaLaw(grid: StartGrid.cartesian([[0, 0.5], [5, 10], [5, 10], [0, 0.5], [0.5, 1]])), to: runs)
        let law = fit.values
        let report = try ChinchillaReport(fit: fit, runs: runs)
        let plot = try PowerLawPlot.chinchilla(report: report, law: law, grouping: .tokensPerParameter)
        let values = PlotTitle.values(names: ["E", "A", "B", "alpha", "beta"],
                                      values: [law.E, law.A, law.B, law.alpha, law.beta])
        let svg = plot.figure(title: "Data/runs.csv: " + PlotTitle.greek(ChinchillaLaw.formula), subtitle: values).svg()
        try svg.write(to: out.appendingPathComponent("power-law-ratio.svg"), atomically: true, encoding: .utf8)
    }
}
