import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reproducible measurement of the CSV reader's speed, for `scalefit-bench`: write a large
/// CSV of four numeric columns (a loss curve: `step,lr,loss,tokens`), then time reading it.
/// Peak memory is best taken from outside, e.g. `/usr/bin/time -v scalefit-bench …`.
package enum ReadBenchmark {
    /// What one read took.
    package struct Result: Sendable, CustomStringConvertible {
        /// The file's size in bytes.
        package var bytes: Int
        /// The rows read.
        package var rows: Int
        /// Wall-clock seconds for `RunTableReader.read(path:)`.
        package var seconds: Double

        /// `read 100.0 MB (2,700,000 rows × 4 columns) in 0.91 s: 110 MB/s`.
        package var description: String {
            let megabytes = Double(bytes) / 1e6
            return String(format: "read %.1f MB (%d rows × 4 columns) in %.3f s: %.0f MB/s",
                          megabytes, rows, seconds, megabytes / seconds)
        }
    }

    /// Writes a CSV of about `targetBytes` bytes to `path`: a header and rows
    /// `step,lr,loss,tokens` of a cosine-schedule loss curve with seeded noise, so the same
    /// arguments give the same file. Streams in 1 MiB pieces.
    package static func writeCSV(path: String, targetBytes: Int = 100_000_000, seed: UInt64 = 1) throws {
        guard let file = fopen(path, "w") else {
            throw ScaleFitError.invalidData(file: path, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var state = seed
        var written = 0
        var buffer = "step,lr,loss,tokens\n"
        var step = 0
        while written + buffer.utf8.count < targetBytes {
            step += 1
            // SplitMix64 noise in [-0.5, 0.5) × 0.01.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D1_33EB_2311_EB49
            let noise = (Double((z ^ (z >> 31)) >> 11) / Double(1 << 53) - 0.5) * 0.01
            let progress = Double(step % 1_000_000) / 1_000_000
            let lr = 3e-5 + 0.5 * (3e-4 - 3e-5) * (1 + cos(Double.pi * progress))
            let loss = 2.5 + 8 * pow(Double(step), -0.3) + noise
            buffer += "\(step),\(lr),\(loss),\(step * 524_288)\n"
            if buffer.utf8.count >= 1 << 20 {
                written += buffer.utf8.count
                fputs(buffer, file)
                buffer = ""
            }
        }
        fputs(buffer, file)
    }

    /// Reads the CSV at `path` once and reports the time.
    package static func measureRead(path: String) throws -> Result {
        var status = stat()
        _ = stat(path, &status)
        let start = DispatchTime.now().uptimeNanoseconds
        let table = try RunTableReader.read(path: path, format: .csv)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(bytes: Int(status.st_size), rows: table.rowCount, seconds: seconds)
    }

    /// Writes the file if it is not there yet, then measures one read of it.
    package static func run(path: String = NSTemporaryDirectory() + "scalefit-read-bench.csv",
                           targetBytes: Int = 100_000_000) throws -> Result {
        if !FileManager.default.fileExists(atPath: path) { try writeCSV(path: path, targetBytes: targetBytes) }
        return try measureRead(path: path)
    }
}
