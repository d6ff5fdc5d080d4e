import Foundation

/// How data values map onto an axis.
package enum AxisScale: Sendable, Equatable {
    case linear
    /// Base-10 logarithmic; non-positive values are not drawn.
    case log10

    /// The position of `value` as a fraction of the axis from `domain.lowerBound` (0) to
    /// `domain.upperBound` (1): (v − lo)/(hi − lo), or (log v − log lo)/(log hi − log lo).
    package func fraction(_ value: Double, in domain: ClosedRange<Double>) -> Double {
        switch self {
        case .linear:
            return (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        case .log10:
            return Foundation.log10(value / domain.lowerBound) / Foundation.log10(domain.upperBound / domain.lowerBound)
        }
    }
}

/// One tick of an axis: labelled (`major`, or `secondary` which a crowded axis may leave
/// unlabelled) or a short unlabelled mark (`minor`).
package struct AxisTick: Sendable, Equatable {
    package enum Kind: Sendable, Equatable { case major, secondary, minor }
    package var value: Double
    /// The text under or beside the tick; `nil` for minor ticks.
    package var label: String?
    package var kind: Kind

    package init(value: Double, label: String?, kind: Kind) {
        self.value = value
        self.label = label
        self.kind = kind
    }
}

/// "Nice" tick values for an axis range.
///
/// ```swift
/// AxisTicks.linear(in: 2.1...3.9, style: .plain).compactMap(\.label)  // ["2.5", "3.0", "3.5"]
/// AxisTicks.log10(in: 5e7...2e9, style: .si).compactMap(\.label)      // ["50M", "100M", "200M", "500M", "1B", "2B"]
/// ```
package enum AxisTicks {
    /// Multiples of a step 1, 2 or 5 × 10ᵏ inside `range`, the step chosen so that the count
    /// is closest to `target` (ties to the larger step) and, where possible, at least 2. `plain` labels share the step's
    /// number of decimals.
    package static func linear(in range: ClosedRange<Double>, style: TickLabelStyle, target: Int = 5) -> [AxisTick] {
        let lo = range.lowerBound, hi = range.upperBound
        guard lo.isFinite, hi.isFinite, hi > lo else {
            return lo.isFinite ? [AxisTick(value: lo, label: TickLabel.format(lo, style: style, decimals: 2), kind: .major)] : []
        }
        let step = niceStep(lo: lo, hi: hi, target: target)
        let decimals = TickLabel.decimals(forStep: step)
        return multiples(of: step, lo: lo, hi: hi).map {
            AxisTick(value: $0, label: TickLabel.format($0, style: style, decimals: decimals), kind: .major)
        }
    }

    /// Ticks for a base-10 axis over `range` (both bounds > 0).
    ///
    /// - at least two decades: the powers of ten are labelled (every k-th if there are more
    ///   than seven) and 2…9 × 10ᵏ are minor marks (up to ten decades);
    /// - under two decades: 1, 2 and 5 × 10ᵏ are labelled (2 and 5 as `secondary`), the
    ///   other integers × 10ᵏ are minor marks;
    /// - if that labels fewer than three values (a range within a factor of about 2.5),
    ///   linear nice ticks inside the range, as `linear(in:style:target:)` with target 4.
    package static func log10(in range: ClosedRange<Double>, style: TickLabelStyle) -> [AxisTick] {
        let lo = range.lowerBound, hi = range.upperBound
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return linear(in: range, style: style) }
        let span = Foundation.log10(hi / lo)
        let e0 = Int(floor(Foundation.log10(lo))), e1 = Int(ceil(Foundation.log10(hi)))
        let inside: (Double) -> Bool = { $0 >= lo * (1 - 1e-9) && $0 <= hi * (1 + 1e-9) }
        if span >= 2 {
            let decades = (e0...e1).filter { inside(power($0)) }
            let every = max(1, Int((Double(decades.count) / 7).rounded(.up)))
            var ticks: [AxisTick] = []
            for e in e0...e1 {
                let v = power(e)
                if inside(v) {
                    let labelled = e % every == 0
                    ticks.append(AxisTick(value: v, label: labelled ? TickLabel.format(v, style: style, decimals: decimals(v)) : nil,
                                          kind: labelled ? .major : .minor))
                }
                if span <= 10 {
                    for m in 2...9 where inside(Double(m) * v) {
                        ticks.append(AxisTick(value: Double(m) * v, label: nil, kind: .minor))
                    }
                }
            }
            return ticks
        }
        var candidates: [(value: Double, kind: AxisTick.Kind)] = []
        for e in e0...e1 {
            for m in 1...9 where inside(Double(m) * power(e)) {
                candidates.append((Double(m) * power(e), m == 1 ? .major : (m == 2 || m == 5 ? .secondary : .minor)))
            }
        }
        let labelled = candidates.filter { $0.kind != .minor }
        guard labelled.count >= 3 else { return linear(in: range, style: style, target: 4) }
        let shared = labelled.map { decimals($0.value) }.max() ?? 0
        return candidates.map {
            AxisTick(value: $0.value, label: $0.kind == .minor ? nil : TickLabel.format($0.value, style: style, decimals: shared),
                     kind: $0.kind)
        }
    }

    /// The ticks `scale` calls for over `range`; `target` applies to linear ticks.
    package static func ticks(for scale: AxisScale, in range: ClosedRange<Double>, style: TickLabelStyle,
                             target: Int = 5) -> [AxisTick] {
        scale == .linear ? linear(in: range, style: style, target: target) : log10(in: range, style: style)
    }

    static func niceStep(lo: Double, hi: Double, target: Int) -> Double {
        let raw = (hi - lo) / Double(max(target, 1))
        let magnitude = pow(10, floor(Foundation.log10(raw)))
        var best = magnitude, bestMiss = Double.infinity
        for m in [1.0, 2, 5, 10] {
            let step = m * magnitude
            let count = multiples(of: step, lo: lo, hi: hi).count
            // A lone tick says nothing about the scale: any count of two or more beats it.
            let miss = abs(Double(count - target)) + (count < 2 ? 100 : 0)
            if miss <= bestMiss { best = step; bestMiss = miss }
        }
        return best
    }

    static func multiples(of step: Double, lo: Double, hi: Double) -> [Double] {
        let first = Int((lo / step - 1e-9).rounded(.up)), last = Int((hi / step + 1e-9).rounded(.down))
        guard first <= last else { return [] }
        return (first...last).map { k in k == 0 ? 0 : Double(k) * step }
    }

    static func power(_ e: Int) -> Double { pow(10, Double(e)) }

    /// The decimals a 1–9 × 10ᵏ value needs in plain form.
    static func decimals(_ v: Double) -> Int { max(0, -Int(floor(Foundation.log10(v) + 1e-9))) }
}
