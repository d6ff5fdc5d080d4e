import Foundation
import XCTest
@testable import ScaleFit

/// Pins the bytes of one small figure of each kind. After an intended change to the
/// drawing, run with `SCALEFIT_UPDATE_GOLDEN=1` to rewrite the files under `Golden/`, look
/// at them, and commit them with the change.
final class PlotGoldenTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func testLossCurveFigureMatchesGolden() throws {
        let figure = try PlotFixtures.lossCurves().figure(title: "Multi-power law (fixture)",
                                                          subtitle: PlotTitle.values(names: ["L0", "A", "alpha"], values: [3, 2, 0.5]))
        try check(figure.svg(), golden: "loss-curve.svg")
    }

    func testPowerLawFigureMatchesGolden() throws {
        let figure = try PlotFixtures.powerLaw().figure(title: "Chinchilla: " + PlotTitle.greek(ChinchillaLaw.formula),
                                                        subtitle: PlotTitle.values(names: ["E", "A", "B", "alpha", "beta"],
                                                                                   values: [1.8, 480, 2000, 0.34, 0.37]))
        try check(figure.svg(), golden: "power-law.svg")
    }

    func testIsoFLOPFigureMatchesGolden() throws {
        try check(AllocationPlotTests.isoflop().svg(), golden: "isoflop.svg")
    }

    func testEnvelopeFigureMatchesGolden() throws {
        try check(AllocationPlotTests.envelope().svg(), golden: "envelope.svg")
    }

    func check(_ svg: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SCALEFIT_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try svg.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("golden file \(url.path) is missing; run with SCALEFIT_UPDATE_GOLDEN=1 to create it", file: file, line: line)
            return
        }
        guard svg != expected else { return }
        let got = svg.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        XCTFail("""
            \(name) differs from the golden file at line \(first + 1) (\(got.count) lines, golden \(want.count)):
              got:    \(first < got.count ? String(got[first]) : "<end>")
              golden: \(first < want.count ? String(want[first]) : "<end>")
            If the change is intended, rerun with SCALEFIT_UPDATE_GOLDEN=1 and review the files in \(Self.folder.path).
            """, file: file, line: line)
    }
}
