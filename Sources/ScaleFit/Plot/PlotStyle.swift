/// A colour as `#RRGGBB`.
package struct PlotColor: Sendable, Equatable, Hashable {
    package var hex: String
    package init(hex: String) { self.hex = hex }

    /// Okabe & Ito's colour-blind-safe palette (2008), in the order series take it; yellow
    /// (#F0E442) is left out because it cannot be read on white, black is kept for
    /// reference lines such as the compute-optimal frontier.
    package static let palette: [PlotColor] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
        .map(PlotColor.init(hex:))
    package static let black = PlotColor(hex: "#000000")
    package static let gray = PlotColor(hex: "#666666")

    /// The colour of the `index`-th series (cycling through `palette`).
    package static func series(_ index: Int) -> PlotColor {
        palette[((index % palette.count) + palette.count) % palette.count]
    }
}

/// The marker drawn for each point of a `points` series.
package enum MarkerShape: Sendable, Equatable, CaseIterable {
    case circle, square, triangle, diamond

    /// The marker of the `index`-th group once the colours have cycled: circles for the
    /// first `PlotColor.palette.count` groups, then squares, triangles, diamonds.
    package static func series(_ index: Int) -> MarkerShape {
        allCases[(max(index, 0) / PlotColor.palette.count) % allCases.count]
    }
}

/// Solid or dashed stroke.
package enum LineStyle: Sendable, Equatable {
    case solid, dashed, dotted
}
