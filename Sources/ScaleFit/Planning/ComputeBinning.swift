import Foundation

/// How runs are grouped into compute budgets for IsoFLOP profiles (Hoffmann et al. 2022,
/// approach 2): sort the runs by log₁₀ C and start a new group wherever a run's log₁₀ C
/// exceeds the previous run's by more than `tolerance` decades (single linkage on log C).
///
/// ```
/// runs sorted by C:  c₁ ≤ c₂ ≤ … ≤ c_m
/// new group at k  ⇔  log₁₀ c_k − log₁₀ c_(k−1) > tolerance
/// group budget    =  the geometric mean of its runs' C
/// ```
///
/// Runs trained at one stated budget (the usual sweep) have equal C, so any tolerance
/// groups them exactly. The default, 0.03 decades (7% in C), is for budgets read off a
/// figure or derived as C = 6·N·D from rounded N and D: on Epoch AI's digitised Chinchilla
/// points it separates Hoffmann's budgets (6e18, 1e19, 3e19, …, 3e21) without joining
/// neighbours through the scattered runs between them, which 0.08 decades does.
public struct ComputeBinning: Sendable, Equatable, Codable {
    /// The largest gap in log₁₀ C, in decades, between consecutive runs of one group.
    public var tolerance: Double

    /// The default gap, 0.03 decades.
    public static let defaultTolerance = 0.03

    /// The rule with `tolerance` decades.
    /// - Throws: `badArgument` naming `tolerance` unless it is finite and ≥ 0.
    public init(tolerance: Double = ComputeBinning.defaultTolerance) throws {
        guard tolerance.isFinite, tolerance >= 0 else {
            throw ScaleFitError.badArgument(flag: "tolerance", position: 0, expected: "a finite number of decades ≥ 0", found: "\(tolerance)")
        }
        self.tolerance = tolerance
    }

    /// The rule in words, as reports state it.
    public var description: String {
        "runs sorted by compute; a new budget starts where log10 C rises more than \(tolerance) decades above the previous run's; each budget is its runs' geometric-mean C"
    }

    /// The indices of `compute` in groups, groups in increasing C, each group's indices in
    /// increasing C (ties in index order, so the grouping is deterministic).
    public func groups(_ compute: [Double]) -> [[Int]] {
        let order = compute.indices.sorted { (compute[$0], $0) < (compute[$1], $1) }
        var groups: [[Int]] = []
        var previous = -Double.infinity
        for i in order {
            let x = log10(compute[i])
            if groups.isEmpty || x - previous > tolerance { groups.append([i]) } else { groups[groups.count - 1].append(i) }
            previous = x
        }
        return groups
    }
}
