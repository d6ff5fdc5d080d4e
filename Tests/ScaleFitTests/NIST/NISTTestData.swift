import Foundation
import XCTest
@testable import ScaleFit

/// Where the NIST StRD files are: `../shared/data/nist` beside the package root (the
/// folder holding Package.swift, found by walking up from this file).
enum NISTTestData {
    static var directory: URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("../shared/data/nist").standardizedFileURL
    }

    /// The `.dat` files, sorted by name; throws `XCTSkip` when the folder is absent.
    static func files() throws -> [URL] {
        let dir = directory
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw XCTSkip("../shared/data/nist not found: \(dir.path)")
        }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "dat" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// One file, by problem name; throws `XCTSkip` when the folder is absent.
    static func file(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent("\(name).dat")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared/data/nist not found: \(url.path)")
        }
        return url
    }
}
