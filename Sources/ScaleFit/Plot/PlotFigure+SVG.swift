extension PlotFigure {
    /// The figure as a standalone SVG document (UTF-8 text): a `viewBox` of `width` × the
    /// height the panels need, text in the generic `sans-serif` family, every number written
    /// with two decimals, so the same figure always gives the same bytes.
    ///
    /// Lines are simplified to within 0.1 px (Ramer–Douglas–Peucker) and clipped to their
    /// panel; each legend goes in the first panel corner where it hides no data, else to
    /// the right of the panel.
    package func svg() -> String {
        let legends = panels.map { PlotLegend(entries: $0.legend) }
        var layout = PlotLayout(figure: self, legendWidthOutside: 0)
        var positions = placeLegends(legends, layout: layout)
        let outside = zip(legends, positions).filter { !$0.0.entries.isEmpty && $0.1 == nil }.map { $0.0.width }
        if let widest = outside.max() {
            layout = PlotLayout(figure: self, legendWidthOutside: widest)
            positions = placeLegends(legends, layout: layout)
        }
        let n = SVGDocument.number
        var svg = SVGDocument()
        svg.add("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        svg.group("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", n(width)), ("height", n(layout.height)),
                          ("viewBox", "0 0 \(n(width)) \(n(layout.height))"), ("font-family", "sans-serif"),
                          ("fill", "#222222")]) { svg in
            svg.element("title", [], text: (subtitle.map { "\(title) (\($0))" } ?? title) + (warning.map { " — \($0)" } ?? ""))
            svg.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")])
            svg.group("defs", []) { svg in
                for (i, g) in layout.panels.enumerated() {
                    svg.group("clipPath", [("id", "panel-\(i)")]) { svg in
                        svg.element("rect", [("x", n(g.x0)), ("y", n(g.y0)), ("width", n(g.x1 - g.x0)), ("height", n(g.y1 - g.y0))])
                    }
                }
            }
            let centre = (layout.panels.first.map { ($0.x0 + $0.x1) / 2 }) ?? width / 2
            for (i, line) in layout.titleLines.enumerated() {
                // Centred over the panels, but moved left or right as far as it takes to stay inside
                // the figure (a legend outside narrows the panels); the bold title is ~5% wider.
                let half = TextWidth.of(line.text, size: line.size) * (i == 0 ? 1.05 : 1) / 2, m = PlotMetrics.edge
                let x = 2 * (half + m) >= width ? width / 2 : min(max(centre, m + half), width - m - half)
                var attributes = [("x", n(x)), ("y", n(line.y)), ("font-size", n(line.size)), ("text-anchor", "middle")]
                attributes.append(i == 0 && !title.isEmpty ? ("font-weight", "bold") : ("fill", "#444444"))
                svg.element("text", attributes, text: line.text)
            }
            for line in layout.warningLines {
                svg.element("text", [("x", n(width / 2)), ("y", n(line.y)), ("font-size", n(line.size)), ("text-anchor", "middle"),
                                     ("fill", "#b00020")], text: line.text)
            }
            for (i, panel) in panels.enumerated() {
                drawPanel(panel, index: i, layout: layout, into: &svg)
                if let origin = positions[i] { legends[i].draw(at: origin, into: &svg) }
            }
            for g in layout.panels {
                guard let label = g.xLabel else { continue }
                svg.element("text", [("x", n((g.x0 + g.x1) / 2)), ("y", n(label.y)),
                                     ("font-size", n(PlotMetrics.labelFont)), ("text-anchor", "middle")], text: label.text)
            }
        }
        return svg.text
    }

    /// Each non-empty legend's origin: inside its panel where it hides nothing, else right
    /// of the panel (nil when it does not fit there with the current margins).
    private func placeLegends(_ legends: [PlotLegend], layout: PlotLayout) -> [(x: Double, y: Double)?] {
        zip(panels, zip(legends, layout.panels)).map { panel, pair in
            let (legend, g) = pair
            guard !legend.entries.isEmpty else { return nil }
            let samples = PlotLegend.samples(of: panel, geometry: g, xScale: g.xScale, xDomain: g.xDomain)
            if let inside = legend.insidePosition(in: g, samples: samples) { return inside }
            let x = g.x1 + 12
            return x + legend.width <= width - 4 ? (x, g.y0) : nil
        }
    }

    private func drawPanel(_ panel: PlotPanel, index: Int, layout: PlotLayout, into svg: inout SVGDocument) {
        let g = layout.panels[index], m = PlotMetrics.self, n = SVGDocument.number
        let xs = g.xScale, ys = panel.yAxis.scale
        let xPosition = { (v: Double) in g.px(v, scale: xs, domain: g.xDomain) }
        let yPosition = { (v: Double) in g.py(v, scale: ys) }
        svg.group("g", [("class", "panel")]) { svg in
            // Grid at labelled ticks.
            svg.group("g", [("stroke", "#e5e5e5"), ("stroke-width", "0.6")]) { svg in
                for t in g.xTicks where t.kind != .minor {
                    let x = xPosition(t.value)
                    svg.element("line", [("x1", n(x)), ("y1", n(g.y0)), ("x2", n(x)), ("y2", n(g.y1))])
                }
                for t in g.yTicks where t.kind != .minor {
                    let y = yPosition(t.value)
                    svg.element("line", [("x1", n(g.x0)), ("y1", n(y)), ("x2", n(g.x1)), ("y2", n(y))])
                }
            }
            if let ref = panel.referenceY, PlotSeries.drawable(ref, ys) {
                let y = yPosition(ref)
                svg.element("line", [("x1", n(g.x0)), ("y1", n(y)), ("x2", n(g.x1)), ("y2", n(y)),
                                     ("stroke", "#888888"), ("stroke-width", "0.8"), ("stroke-dasharray", "4 3")])
            }
            svg.group("g", [("clip-path", "url(#panel-\(index))")]) { svg in
                for series in panel.series {
                    series.draw(into: &svg, geometry: g, xScale: xs, xDomain: g.xDomain, yScale: ys)
                }
            }
            svg.element("rect", [("x", n(g.x0)), ("y", n(g.y0)), ("width", n(g.x1 - g.x0)), ("height", n(g.y1 - g.y0)),
                                 ("fill", "none"), ("stroke", "#333333"), ("stroke-width", "0.8")])
            drawTicks(g: g, yTicks: g.yTicks, xPosition: xPosition, yPosition: yPosition, into: &svg)
            let xLabels = g.xLabel != nil ? PlotLayout.labelled(g.xTicks, position: xPosition,
                                                     extent: { TextWidth.of($0, size: m.tickFont) }, gap: 6) : []
            for i in xLabels {
                svg.element("text", [("x", n(xPosition(g.xTicks[i].value))), ("y", n(g.y1 + m.tickLength + 3 + m.tickFont * 0.8)),
                                     ("font-size", n(m.tickFont)), ("text-anchor", "middle")], text: Self.typeset(g.xTicks[i].label!))
            }
            let yLabels = PlotLayout.labelled(g.yTicks, position: yPosition, extent: { _ in m.tickFont }, gap: 2)
            for i in yLabels {
                svg.element("text", [("x", n(g.x0 - m.tickLength - 3)), ("y", n(yPosition(g.yTicks[i].value) + m.tickFont * 0.35)),
                                     ("font-size", n(m.tickFont)), ("text-anchor", "end")], text: Self.typeset(g.yTicks[i].label!))
            }
            let ly = (g.y0 + g.y1) / 2, lx = m.edge + m.labelFont
            svg.element("text", [("x", n(lx)), ("y", n(ly)), ("font-size", n(m.labelFont)), ("text-anchor", "middle"),
                                 ("transform", "rotate(-90 \(n(lx)) \(n(ly)))")], text: panel.yAxis.label)
        }
    }

    /// A tick label as printed: the minus sign (U+2212) for the hyphen-minus.
    static func typeset(_ label: String) -> String { label.replacingOccurrences(of: "-", with: "\u{2212}") }

    private func drawTicks(g: PanelGeometry, yTicks: [AxisTick], xPosition: (Double) -> Double,
                           yPosition: (Double) -> Double, into svg: inout SVGDocument) {
        let n = SVGDocument.number, m = PlotMetrics.self
        svg.group("g", [("stroke", "#333333"), ("stroke-width", "0.8")]) { svg in
            for t in g.xTicks {
                let x = xPosition(t.value), l = t.kind == .minor ? m.minorTickLength : m.tickLength
                svg.element("line", [("x1", n(x)), ("y1", n(g.y1)), ("x2", n(x)), ("y2", n(g.y1 + l))])
            }
            for t in yTicks {
                let y = yPosition(t.value), l = t.kind == .minor ? m.minorTickLength : m.tickLength
                svg.element("line", [("x1", n(g.x0 - l)), ("y1", n(y)), ("x2", n(g.x0)), ("y2", n(y))])
            }
        }
    }
}
