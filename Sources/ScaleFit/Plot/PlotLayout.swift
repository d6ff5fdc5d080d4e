import Foundation

/// Sizes of the text and marks, in px, shared by the layout and the drawing.
enum PlotMetrics {
    static let tickFont = 11.0
    static let labelFont = 12.0
    static let titleFont = 15.0
    static let subtitleFont = 12.0
    static let legendFont = 11.0
    static let tickLength = 4.0
    static let minorTickLength = 2.5
    static let panelGap = 12.0
    static let edge = 10.0
}

/// A panel after layout: its rectangle in px, its resolved y range and ticks, and its x
/// axis (the figure's shared one or its own) with where its label goes, when it has one.
struct PanelGeometry {
    var x0: Double, x1: Double, y0: Double, y1: Double
    var yDomain: ClosedRange<Double>
    var yTicks: [AxisTick]
    var xScale: AxisScale
    var xDomain: ClosedRange<Double>
    var xTicks: [AxisTick]
    /// The x axis label and its baseline, for a panel with x tick labels under it (the
    /// last, one with its own x axis, and the one above such a panel); nil for the others.
    var xLabel: (text: String, y: Double)?

    func px(_ value: Double, scale: AxisScale, domain: ClosedRange<Double>) -> Double {
        x0 + Self.clamp(scale.fraction(value, in: domain)) * (x1 - x0)
    }

    func py(_ value: Double, scale: AxisScale) -> Double {
        y1 - Self.clamp(scale.fraction(value, in: yDomain)) * (y1 - y0)
    }

    /// Far-off points stay far off but finite (10⁴ panel sizes), so coordinates print.
    static func clamp(_ f: Double) -> Double { min(max(f, -1e4), 1e4) }
}

/// Where everything goes: the shared x range and ticks, each panel's rectangle, the title
/// lines, and the margins that fit the tick labels and a legend placed outside.
struct PlotLayout {
    var width: Double
    var height: Double
    var xDomain: ClosedRange<Double>
    var xTicks: [AxisTick]
    var panels: [PanelGeometry]
    var titleLines: [(text: String, size: Double, y: Double)]
    /// The warning's lines (`PlotFigure.warning`), drawn in red under the subtitle.
    var warningLines: [(text: String, size: Double, y: Double)]
    var xLabelY: Double

    init(figure: PlotFigure, legendWidthOutside: Double) {
        let m = PlotMetrics.self
        width = figure.width
        let xValues = figure.panels.filter { $0.xAxis == nil }.flatMap { $0.series.flatMap(\.x) }
        xDomain = Self.domain(of: xValues, axis: figure.xAxis)
        xTicks = AxisTicks.ticks(for: figure.xAxis.scale, in: xDomain, style: figure.xAxis.tickLabels)
        var yDomains: [ClosedRange<Double>] = [], yTicks: [[AxisTick]] = []
        for panel in figure.panels {
            let values = panel.series.flatMap { $0.y + $0.upper } + (panel.referenceY.map { [$0] } ?? [])
            let domain = Self.domain(of: values, axis: panel.yAxis)
            yDomains.append(domain)
            // About one labelled tick per 60 px of height, 3 to 5.
            let target = min(5, max(3, Int(figure.panelHeight * panel.relativeHeight / 60)))
            yTicks.append(AxisTicks.ticks(for: panel.yAxis.scale, in: domain, style: panel.yAxis.tickLabels, target: target))
        }
        // Panels with their own x axis: its range and ticks.
        let own = figure.panels.map { panel -> (domain: ClosedRange<Double>, ticks: [AxisTick])? in
            guard let axis = panel.xAxis else { return nil }
            let domain = Self.domain(of: panel.series.flatMap(\.x), axis: axis)
            return (domain, AxisTicks.ticks(for: axis.scale, in: domain, style: axis.tickLabels))
        }
        let widest = yTicks.joined().compactMap(\.label).map { TextWidth.of($0, size: m.tickFont) }.max() ?? 0
        let x0 = m.edge + m.labelFont * 1.2 + 8 + widest + m.tickLength + 4
        // Half the last x tick label may stick out right of the panel.
        let lastLabels = ([xTicks] + own.compactMap { $0?.ticks }).map { $0.last(where: { $0.label != nil })?.label ?? "" }
        let lastLabel = lastLabels.max { TextWidth.of($0, size: m.tickFont) < TextWidth.of($1, size: m.tickFont) } ?? ""
        let right = max(16, TextWidth.of(lastLabel, size: m.tickFont) / 2 + 6,
                        legendWidthOutside > 0 ? legendWidthOutside + 20 : 0)
        let x1 = figure.width - right

        var lines: [(String, Double, Double)] = []
        var y = m.edge
        if !figure.title.isEmpty {
            y += m.titleFont
            lines.append((figure.title, m.titleFont, y))
        }
        if let subtitle = figure.subtitle, !subtitle.isEmpty {
            for line in Self.wrap(subtitle, width: figure.width - 2 * m.edge, size: m.subtitleFont) {
                y += m.subtitleFont * 1.4
                lines.append((line, m.subtitleFont, y))
            }
        }
        titleLines = lines
        var warnings: [(String, Double, Double)] = []
        if let warning = figure.warning, !warning.isEmpty {
            for line in Self.wrapWords(warning, width: figure.width - 2 * m.edge, size: m.subtitleFont) {
                y += m.subtitleFont * 1.4
                warnings.append((line, m.subtitleFont, y))
            }
        }
        warningLines = warnings
        y += lines.isEmpty && warnings.isEmpty ? 4 : 14
        var geometries: [PanelGeometry] = []
        let labelDrop = m.tickLength + 4 + m.tickFont + 8 + m.labelFont
        for (i, panel) in figure.panels.enumerated() {
            let h = figure.panelHeight * panel.relativeHeight
            let last = i == figure.panels.count - 1
            let labelled = last || panel.xAxis != nil || figure.panels[i + 1].xAxis != nil
            let axis = panel.xAxis ?? figure.xAxis
            geometries.append(PanelGeometry(x0: x0, x1: x1, y0: y, y1: y + h, yDomain: yDomains[i], yTicks: yTicks[i],
                                            xScale: axis.scale, xDomain: own[i]?.domain ?? xDomain, xTicks: own[i]?.ticks ?? xTicks,
                                            xLabel: labelled ? (axis.label, y + h + labelDrop) : nil))
            // A labelled panel above another leaves room for its tick labels and axis label.
            y += h + m.panelGap + (labelled && !last ? labelDrop + m.panelGap : 0)
        }
        y -= m.panelGap
        panels = geometries
        xLabelY = y + labelDrop
        height = (xLabelY + m.edge).rounded(.up)
    }

