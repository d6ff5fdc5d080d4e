import Foundation

/// Whole-file reads with a size limit, for the small files read whole (fit files, schedule
/// CSVs, NIST `.dat` files): a file that grows without end (`/dev/zero`, a pipe that never
/// closes) or is far larger than any such file can be is refused naming the limit, after
/// reading at most `limit` + 1 bytes.
enum BoundedRead {
    /// 64 MiB: a fit file with 10⁵ bootstrap draws is ~15 MB, a schedule CSV of 3·10⁶ rows
    /// ~50 MB; parsing a document read whole costs several times its size.
    static let defaultLimit = 64 << 20

    /// The bytes of `path`, or `invalidData(file: path, …)` if it cannot be opened or holds
    /// more than `limit` bytes; `what` names the file in the message ("the fit file").
    static func contents(of path: String, limit: Int = defaultLimit, what: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ScaleFitError.invalidData(file: path, reason: "cannot open \(what)")
        }
        defer { try? handle.close() }
        var data = Data()
        while data.count <= limit {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: min(1 << 20, limit + 1 - data.count)) } catch {
                throw ScaleFitError.invalidData(file: path, reason: "cannot read \(what): \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { return data }
            data.append(chunk)
        }
        throw ScaleFitError.invalidData(file: path, reason: "\(what) is larger than \(limit >> 20) MiB, the most read whole (or it grows without end)")
    }
}

extension ByteChunks {
    /// The most bytes a document read whole may hold (trainer_state.json, W&B run JSON):
    /// 256 MiB, far above a real one (10⁵ log entries are ~20 MB); they are scanned without
    /// a value tree, so the bytes are most of the memory.
    static let documentLimit = 256 << 20

    /// Every remaining byte, or `invalidData` naming the limit once more than `limit` arrive
    /// (an endless pipe, `/dev/zero`), having held at most `limit` + one chunk.
    func all(limit: Int = documentLimit, fileName: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try next() {
            bytes.append(contentsOf: chunk)
            guard bytes.count <= limit else {
                throw ScaleFitError.invalidData(file: fileName, reason: "a JSON document larger than \(limit >> 20) MiB, the most read whole (or it grows without end); JSON Lines and CSV are streamed")
            }
        }
        return bytes
    }
}
