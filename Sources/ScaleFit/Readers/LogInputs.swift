import Foundation

/// The files a list of inputs stands for: a file is itself, `-` is standard input, and a
/// directory stands for every log inside it, found recursively in name order.
///
/// Inside a directory, each file is a run named by its path relative to the directory
/// without the extension (`sweep/a.jsonl` → run `a`), except TensorBoard event files: a run
/// is a folder of them (the TensorBoard convention), so the event files of one folder form
/// one run named by the folder's relative path (the directory's own name for files at its
/// top). A directory holding any event file is a TensorBoard log directory: only its event
/// files are read. Files that are not logs (by name: not `.csv`, `.tsv`, `.jsonl`, `.ndjson`,
/// `.json`, `.txt` or `*tfevents*`, or any non-event file in a TensorBoard log directory)
/// are skipped and counted; hidden files and folders are skipped unread.
enum LogInputs {
    /// One file to read and the run it belongs to (nil: a single input, no run given).
    struct File: Equatable {
        var path: String
        var run: String?
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func isEventFile(_ name: String) -> Bool { name.contains("tfevents") }

    private static let logExtensions: Set<String> = ["csv", "tsv", "jsonl", "ndjson", "json", "txt"]

    /// The files of `inputs`, and how many files inside directories were not logs.
    static func expand(_ inputs: [String]) throws -> (files: [File], skipped: Int) {
        var files: [File] = []
        var skipped = 0
        for input in inputs {
            guard input != "-", isDirectory(input) else {
                files.append(File(path: input, run: nil))
                continue
            }
            let root = URL(fileURLWithPath: input).standardizedFileURL
            let rootName = root.lastPathComponent
            guard let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
                throw ScaleFitError.invalidData(file: input, reason: "cannot list the directory")
            }
            var found: [(relative: String, path: String)] = []
            for case let url as URL in enumerator {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
                found.append((relative, url.path))
            }
            found.sort { $0.relative < $1.relative }
            let isTensorBoard = found.contains { isEventFile(($0.relative as NSString).lastPathComponent) }
            var directoryFiles: [File] = []
            for (relative, path) in found {
                let name = (relative as NSString).lastPathComponent
                let folder = (relative as NSString).deletingLastPathComponent
                if isEventFile(name) {
                    directoryFiles.append(File(path: path, run: folder.isEmpty ? rootName : folder))
                } else if !isTensorBoard, logExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    directoryFiles.append(File(path: path, run: (relative as NSString).deletingPathExtension))
                } else {
                    skipped += 1
                }
            }
            guard !directoryFiles.isEmpty else {
                throw ScaleFitError.invalidData(file: input, reason: "the directory holds no log (.csv, .jsonl, .json, events.out.tfevents.*)")
            }
            files += directoryFiles
        }
        return (files, skipped)
    }
}
