/// A panel's legend: its size, the corner where it hides no data, and its drawing.
struct PlotLegend {
    let entries: [PlotLegendEntry]
    static let row = 16.0
    static let sample = 24.0
    static let padding = 6.0

    var width: Double {
        let text = entries.map { TextWidth.of($0.label, size: PlotMetrics.legendFont) }.max() ?? 0
        return Self.padding + Self.sample + 6 + text + Self.padding
    }

    var height: Double { 2 * Self.padding + Double(entries.count) * Self.row - 3 }

    /// The first of top-right, top-left, bottom-right, bottom-left, right-middle,
    /// left-middle (inset 8 px) whose box (with 3 px margin) covers none of `samples`, or
    /// nil when every one covers some or the legend does not fit the panel.
    func insidePosition(in g: PanelGeometry, samples: [(x: Double, y: Double)]) -> (x: Double, y: Double)? {
        let inset = 8.0, w = width, h = height
        guard w + 2 * inset <= g.x1 - g.x0, h + 2 * inset <= g.y1 - g.y0 else { return nil }
        let left = g.x0 + inset, right = g.x1 - inset - w
        let top = g.y0 + inset, bottom = g.y1 - inset - h, middle = (g.y0 + g.y1 - h) / 2
        let candidates = [(right, top), (left, top), (right, bottom), (left, bottom), (right, middle), (left, middle)]
        for (x, y) in candidates {
            let hidden = samples.contains { $0.x >= x - 3 && $0.x <= x + w + 3 && $0.y >= y - 3 && $0.y <= y + h + 3 }
            if !hidden { return (x, y) }
        }
        return nil
    }

    /// Marker centres and points every 3 px along lines, in px: what a legend must not hide.
    static func samples(of panel: PlotPanel, geometry g: PanelGeometry, xScale: AxisScale,
                        xDomain: ClosedRange<Double>) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        for series in panel.series {
            let points = series.projected(series.y, in: g, xScale: xScale, xDomain: xDomain, yScale: panel.yAxis.scale)
            switch series.kind {
            case .points:
                out += points.compactMap { $0 }
            case .line, .band:
                for run in PlotSeries.runs(points) {
                    out.append(run[0])
                    for (a, b) in zip(run, run.dropFirst()) {
                        let d = max(abs(b.x - a.x), abs(b.y - a.y))
                        let steps = min(Int(d / 3), 400)
                        if steps > 0 {
                            for k in 1...steps {
                                let t = Double(k) / Double(steps + 1)
                                out.append((a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
                            }
                        }
                        out.append(b)
                    }
                }
            }
        }
        return out
    }

    func draw(at origin: (x: Double, y: Double), into svg: inout SVGDocument) {
        let n = SVGDocument.number
        svg.group("g", [("class", "legend")]) { svg in
            svg.element("rect", [("x", n(origin.x)), ("y", n(origin.y)), ("width", n(width)), ("height", n(height)),
                                 ("fill", "#ffffff"), ("fill-opacity", "0.9"), ("stroke", "#cccccc"), ("stroke-width", "0.6")])
            for (i, entry) in entries.enumerated() {
                let cy = origin.y + Self.padding + Self.row * (Double(i) + 0.5) - 1.5
                let sx = origin.x + Self.padding
                if entry.band {
                    svg.element("rect", [("x", n(sx)), ("y", n(cy - 5)), ("width", n(Self.sample)), ("height", "10"),
                                         ("fill", entry.color.hex), ("fill-opacity", "0.2")])
                }
                if let style = entry.line {
                    var attributes = [("x1", n(sx)), ("y1", n(cy)), ("x2", n(sx + Self.sample)), ("y2", n(cy)),
                                      ("stroke", entry.color.hex), ("stroke-width", "1.6"), ("stroke-linecap", "round")]
                    if let dash = PlotSeries.dash(style, width: 1.6) { attributes.append(("stroke-dasharray", dash)) }
                    svg.element("line", attributes)
                }
                if let marker = entry.marker {
                    svg.group("g", [("fill", entry.color.hex), ("fill-opacity", "0.85"), ("stroke", "#ffffff"),
                                    ("stroke-width", "0.5")]) { svg in
                        PlotSeries.marker(marker, at: (sx + Self.sample / 2, cy), size: 3, into: &svg)
                    }
                }
                svg.element("text", [("x", n(sx + Self.sample + 6)), ("y", n(cy + PlotMetrics.legendFont * 0.35)),
                                     ("font-size", n(PlotMetrics.legendFont))], text: entry.label)
            }
        }
    }
}
