/// Drawing a series into a panel.
extension PlotSeries {
    /// The series' points in px, in order, with `nil` where a value cannot be drawn
    /// (non-finite, or non-positive on a log axis), which breaks lines and bands.
    func projected(_ values: [Double], in g: PanelGeometry, xScale: AxisScale, xDomain: ClosedRange<Double>,
                   yScale: AxisScale) -> [(x: Double, y: Double)?] {
        let count = min(x.count, values.count)
        return (0..<count).map { i in
            let u = x[i], v = values[i]
            guard Self.drawable(u, xScale), Self.drawable(v, yScale) else { return nil }
            return (g.px(u, scale: xScale, domain: xDomain), g.py(v, scale: yScale))
        }
    }

    static func drawable(_ v: Double, _ scale: AxisScale) -> Bool { v.isFinite && (scale == .linear || v > 0) }

    /// Runs of consecutive drawable points.
    static func runs(_ points: [(x: Double, y: Double)?]) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = [], current: [(x: Double, y: Double)] = []
        for p in points {
            if let p { current.append(p) } else if !current.isEmpty { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    static func pointList(_ points: [(x: Double, y: Double)]) -> String {
        points.map { "\(SVGDocument.number($0.x)),\(SVGDocument.number($0.y))" }.joined(separator: " ")
    }

    /// Simplification tolerance in px: invisible at any zoom a reader uses on a figure.
    static let tolerance = 0.1

    func draw(into svg: inout SVGDocument, geometry g: PanelGeometry, xScale: AxisScale,
              xDomain: ClosedRange<Double>, yScale: AxisScale) {
        let lower = projected(y, in: g, xScale: xScale, xDomain: xDomain, yScale: yScale)
        switch kind {
        case let .points(marker, size):
            let centres = lower.compactMap { $0 }
            guard !centres.isEmpty else { return }
            svg.group("g", [("fill", color.hex), ("fill-opacity", "0.85"), ("stroke", "#ffffff"), ("stroke-width", "0.5")]) { svg in
                for c in centres { Self.marker(marker, at: c, size: size, into: &svg) }
            }
        case let .line(style, width):
            for run in Self.runs(lower) where run.count > 1 {
                var attributes = [("points", Self.pointList(PolylineSimplifier.simplify(run, tolerance: Self.tolerance))),
                                  ("fill", "none"), ("stroke", color.hex), ("stroke-width", SVGDocument.number(width)),
                                  ("stroke-linejoin", "round"), ("stroke-linecap", "round")]
                if let dash = Self.dash(style, width: width) { attributes.append(("stroke-dasharray", dash)) }
                svg.element("polyline", attributes)
            }
        case .band:
            let top = projected(upper, in: g, xScale: xScale, xDomain: xDomain, yScale: yScale)
            let both = zip(lower, top).map { l, u -> (x: Double, y: Double, u: Double)? in
                guard let l, let u else { return nil }
                return (l.x, l.y, u.y)
            }
            var current: [(x: Double, y: Double, u: Double)] = []
            for p in both + [nil] {
                if let p { current.append(p); continue }
                if current.count > 1 {
                    let upperEdge = PolylineSimplifier.simplify(current.map { ($0.x, $0.u) }, tolerance: Self.tolerance)
                    let lowerEdge = PolylineSimplifier.simplify(current.reversed().map { ($0.x, $0.y) }, tolerance: Self.tolerance)
                    svg.element("polygon", [("points", Self.pointList(upperEdge + lowerEdge)), ("fill", color.hex),
                                            ("fill-opacity", "0.2"), ("stroke", "none")])
                }
                current = []
            }
        }
    }

    static func dash(_ style: LineStyle, width: Double) -> String? {
        switch style {
        case .solid: return nil
        case .dashed: return "\(SVGDocument.number(3.5 * width)) \(SVGDocument.number(2.2 * width))"
        case .dotted: return "\(SVGDocument.number(0.01)) \(SVGDocument.number(2 * width))"
        }
    }

    /// A marker of radius `size` centred at `c`: circle, square, triangle or diamond of
    /// about the same visual weight.
    static func marker(_ shape: MarkerShape, at c: (x: Double, y: Double), size r: Double, into svg: inout SVGDocument) {
        let n = SVGDocument.number
        switch shape {
        case .circle:
            svg.element("circle", [("cx", n(c.x)), ("cy", n(c.y)), ("r", n(r))])
        case .square:
            let s = r * 0.9
            svg.element("rect", [("x", n(c.x - s)), ("y", n(c.y - s)), ("width", n(2 * s)), ("height", n(2 * s))])
        case .triangle:
            let s = r * 1.25
            svg.element("path", [("d", "M\(n(c.x)),\(n(c.y - s))L\(n(c.x + 0.866 * s)),\(n(c.y + 0.5 * s))L\(n(c.x - 0.866 * s)),\(n(c.y + 0.5 * s))Z")])
        case .diamond:
            let s = r * 1.25
            svg.element("path", [("d", "M\(n(c.x)),\(n(c.y - s))L\(n(c.x + s)),\(n(c.y))L\(n(c.x)),\(n(c.y + s))L\(n(c.x - s)),\(n(c.y))Z")])
        }
    }
}
