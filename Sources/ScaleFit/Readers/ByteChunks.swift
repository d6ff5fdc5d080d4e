import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file, standard input or an in-memory buffer, handed out a chunk at a time
/// so that no reader ever holds a whole file. A class so that the file is closed when the
/// reader lets go of it, whether it finished or stopped at an error.
final class ByteChunks {
    /// The chunk size for files: large enough that `read(2)` calls cost nothing, small
    /// enough to be irrelevant next to the columns.
    static let fileChunkSize = 1 << 20

    private enum Source {
        case memory([UInt8], offset: Int)
        case descriptor(Int32, ownsDescriptor: Bool)
        case finished
    }

    private var source: Source
    /// A chunk read by `peek` and not yet handed out by `next`.
    private var pending: [UInt8]?
    private let chunkSize: Int
    private let fileName: String
    /// The size in bytes when known up front (a regular file, a buffer), else nil (a pipe).
    let totalBytes: Int?

    /// The bytes of `data`, in chunks of `chunkSize` (tests use tiny chunks to exercise
    /// every boundary).
    init(data: Data, fileName: String, chunkSize: Int = fileChunkSize) {
        source = .memory([UInt8](data), offset: 0)
        self.chunkSize = max(1, chunkSize)
        self.fileName = fileName
        totalBytes = data.count
    }

    /// The bytes of the file at `path`; `-` is standard input.
    init(path: String) throws {
        fileName = path == "-" ? "<stdin>" : path
        chunkSize = Self.fileChunkSize
        if path == "-" {
            source = .descriptor(STDIN_FILENO, ownsDescriptor: false)
            totalBytes = nil
            return
        }
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw ScaleFitError.invalidData(file: path, reason: "is a directory, not a file")
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ScaleFitError.invalidData(file: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        source = .descriptor(descriptor, ownsDescriptor: true)
        var opened = stat()
        totalBytes = fstat(descriptor, &opened) == 0 && (opened.st_mode & S_IFMT) == S_IFREG ? Int(opened.st_size) : nil
    }

    /// The first chunk without consuming it: the next `next()` returns it again, so a
    /// format can be detected from content on a pipe that can be read only once.
    /// Reads chunks until `minimum` bytes (or the end) are held.
    func peek(minimum: Int = 1 << 16) throws -> [UInt8] {
        var held = pending ?? []
        while held.count < minimum, let chunk = try readChunk() { held += chunk }
        pending = held
        return held
    }

    /// The next chunk, or nil at the end. Closes the file once it is exhausted.
    func next() throws -> [UInt8]? {
        if let chunk = pending {
            pending = nil
            return chunk.isEmpty ? nil : chunk
        }
        return try readChunk()
    }

    private func readChunk() throws -> [UInt8]? {
        switch source {
        case .finished:
            return nil
        case let .memory(bytes, offset):
            guard offset < bytes.count else {
                source = .finished
                return nil
            }
            let end = min(bytes.count, offset + chunkSize)
            source = .memory(bytes, offset: end)
            return offset == 0 && end == bytes.count ? bytes : Array(bytes[offset..<end])
        case let .descriptor(descriptor, owns):
            var count = 0
            // Uninitialised: `read` writes the bytes, and zeroing 1 MiB first would cost as much.
            let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, initialized in
                repeat {
                    count = read(descriptor, buffer.baseAddress, chunkSize)
                } while count < 0 && errno == EINTR
                initialized = max(0, count)
            }
            if count < 0 {
                let reason = String(cString: strerror(errno))
                finish(owned: owns, descriptor)
                throw ScaleFitError.invalidData(file: fileName, reason: "read failed: \(reason)")
            }
            if count == 0 {
                finish(owned: owns, descriptor)
                return nil
            }
            return chunk
        }
    }

    deinit {
        if case let .descriptor(descriptor, owns) = source, owns { _ = close(descriptor) }
    }

    private func finish(owned: Bool, _ descriptor: Int32) {
        if owned { _ = close(descriptor) }
        source = .finished
    }
}
