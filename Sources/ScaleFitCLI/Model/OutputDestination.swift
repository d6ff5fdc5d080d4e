import Foundation

/// The files a command writes (`-o`, `--plot`, `--report`): checked writable before any
/// work, and written at the end with a failure reported as `OutputError` (exit 74) naming
/// the flag and the path.
enum OutputDestination {
    /// A file to create or replace: its directory exists and is writable, and the path is
    /// not a directory (nor an existing file that cannot be written).
    static func checkFile(_ path: String, flag: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw OutputError(flag: flag, path: path, reason: "it is a directory") }
            guard fm.isWritableFile(atPath: path) else { throw OutputError(flag: flag, path: path, reason: "permission denied") }
            return
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try checkWritableDirectory(parent, flag: flag, path: path)
    }

    /// A directory to create or fill: it is a writable directory, or the nearest of its
    /// ancestors that exists is one (the missing levels are created).
    static func checkDirectory(_ path: String, flag: String) throws {
        var url = URL(fileURLWithPath: path)
        while !FileManager.default.fileExists(atPath: url.path) && url.path != "/" {
            url.deleteLastPathComponent()
        }
        try checkWritableDirectory(url.path, flag: flag, path: path)
    }

    private static func checkWritableDirectory(_ dir: String, flag: String, path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) else {
            throw OutputError(flag: flag, path: path, reason: "no such directory \(dir)")
        }
        guard isDirectory.boolValue else { throw OutputError(flag: flag, path: path, reason: "\(dir) is not a directory") }
        guard FileManager.default.isWritableFile(atPath: dir) else {
            throw OutputError(flag: flag, path: path, reason: "the directory \(dir) is not writable")
        }
    }

    /// Writes `data` to `path`, or throws `OutputError` naming `flag` and the path.
    static func write(_ data: Data, to path: String, flag: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path)) } catch {
            throw OutputError(flag: flag, path: path, reason: OutputError.reason(error))
        }
    }

    /// Writes `text` as UTF-8 to `path`.
    static func write(_ text: String, to path: String, flag: String) throws {
        try write(Data(text.utf8), to: path, flag: flag)
    }
}
