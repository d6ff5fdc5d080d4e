import Foundation
import XCTest
@testable import ScaleFit

/// The IsoFLOP and loss-envelope figures: what each panel draws, from the fit alone, and
/// the lower panel on its own x axis (`PlotGoldenTests` pins their bytes).
final class AllocationPlotTests: XCTestCase {
    /// 3 budgets × 5 sizes of Chinchilla's law with 1% noise, and a fourth budget of 2 sizes (flagged).
    static func isoflopFit(bootstrap: Int = 30) throws -> IsoFLOPProfiles {
        let sweep = IsoFLOPSweep(budgets: [1e18, 1e19, 1e20], offsets: [-0.6, -0.3, 0, 0.3, 0.6])
        var runs = try sweep.runs(seed: 2)
        runs.parameters += [3e9, 6e9]; runs.compute += [1e21, 1e21]; runs.loss += [2.3, 2.35]; runs.lines += [16, 17]
        return try IsoFLOPProfiles(runs, options: .init(bootstrapSamples: bootstrap, seed: 1))
    }

    static func isoflop() throws -> PlotFigure {
        AllocationPlot.isoflop(try isoflopFit(), compute: 1e22, title: "IsoFLOP (fixture)")
    }

    /// 5 sizes 0.3 decade apart, 20 logged steps each, 0.5% noise.
    static func envelopeFit() throws -> LossEnvelope {
        let sweep = LossEnvelopeSweep(sizes: (0..<5).map { pow(10, 7.5 + 0.3 * Double($0)) },
                                      steps: (0..<20).map { pow(10, 2 + 3 * Double($0) / 19).rounded() })
        return try LossEnvelope(try sweep.curves(seed: 1), options: .init(binWidth: 0.1, bootstrapSamples: 30, seed: 1))
    }

    static func envelope() throws -> PlotFigure {
        AllocationPlot.envelope(try envelopeFit(), compute: 1e22, title: "Loss envelope (fixture)")
    }

    func testIsoFLOPFigureDrawsEachBudgetItsParabolaAndMinimum() throws {
        let fit = try Self.isoflopFit()
        XCTAssertEqual(fit.profiles.map(\.isUsed), [true, true, true, false])
        let figure = AllocationPlot.isoflop(fit, compute: 1e22, title: "t")
        XCTAssertEqual(figure.panels.count, 2)
        let top = figure.panels[0].series
        // The flagged budget's 2 runs in grey, then per used budget its parabola and runs, then the minima.
        XCTAssertEqual(top.count, 1 + 2 * 3 + 1)
        XCTAssertEqual(top[0], .points(x: [3e9, 6e9], y: [2.3, 2.35], color: .gray, size: 2.6))
        for (u, p) in fit.profiles.prefix(3).enumerated() {
            let line = top[1 + 2 * u], runs = top[2 + 2 * u]
            XCTAssertEqual(line.kind, .line(.solid, width: 1.3))
            XCTAssertEqual(line.color, .series(u))
            XCTAssertEqual(line.x.first!, p.parameterRange.lower, accuracy: 1e-6 * p.parameterRange.lower)
            XCTAssertEqual(line.x.last!, p.parameterRange.upper, accuracy: 1e-6 * p.parameterRange.upper)
            XCTAssertEqual(line.y[7], p.parabola.loss(parameters: line.x[7]))
            XCTAssertEqual(runs.x.count, 5)
        }
        XCTAssertEqual(top[7].kind, .points(.diamond, size: 4))
        XCTAssertEqual(top[7].x, fit.profiles.prefix(3).map { $0.parabola.optimalParameters! })
        XCTAssertEqual(top[7].y, fit.profiles.prefix(3).map { $0.parabola.minimumLoss! })
        XCTAssertEqual(figure.panels[0].legend.map(\.label), ["C = 1e18", "C = 1e19", "C = 1e20", "parabola minimum", "flagged budgets (1, not used)"])
        XCTAssertNil(figure.panels[0].xAxis)
        XCTAssertEqual(figure.xAxis.label, "parameters N")
    }

