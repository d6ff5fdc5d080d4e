import Dispatch
import Foundation

/// Runs Levenberg–Marquardt from many starting points across all cores and keeps the best.
///
/// The best run is the one with the lowest final cost among the converged runs (among all
/// runs if none converged); ties go to the earliest start. Each start is solved
/// independently and results are written by index, so the answer does not depend on
/// thread scheduling: same starts, same bytes.
public struct MultiStart: Sendable {
    /// The solver (and so the options) every start is run with.
    public var solver: LevenbergMarquardt
    /// Worker threads; defaults to the number of active processors.
    public var threads: Int

    /// Runs `solver` from every start on `threads` worker threads (at least one).
    public init(solver: LevenbergMarquardt = LevenbergMarquardt(),
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.solver = solver
        self.threads = max(1, threads)
    }

    /// Runs the solver from each of `starts` (each of length `parameterCount`) and returns the
    /// best run, with every start's final cost and end point. Throws when `starts` is empty,
    /// a start has the wrong length, or no run ends at a finite cost.
    public func minimize<P: LeastSquaresProblem>(
        _ problem: P, starts: [[Double]], bounds: ParameterBounds? = nil, fixed: [Bool]? = nil
    ) throws -> MultiStartResult {
        guard !starts.isEmpty else { throw ScaleFitError.fitFailed(reason: "no starting points") }
        for s in starts where s.count != problem.parameterCount {
            throw ScaleFitError.dimensionMismatch(expected: "\(problem.parameterCount) starting values",
                                                  found: "\(s.count)")
        }
        let count = starts.count
        // Per start only its cost, convergence and end point; the full result (residuals and
        // Jacobian, m·(n+1) numbers) is kept for each worker's best run only, so memory is
        // O(data + starts·n), not O(starts·data).
        let box = ResultBox(count: count, workers: min(threads, count))
        let solver = self.solver
        let workers = min(threads, count)
        // Interleaved assignment balances cheap and expensive starts across workers.
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var k = w
            var best: (k: Int, result: SolverResult)?
            while k < count {
                let r = try? solver.minimize(problem, from: starts[k], bounds: bounds, fixed: fixed)
                box.set(k, r.map { Outcome(cost: $0.cost, converged: $0.summary.converged, parameters: $0.parameters) })
                if let r, r.cost.isFinite, best.map({ Self.better(r, k, than: $0.result, $0.k) }) ?? true { best = (k, r) }
                k += workers
            }
            box.setBest(w, best)
        }
        let outcomes = box.values
        guard let (b, winner) = box.bests.compactMap({ $0 }).min(by: { Self.better($0.result, $0.k, than: $1.result, $1.k) }) else {
            throw ScaleFitError.fitFailed(reason: "none of the \(count) starts gave a finite cost")
        }
        return MultiStartResult(best: winner, bestStart: b,
                                finalCosts: outcomes.map { $0?.cost ?? .infinity },
                                converged: outcomes.map { $0?.converged ?? false },
                                finalParameters: outcomes.enumerated().map { $0.element?.parameters ?? starts[$0.offset] })
    }

    /// The order runs are ranked in: converged before not converged, then the lower cost,
    /// then the earlier start. A total order, so the best of each worker's best is the best.
    static func better(_ a: SolverResult, _ ka: Int, than b: SolverResult, _ kb: Int) -> Bool {
        if a.summary.converged != b.summary.converged { return a.summary.converged }
        if a.cost != b.cost { return a.cost < b.cost }
        return ka < kb
    }
}

/// What a multi-start run found.
public struct MultiStartResult: Sendable {
    /// The best run.
    public var best: SolverResult
    /// Index of the start that gave it.
    public var bestStart: Int
    /// Final cost of every start (+∞ where a run failed).
    public var finalCosts: [Double]
    /// Whether each start converged.
    public var converged: [Bool]
    /// Where each start's run ended (the start itself where a run failed).
    public var finalParameters: [[Double]]

    /// How many starts reached (within 1e-9 relative) the best cost: a measure of how
    /// clearly the global minimum stands out.
    public var startsAtBest: Int { startsAt(cost: best.cost) }

    /// The starts that ended at a finite cost, in `MultiStart`'s order of runs (converged
    /// before not converged, then the lower cost, then the earlier start).
    public var rankedStarts: [Int] {
        finalCosts.indices.filter { finalCosts[$0].isFinite }.sorted { a, b in
            if converged[a] != converged[b] { return converged[a] }
            return (finalCosts[a], a) < (finalCosts[b], b)
        }
    }

    /// How many starts ended within 1e-9 relative of `cost` (another run's, such as the
    /// polish of a screening's best end).
    public func startsAt(cost: Double) -> Int {
        finalCosts.filter { $0.isFinite && abs($0 - cost) <= 1e-9 * max(abs(cost), 1e-300) }.count
    }
}

/// What a multi-start keeps of each start's run.
private struct Outcome {
    var cost: Double
    var converged: Bool
    var parameters: [Double]
}

/// Outcomes written by index from several threads (each index exactly once), and each
/// worker's best full result.
private final class ResultBox: @unchecked Sendable {
    private var storage: [Outcome?]
    private var best: [(k: Int, result: SolverResult)?]
    private let lock = NSLock()
    init(count: Int, workers: Int) {
        storage = Array(repeating: nil, count: count)
        best = Array(repeating: nil, count: workers)
    }
    func set(_ k: Int, _ r: Outcome?) { lock.lock(); storage[k] = r; lock.unlock() }
    func setBest(_ w: Int, _ r: (k: Int, result: SolverResult)?) { lock.lock(); best[w] = r; lock.unlock() }
    var values: [Outcome?] { lock.lock(); defer { lock.unlock() }; return storage }
    var bests: [(k: Int, result: SolverResult)?] { lock.lock(); defer { lock.unlock() }; return best }
}

/// Sets of starting points.
public enum StartGrid {
    /// Every combination of the given values per parameter (the first parameter varies slowest).
    public static func cartesian(_ axes: [[Double]]) -> [[Double]] {
        var out: [[Double]] = [[]]
        for axis in axes {
            var next: [[Double]] = []
            next.reserveCapacity(out.count * axis.count)
            for prefix in out { for v in axis { next.append(prefix + [v]) } }
            out = next
        }
        return out
    }

    /// `count` points filling the box [lower, upper] evenly: a Halton sequence (bases 2, 3, 5, …)
    /// shifted by a seeded random offset (Cranley–Patterson rotation). Same seed, same points.
    public static func spaceFilling(count: Int, lower: [Double], upper: [Double], seed: UInt64) -> [[Double]] {
        precondition(lower.count == upper.count, "bounds must have equal lengths")
        let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71]
        let d = lower.count
        precondition(d <= primes.count, "space-filling starts support at most 20 parameters")
        var g = SeededGenerator(seed: seed)
        let shift = (0..<d).map { _ in g.nextUnit() }
        return (0..<count).map { i in
            (0..<d).map { j in
                var u = radicalInverse(i + 1, base: primes[j]) + shift[j]
                if u >= 1 { u -= 1 }
                return lower[j] + u * (upper[j] - lower[j])
            }
        }
    }

    private static func radicalInverse(_ i: Int, base: Int) -> Double {
        var f = 1.0, r = 0.0, n = i
        while n > 0 {
            f /= Double(base)
            r += f * Double(n % base)
            n /= base
        }
        return r
    }
}
