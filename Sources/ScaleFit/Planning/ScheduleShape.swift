import Foundation

/// What a schedule looks like after its warmup: its drops, each a maximal run of steps where
/// η falls by more than 10⁻³·(η_max − η_min) per step, and in words ("constant", "staircase of
/// 4 drops", "single drop", "smooth decay over steps 18400–23999").
///
/// A drop is sharp when it spans at most max(2, (T − W)/1000) steps; a schedule whose drops
/// are all sharp is a staircase, one with a longer drop a smooth decay (plus its sharp drops).
public struct ScheduleShape: Sendable, Equatable, Codable {
    /// One drop: the steps where it falls (first and last, inclusive) and its total fall.
    public struct Drop: Sendable, Equatable, Codable {
        /// The first step of the drop.
        public var first: Int
        /// The last step of the drop (inclusive).
        public var last: Int
        /// η just before the drop minus η at its last step.
        public var size: Double
    }

    /// The drops, in order of step.
    public var drops: [Drop]
    /// The number of drops that are sharp.
    public var sharpDrops: Int
    /// The schedule's shape in words.
    public var description: String

    /// The shape of `rates` under `constraints`.
    init(rates: [Double], constraints: ScheduleConstraints) {
        let threshold = 1e-3 * constraints.span
        let sharpWidth = max(2, constraints.freeSteps / 1000)
        var drops: [Drop] = []
        var previous = constraints.peak
        var open: Drop? = nil
        for j in constraints.warmup..<constraints.steps {
            let d = previous - rates[j]
            if d > threshold {
                if open == nil { open = Drop(first: j, last: j, size: 0) }
                open!.last = j
                open!.size += d
            } else if let o = open {
                drops.append(o)
                open = nil
            }
            previous = rates[j]
        }
        if let o = open { drops.append(o) }
        self.drops = drops
        let sharp = drops.filter { $0.last - $0.first + 1 <= sharpWidth }
        sharpDrops = sharp.count
        let smooth = drops.filter { $0.last - $0.first + 1 > sharpWidth }
        if drops.isEmpty {
            description = "constant after the warmup"
        } else if smooth.isEmpty {
            let at = sharp.map { "\($0.first)" }.joined(separator: ", ")
            description = sharp.count == 1 ? "single sharp drop (at step \(at))" : "staircase of \(sharp.count) sharp drops (at steps \(at))"
        } else {
            let spans = smooth.map { "\($0.first)–\($0.last)" }.joined(separator: ", ")
            description = "smooth decay over steps \(spans)" + (sharp.isEmpty ? "" : " and \(sharp.count) sharp drop\(sharp.count == 1 ? "" : "s")")
        }
    }
}
