/// A small, fast, seedable random number generator (SplitMix64, Steele et al. 2014), so
/// that bootstraps and random starts give the same bytes for the same seed on every
/// platform — unlike `SystemRandomNumberGenerator`.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    package mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A generator for stream `index` derived from `seed`: parallel tasks each take their
    /// own stream, so the result does not depend on how work is scheduled.
    package static func stream(seed: UInt64, index: Int) -> SeededGenerator {
        var g = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }
}
