import Dispatch
import Foundation

/// `body(i)` for every i in 0..<count, in parallel — one worker per core, each taking the
/// indices i ≡ w (mod workers) — each answer written to its own slot (nil where `body`
/// returns nil). The answers do not depend on the scheduling: slot i holds `body(i)`.
/// Shared by the bootstrap's resamples, the noise estimate's folds, the coverage trials and
/// the staged search's defect corrections. `threads` caps the workers (by default the cores).
func concurrentResults<T: Sendable>(count: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                    _ body: @Sendable (Int) -> T?) -> [T?] {
    var results = [T?](repeating: nil, count: count)
    guard count > 0 else { return results }
    let workers = max(1, min(threads, count))
    results.withUnsafeMutableBufferPointer { buffer in
        // Each index is written by exactly one worker.
        nonisolated(unsafe) let slots = buffer
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < count {
                slots[i] = body(i)
                i += workers
            }
        }
    }
    return results
}
