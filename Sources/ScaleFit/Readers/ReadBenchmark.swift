import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reproducible measurement of the readers' speed, for `scalefit-bench read`: write a
/// large log of a loss curve (seeded, so the same arguments give the same file), then time
/// reading it with `RunTableReader.read(path:format:)`.
///
/// ```
/// csv          step,lr,loss,tokens                                        4 numeric columns
/// jsonl        {"step": 1, "train": {"loss": 2.91, "lr": 0.0003}, "tokens": 524288}   4 columns
/// tensorboard  per step two TF1 events (train/loss, lr: simple_value)     step, wall_time, 2 tags
/// ```
///
/// Peak memory is best taken from outside (`/usr/bin/time -v scalefit-bench read …`); the
/// result also carries the process's own high-water mark (`VmHWM`, Linux) and the bytes of
/// the columns kept (8 a cell, with the row positions), so the ratio can be read off.
package enum ReadBenchmark {
    /// What one read took.
    package struct Result: Sendable, CustomStringConvertible {
        /// The format read.
        package var format: RunTableFormat
        /// The file's size in bytes.
        package var bytes: Int
        /// The rows read.
        package var rows: Int
        /// The columns read.
        package var columns: Int
        /// Wall-clock seconds for `RunTableReader.read(path:format:)`.
        package var seconds: Double
        /// The process's peak resident memory in bytes after the read (0 when unknown).
        package var peakResidentBytes: Int

        /// Bytes of the kept columns: 8 per cell and 8 per row for its line.
        package var keptBytes: Int { rows * (columns + 1) * 8 }

        /// `read 1000.0 MB of jsonl (11,700,000 rows × 4 columns) in 4.1 s: 244 MB/s; peak RSS 780 MB (1.7× the 449 MB kept)`.
        package var description: String {
            let megabytes = Double(bytes) / 1e6
            var text = String(format: "read %.1f MB of %@ (%d rows × %d columns) in %.3f s: %.0f MB/s",
                              megabytes, format.rawValue, rows, columns, seconds, megabytes / seconds)
            if peakResidentBytes > 0 {
                text += String(format: "; peak RSS %.0f MB (%.2f× the %.0f MB kept)", Double(peakResidentBytes) / 1e6,
                               Double(peakResidentBytes) / Double(max(1, keptBytes)), Double(keptBytes) / 1e6)
            }
            return text
        }
    }

    /// The formats the benchmark can write.
    package static let formats: [RunTableFormat] = [.csv, .jsonLines, .tensorboard]

    /// Writes a log of about `targetBytes` bytes in `format` to `path`, in 1 MiB pieces.
    package static func write(_ format: RunTableFormat, path: String, targetBytes: Int = 100_000_000, seed: UInt64 = 1) throws {
        guard let file = fopen(path, "w") else {
            throw ScaleFitError.invalidData(file: path, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var curve = Curve(state: seed)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 21)
        var written = 0
        if format == .csv { buffer += Array("step,lr,loss,tokens\n".utf8) }
        while written + buffer.count < targetBytes {
            let (step, lr, loss) = curve.next()
            switch format {
            case .jsonLines:
                buffer += Array("{\"step\": \(step), \"train\": {\"loss\": \(loss), \"lr\": \(lr)}, \"tokens\": \(step * 524_288)}\n".utf8)
            case .tensorboard:
                let wall = 1.7e9 + Double(step) * 0.25
                appendEvent(to: &buffer, wallTime: wall, step: step, tag: "train/loss", value: Float(loss))
                appendEvent(to: &buffer, wallTime: wall, step: step, tag: "lr", value: Float(lr))
            default:
                buffer += Array("\(step),\(lr),\(loss),\(step * 524_288)\n".utf8)
            }
            if buffer.count >= 1 << 20 {
                written += buffer.count
                fwrite(buffer, 1, buffer.count, file)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        fwrite(buffer, 1, buffer.count, file)
    }

    /// Writes the CSV log (`write(.csv, …)`), as earlier builds of the benchmark did.
    package static func writeCSV(path: String, targetBytes: Int = 100_000_000, seed: UInt64 = 1) throws {
        try write(.csv, path: path, targetBytes: targetBytes, seed: seed)
    }

    /// A cosine-schedule loss curve with seeded SplitMix64 noise.
    private struct Curve {
        var state: UInt64
        var step = 0

        mutating func next() -> (step: Int, lr: Double, loss: Double) {
            step += 1
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D1_33EB_2311_EB49
            let noise = (Double((z ^ (z >> 31)) >> 11) / Double(1 << 53) - 0.5) * 0.01
            let progress = Double(step % 1_000_000) / 1_000_000
            let lr = 3e-5 + 0.5 * (3e-4 - 3e-5) * (1 + cos(Double.pi * progress))
            return (step, lr, 2.5 + 8 * pow(Double(step), -0.3) + noise)
        }
    }

    /// Appends one TFRecord holding an `Event` with one `simple_value` (TF1 style).
    static func appendEvent(to buffer: inout [UInt8], wallTime: Double, step: Int, tag: String, value: Float) {
        func varint(_ value: UInt64, _ out: inout [UInt8]) {
            var v = value
            while v >= 0x80 {
                out.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        func little<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { out += $0 }
        }
        var summaryValue: [UInt8] = [0x0A]
        varint(UInt64(tag.utf8.count), &summaryValue)
        summaryValue += Array(tag.utf8)
        summaryValue.append(0x15)
        little(value.bitPattern, &summaryValue)
        var summary: [UInt8] = [0x0A]
        varint(UInt64(summaryValue.count), &summary)
        summary += summaryValue
        var event: [UInt8] = [0x09]
        little(wallTime.bitPattern, &event)
        event.append(0x10)
        varint(UInt64(step), &event)
        event.append(0x2A)
        varint(UInt64(summary.count), &event)
        event += summary
        var header: [UInt8] = []
        little(UInt64(event.count), &header)
        let lengthCRC = header.withUnsafeBytes { CRC32C.masked($0) }
        little(lengthCRC, &header)
        buffer += header
        buffer += event
        let dataCRC = event.withUnsafeBytes { CRC32C.masked($0) }
        little(dataCRC, &buffer)
    }

    /// Reads the log at `path` in `format` once and reports the time.
    package static func measureRead(path: String, format: RunTableFormat = .csv) throws -> Result {
        var status = stat()
        _ = stat(path, &status)
        let start = DispatchTime.now().uptimeNanoseconds
        let table = try RunTableReader.read(path: path, format: format)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(format: format, bytes: Int(status.st_size), rows: table.rowCount, columns: table.columns.count,
                      seconds: seconds, peakResidentBytes: peakResidentBytes())
    }

    /// `VmHWM` from /proc/self/status, in bytes, or 0 where there is none.
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        let digits = line.filter(\.isNumber)
        return (Int(digits) ?? 0) * 1024
    }

    /// Writes the file if it is not there yet, then measures one read of it.
    package static func run(format: RunTableFormat = .csv, path: String? = nil,
                           targetBytes: Int = 100_000_000) throws -> Result {
        let name = format == .tensorboard ? "events.out.tfevents.bench" : "log.\(format.rawValue)"
        let file = path ?? NSTemporaryDirectory() + "scalefit-read-bench-\(targetBytes / 1_000_000)MB-\(name)"
        if !FileManager.default.fileExists(atPath: file) { try write(format, path: file, targetBytes: targetBytes) }
        return try measureRead(path: file, format: format)
    }
}
