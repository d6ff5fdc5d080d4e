import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import ScaleFit

/// Small fixed inputs for the figure tests, and an XML reader of the SVG they give.
enum PlotFixtures {
    /// Two curves of 10 logged steps (100…1000) under 1,600 steps of schedule; "wsd" also
    /// predicted over 1000…1500.
    static func lossCurves() throws -> LossCurvePlot {
        let steps = (1...10).map { Double($0 * 100) }
        let law = { (s: Double, c: Double) -> Double in
            let power: Double = 2 / (s / 100).squareRoot()
            return 3 + power - c * s / 1e4
        }
        let wiggle: [Double] = steps.indices.map { Double(($0 * 7) % 5 - 2) * 0.004 }
        let cosine: [Double] = (0..<1600).map { (i: Int) -> Double in
            let phase: Double = Double.pi * Double(i) / 1600
            return 3e-4 * (0.55 + 0.45 * cos(phase))
        }
        let wsd: [Double] = (0..<1600).map { (i: Int) -> Double in
            i < 1000 ? 3e-4 : 3e-4 * (1 - 0.9 * Double(i - 1000) / 600)
        }
        let future = (10...15).map { Double($0 * 100) }
        return try LossCurvePlot(curves: [
            .init(name: "cosine", steps: steps, observed: zip(steps, wiggle).map { law($0, 1) + $1 },
                  fitted: steps.map { law($0, 1) }, rates: cosine),
            .init(name: "wsd", steps: steps, observed: zip(steps, wiggle).map { law($0, 0) - $1 },
                  fitted: steps.map { law($0, 0) }, predictionSteps: future, predicted: future.map { law($0, 0.5) },
                  rates: wsd),
        ])
    }

    /// Three token groups of three runs, law lines, a frontier and a band.
    static func powerLaw() throws -> PowerLawPlot {
        let n = [7e7, 3e8, 1.3e9]
        let law = { (n: Double, d: Double) -> Double in
            let a: Double = 480 / pow(n, 0.34), b: Double = 2000 / pow(d, 0.37)
            return 1.8 + a + b
        }
        let line = [5e7, 1.5e8, 5e8, 1e9, 2e9]
        let groups = zip(["2B", "20B", "200B"], [2e9, 2e10, 2e11]).enumerated().map { i, g in
            PowerLawPlot.Group(name: g.0, x: n, observed: n.indices.map { (k: Int) -> Double in
                                   law(n[k], g.1) + 0.01 * Double((k + i) % 3 - 1)
                               },
                               fitted: n.map { law($0, g.1) }, lawX: line, lawLoss: line.map { law($0, g.1) })
        }
        let frontier = [5e7, 2e8, 8e8, 2e9]
        return try PowerLawPlot(groups: groups, frontierX: frontier, frontierLoss: frontier.map { law($0, 20 * $0) },
                                bandX: frontier, bandLower: frontier.map { law($0, 20 * $0) - 0.03 },
                                bandUpper: frontier.map { law($0, 20 * $0) + 0.03 }, groupHeading: "D =")
    }
}

/// What an SVG document holds, read back with Foundation's XML parser.
final class SVGContents: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    var rootAttributes: [String: String] = [:]
    var legendRects: [[String: String]] = []
    var dashedPolylines = 0
    private var textBuffer: String?
    private var inLegend = 0
    private(set) var error: Error?

    /// nil when the text is not well-formed XML.
    static func parse(_ svg: String) -> SVGContents? {
        let contents = SVGContents()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = contents
        return parser.parse() ? contents : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
        if name == "svg" { rootAttributes = attributes }
        if name == "text" { textBuffer = "" }
        if name == "polyline", attributes["stroke-dasharray"] != nil { dashedPolylines += 1 }
        if inLegend > 0 { inLegend += 1 }
        if name == "g", attributes["class"] == "legend" { inLegend = 1 }
        if name == "rect", inLegend == 2 { legendRects.append(attributes) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let t = textBuffer { texts.append(t); textBuffer = nil }
        if inLegend > 0 { inLegend -= 1 }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        textBuffer? += string
    }
}