    func testTheLowerPanelIsNOptAgainstCWithTheBandAndTheBudget() throws {
        let fit = try Self.isoflopFit()
        let panel = AllocationPlot.isoflop(fit, compute: 1e22, title: "t").panels[1]
        XCTAssertEqual(panel.xAxis, PlotAxis(label: "compute C (FLOPs)", scale: .log10, tickLabels: .scientific))
        XCTAssertEqual(panel.yAxis.scale, .log10)
        let s = panel.series
        XCTAssertEqual(s.map(\.kind), [.band, .line(.solid, width: 1.6), .points(.circle, size: 3.2), .line(.solid, width: 1.4),
                                       .points(.diamond, size: 4.5)])
        // The line k·C^a from the smallest budget to the requested one, inside the band.
        XCTAssertEqual(s[1].x.first!, 1e18, accuracy: 1e12)
        XCTAssertEqual(s[1].x.last!, 1e22, accuracy: 1e16)
        for i in s[1].x.indices {
            XCTAssertEqual(s[1].y[i], fit.law.parameters(compute: s[1].x[i]), accuracy: 1e-9 * s[1].y[i])
            XCTAssertLessThanOrEqual(s[0].y[i], s[0].upper[i])
        }
        XCTAssertEqual(s[2].x, fit.profiles.prefix(3).map(\.compute))
        let interval = fit.bootstrap!.allocationIntervals(compute: 1e22)![0]
        XCTAssertEqual(s[3].y, [interval.lower, interval.upper])
        XCTAssertEqual(s[4].x, [1e22])
        XCTAssertEqual(s[4].y, [fit.law.parameters(compute: 1e22)])
        XCTAssertEqual(panel.legend.map(\.label).last, "N* = " + TickLabel.si(fit.law.parameters(compute: 1e22)) + " at C = 1e22")
        // Without a bootstrap: no band, no interval.
        let plain = AllocationPlot.isoflop(try Self.isoflopFit(bootstrap: 0), compute: 1e22, title: "t").panels[1]
        XCTAssertEqual(plain.series.map(\.kind), [.line(.solid, width: 1.6), .points(.circle, size: 3.2), .points(.diamond, size: 4.5)])
        XCTAssertFalse(plain.legend.contains { $0.band })
    }

    func testEnvelopeFigureDrawsEveryCurveAndTheEnvelope() throws {
        let fit = try Self.envelopeFit()
        let figure = AllocationPlot.envelope(fit, compute: 1e22, title: "t")
        let top = figure.panels[0].series
        XCTAssertEqual(top.count, 5 + 2)
        XCTAssertEqual(top.prefix(5).map(\.color), (0..<5).map(PlotColor.series))
        XCTAssertEqual(top[5].color, .gray)
        XCTAssertEqual(top[5].x.count, fit.flagged)
        XCTAssertEqual(top[6].x, fit.points.filter(\.isUsed).map(\.compute))
        XCTAssertEqual(top[6].y, fit.points.filter(\.isUsed).map(\.loss))
        XCTAssertEqual(figure.panels[0].yAxis.scale, .log10)
        XCTAssertEqual(figure.xAxis.scale, .log10)
        XCTAssertEqual(figure.panels[0].legend.count, 5 + 2)
        XCTAssertEqual(figure.panels[1].series[2].y, fit.points.filter(\.isUsed).map(\.parameters))
    }

    func testAPanelWithItsOwnXAxisIsLabelledUnderItselfAndUnderThePanelAbove() throws {
        let figure = try Self.isoflop()
        let layout = PlotLayout(figure: figure, legendWidthOutside: 0)
        XCTAssertEqual(layout.panels[0].xLabel?.text, "parameters N")
        XCTAssertEqual(layout.panels[1].xLabel?.text, "compute C (FLOPs)")
        XCTAssertGreaterThan(layout.panels[1].y0, layout.panels[0].xLabel!.y)
        XCTAssertEqual(layout.panels[1].xDomain.lowerBound, 1e18 / pow(10, 0.04 * 4), accuracy: 1e12)
        XCTAssertEqual(layout.panels[0].xScale, .log10)
        let svg = figure.svg()
        XCTAssertEqual(svg, try Self.isoflop().svg())
        XCTAssertTrue(svg.contains(">parameters N</text>") && svg.contains(">compute C (FLOPs)</text>"))
        XCTAssertTrue(svg.contains(">1e21</text>"), "the lower panel's own ticks")
    }
}
