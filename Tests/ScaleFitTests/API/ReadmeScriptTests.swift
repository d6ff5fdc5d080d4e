import Foundation
import XCTest

/// The README's "Use from Swift" examples, run exactly as the README says: the two
/// single-file scripts with `swift -I .build/release/Modules -L .build/release -lScaleFit`,
/// and the package that depends on the product `ScaleFit` of the package `scalefit` by path.
///
/// They need the release build that `Scripts/setup.sh` makes (`Scripts/test.sh` runs it
/// first); without it they skip, saying so.
final class ReadmeScriptTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../..").standardized

    /// The fenced block after `<!-- readme-test: NAME -->` in README.md.
    func readmeBlock(_ name: String) throws -> String {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let marker = readme.range(of: "<!-- readme-test: \(name) -->") else {
            XCTFail("README.md has no block marked \(name)"); return ""
        }
        let rest = readme[marker.upperBound...]
        guard let open = rest.range(of: "```swift\n"), let close = rest[open.upperBound...].range(of: "```\n") else {
            XCTFail("README.md: the block marked \(name) is not a swift code block"); return ""
        }
        return String(rest[open.upperBound..<close.lowerBound])
    }

    /// Runs `arguments` with `/usr/bin/env` in `directory`; stdout, stderr and the status.
    func run(_ arguments: [String], in directory: URL) throws -> (out: String, err: String, status: Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), p.terminationStatus)
    }

    func requireReleaseLibrary() throws {
        let lib = Self.root.appendingPathComponent(".build/release/libScaleFit.so").path
        guard FileManager.default.fileExists(atPath: lib) else {
            throw XCTSkip("\(lib) is missing: run Scripts/setup.sh (Scripts/test.sh does) to build the library the README's scripts link")
        }
    }

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func assertChinchillaOutput(_ out: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = out.split(separator: "\n").map(String.init)
        guard lines.count == 8 else { return XCTFail("expected 8 lines, got:\n\(out)", file: file, line: line) }
        // Data/runs.csv's Chinchilla fit, as `scalefit fit Data/runs.csv` prints it.
        XCTAssertTrue(lines.first?.hasPrefix("E 1.6930") ?? false, out, file: file, line: line)
        XCTAssertTrue(lines[3].hasPrefix("alpha 0.33898"), out, file: file, line: line)
        XCTAssertEqual(lines[5], "sound fit", file: file, line: line)
        XCTAssertTrue(lines[6].hasPrefix("L(70B, 1.4T) = 1.9345"), out, file: file, line: line)
        XCTAssertTrue(lines[6].contains("95% interval 1.891"), out, file: file, line: line)
        XCTAssertTrue(lines[7].hasPrefix("at 5.76e23 FLOPs: N* = 359048"), out, file: file, line: line)
        XCTAssertTrue(lines[7].contains("D/N = 74.4"), out, file: file, line: line)
    }

    func testChinchillaScriptRunsAsTheReadmeSays() throws {
        try requireReleaseLibrary()
        let source = try readmeBlock("chinchilla.swift")
        XCTAssertLessThanOrEqual(source.split(separator: "\n", omittingEmptySubsequences: false).count - 1, 15,
                                 "the issue's bound: the Chinchilla job in at most 15 lines")
        let script = try temporaryDirectory().appendingPathComponent("chinchilla.swift")
        try source.write(to: script, atomically: true, encoding: .utf8)
        let r = try run(["swift", "-I", ".build/release/Modules", "-L", ".build/release", "-lScaleFit", script.path], in: Self.root)
        XCTAssertEqual(r.status, 0, r.err)
        assertChinchillaOutput(r.out)
    }

    func testMultiPowerScriptRunsAsTheReadmeSays() throws {
        try requireReleaseLibrary()
        let script = try temporaryDirectory().appendingPathComponent("wsd.swift")
        try readmeBlock("wsd.swift").write(to: script, atomically: true, encoding: .utf8)
        let r = try run(["swift", "-I", ".build/release/Modules", "-L", ".build/release", "-lScaleFit", script.path], in: Self.root)
        XCTAssertEqual(r.status, 0, r.err)
        let lines = r.out.split(separator: "\n").map(String.init)
        guard lines.count == 7 + 1 + 3 else { return XCTFail("expected 11 lines, got:\n\(r.out)\n\(r.err)") }
        XCTAssertEqual(lines.prefix(7).map { String($0.prefix(while: { $0 != " " })) }, ["L0", "A", "alpha", "B", "C", "beta", "gamma"])
        // Data/curves.csv does not identify the decay parameters (γ ends at its bound 5):
        // the script says so instead of passing the fit off as sound.
        XCTAssertTrue(lines[7].hasPrefix("not sound: "), r.out)
        XCTAssertTrue(lines[7].contains("gamma is at its bound 5.0"), r.out)
        XCTAssertTrue(lines[7].contains("C is not identified"), r.out)
        let losses = lines.suffix(3).compactMap { line in line.split(separator: " ").dropFirst().first.flatMap { Double($0) } }
        guard losses.count == 3 else { return XCTFail("three predicted losses expected:\n\(r.out)") }
        XCTAssertTrue(losses[0] > losses[1] && losses[1] > losses[2], "the loss falls along the WSD run: \(losses)")
        XCTAssertEqual(losses[0], 3.930, accuracy: 0.005)
    }

    func testPackageExampleBuildsAndRunsAsTheReadmeSays() throws {
        try requireReleaseLibrary()
        let dir = try temporaryDirectory()
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("scalefit"), withDestinationURL: Self.root)
        let package = dir.appendingPathComponent("planner")
        try FileManager.default.createDirectory(at: package.appendingPathComponent("Sources/planner"), withIntermediateDirectories: true)
        try readmeBlock("Package.swift").write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try readmeBlock("chinchilla.swift").write(to: package.appendingPathComponent("Sources/planner/main.swift"),
                                                  atomically: true, encoding: .utf8)
        // Built in the repository's own (ignored) scratch folder so that a second run is
        // incremental; run where Data/runs.csv is, as the README says.
        let scratch = Self.root.appendingPathComponent(".build-readme-package").path
        let r = try run(["swift", "run", "--package-path", package.path, "--scratch-path", scratch, "planner"], in: Self.root)
        XCTAssertEqual(r.status, 0, r.err)
        assertChinchillaOutput(r.out)
    }
}