    /// The range an axis shows: the fixed one, or the finite (positive, on a log axis)
    /// values padded by 4% of the span (×10^(±0.04·decades) on a log axis); a symmetric
    /// range ±r is widened to ±1.15·r.
    static func domain(of values: [Double], axis: PlotAxis) -> ClosedRange<Double> {
        if let range = axis.range { return range }
        let log = axis.scale == .log10
        let usable = values.filter { $0.isFinite && (!log || $0 > 0) }
        guard var lo = usable.min(), var hi = usable.max() else { return log ? 1...10 : 0...1 }
        if axis.symmetric {
            let r = max(abs(lo), abs(hi))
            (lo, hi) = r > 0 ? (-r, r) : (-1, 1)
        }
        if log {
            if hi == lo { lo /= 1.5; hi *= 1.5 }
            let pad = pow(10, 0.04 * log10(hi / lo))
            return (lo / pad)...(hi * pad)
        }
        if hi == lo { let d = max(abs(lo) * 0.1, 1); lo -= d; hi += d }
        // Residual panels are short: more room keeps the extreme markers off the frame.
        let pad = (axis.symmetric ? 0.15 : 0.04) * (hi - lo) / (axis.symmetric ? 2 : 1)
        return (lo - pad)...(hi + pad)
    }

    /// `text` broken at ", " so that each line fits `width` px.
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        guard TextWidth.of(text, size: size) > width else { return [text] }
        let parts = text.components(separatedBy: ", ")
        var lines: [String] = [], current = ""
        for part in parts {
            let candidate = current.isEmpty ? part : current + ", " + part
            if !current.isEmpty, TextWidth.of(candidate + ",", size: size) > width {
                lines.append(current + ",")
                current = part
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// `text` broken between words into lines no wider than `width` (a word wider than
    /// that stands on its own line).
    static func wrapWords(_ text: String, width: Double, size: Double) -> [String] {
        guard TextWidth.of(text, size: size) > width else { return [text] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty, TextWidth.of(candidate, size: size) > width {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Which labelled ticks keep their label so that no two overlap along the axis:
    /// all, else without the `secondary` ones, else every 2nd, 3rd, … of the rest.
    static func labelled(_ ticks: [AxisTick], position: (Double) -> Double, extent: (String) -> Double,
                         gap: Double) -> [Int] {
        let all = ticks.indices.filter { ticks[$0].label != nil }
        let majors = all.filter { ticks[$0].kind == .major }
        func fits(_ indices: [Int]) -> Bool {
            let spans = indices.map { i -> (Double, Double) in
                let p = position(ticks[i].value), e = extent(ticks[i].label!) / 2
                return (p - e, p + e)
            }.sorted { $0.0 < $1.0 }
            return zip(spans, spans.dropFirst()).allSatisfy { $0.1 + gap <= $1.0 }
        }
        if fits(all) { return all }
        if fits(majors) { return majors }
        for every in 2...max(2, majors.count) {
            let kept = majors.enumerated().filter { $0.offset % every == 0 }.map(\.element)
            if fits(kept) { return kept }
        }
        return Array(majors.prefix(1))
    }
}
