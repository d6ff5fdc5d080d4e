/// One set of data drawn in a panel: markers, a polyline, or a translucent band.
package struct PlotSeries: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// A marker at every (x, y) with radius `size` px.
        case points(MarkerShape, size: Double)
        /// A polyline through the (x, y) in order, `width` px wide; a non-finite y breaks it.
        case line(LineStyle, width: Double)
        /// The region between `y` (lower) and `upper`, filled at 20% opacity.
        case band
    }

    package var kind: Kind
    package var x: [Double]
    package var y: [Double]
    /// The band's upper edge (empty for points and lines).
    package var upper: [Double]
    package var color: PlotColor

    package init(kind: Kind, x: [Double], y: [Double], upper: [Double] = [], color: PlotColor) {
        self.kind = kind
        self.x = x
        self.y = y
        self.upper = upper
        self.color = color
    }

    package static func points(x: [Double], y: [Double], color: PlotColor, marker: MarkerShape = .circle,
                              size: Double = 3) -> PlotSeries {
        PlotSeries(kind: .points(marker, size: size), x: x, y: y, color: color)
    }

    package static func line(x: [Double], y: [Double], color: PlotColor, style: LineStyle = .solid,
                            width: Double = 1.6) -> PlotSeries {
        PlotSeries(kind: .line(style, width: width), x: x, y: y, color: color)
    }

    package static func band(x: [Double], lower: [Double], upper: [Double], color: PlotColor) -> PlotSeries {
        PlotSeries(kind: .band, x: x, y: lower, upper: upper, color: color)
    }
}

/// One row of a legend: a sample (marker, line, band swatch, in any combination) and text.
package struct PlotLegendEntry: Sendable, Equatable {
    package var label: String
    package var color: PlotColor
    package var marker: MarkerShape?
    package var line: LineStyle?
    package var band: Bool

    package init(label: String, color: PlotColor, marker: MarkerShape? = nil, line: LineStyle? = nil, band: Bool = false) {
        self.label = label
        self.color = color
        self.marker = marker
        self.line = line
        self.band = band
    }
}

/// An axis: its label, scale, how ticks are written, and an optional fixed range
/// (otherwise the data's range, padded by 4% of the span on each side, or ×10^(±0.04·span)
/// on a log axis; ±1.15·max|v| when `symmetric`). Linear axes get about one labelled tick
/// per 60 px of panel height (3 to 5).
package struct PlotAxis: Sendable, Equatable {
    package var label: String
    package var scale: AxisScale
    package var tickLabels: TickLabelStyle
    package var range: ClosedRange<Double>?
    /// Make the automatic range symmetric about zero (residual panels).
    package var symmetric: Bool

    package init(label: String, scale: AxisScale = .linear, tickLabels: TickLabelStyle = .plain,
                range: ClosedRange<Double>? = nil, symmetric: Bool = false) {
        self.label = label
        self.scale = scale
        self.tickLabels = tickLabels
        self.range = range
        self.symmetric = symmetric
    }
}

/// A panel: its own y axis, its series drawn in order, an optional horizontal reference
/// line (y = 0 in a residual panel) and an optional legend, placed in the corner that hides
/// the fewest data (outside on the right if every corner hides some). A panel with its own
/// `xAxis` (the IsoFLOP figure's N_opt-against-C panel under its loss-against-N one) has its
/// range, ticks and label drawn under it; the others share the figure's.
package struct PlotPanel: Sendable, Equatable {
    package var yAxis: PlotAxis
    /// The panel's own x axis (nil: the figure's, shared with the neighbouring panels).
    package var xAxis: PlotAxis?
    package var series: [PlotSeries]
    package var legend: [PlotLegendEntry]
    package var referenceY: Double?
    /// Height relative to the first panel's 1.0 (a lower panel is typically 0.3).
    package var relativeHeight: Double

    package init(yAxis: PlotAxis, series: [PlotSeries], legend: [PlotLegendEntry] = [], referenceY: Double? = nil,
                relativeHeight: Double = 1, xAxis: PlotAxis? = nil) {
        self.yAxis = yAxis
        self.xAxis = xAxis
        self.series = series
        self.legend = legend
        self.referenceY = referenceY
        self.relativeHeight = relativeHeight
    }
}

/// A figure: a title (and a subtitle, e.g. the fitted law's values), panels stacked top to
/// bottom sharing one x axis (tick labels under the last panel only; a panel with its own
/// `xAxis` is labelled under itself, and so is the panel above it), rendered as SVG.
///
/// ```swift
/// let figure = PlotFigure(
///     title: "Loss against model size",
///     xAxis: PlotAxis(label: "parameters N", scale: .log10, tickLabels: .si),
///     panels: [PlotPanel(yAxis: PlotAxis(label: "loss", scale: .log10),
///                        series: [.points(x: [7e7, 4e8, 1.3e9], y: [3.4, 2.9, 2.6], color: .series(0))],
///                        legend: [PlotLegendEntry(label: "runs", color: .series(0), marker: .circle)])])
/// let svg: String = figure.svg()   // same figure, same bytes
/// ```
package struct PlotFigure: Sendable, Equatable {
    package var title: String
    package var subtitle: String?
    package var xAxis: PlotAxis
    package var panels: [PlotPanel]
    /// Width in px (the SVG's viewBox width); the height follows from the panels.
    package var width: Double
    /// Height of a panel with `relativeHeight` 1, in px.
    package var panelHeight: Double
    /// A line in red under the subtitle: what makes the drawn fit unsound (nil for a sound one).
    package var warning: String?

    package init(title: String, subtitle: String? = nil, xAxis: PlotAxis, panels: [PlotPanel],
                width: Double = 640, panelHeight: Double = 320) {
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.panels = panels
        self.width = width
        self.panelHeight = panelHeight
    }

    /// The figure of a fit with these diagnostics (`FitDiagnostic` descriptions): an unsound
    /// fit's figure says so under its title, as its table and JSON do; a sound one is unchanged.
    package func flagged(_ diagnostics: [String]) -> PlotFigure {
        var f = self
        f.warning = diagnostics.isEmpty ? nil : "NOT SOUND: " + diagnostics.joined(separator: "; ")
        return f
    }
}
