import Foundation
import XCTest
@testable import ScaleFit

/// The real curves of `../shared/data/lrcurves` (PROVENANCE.md there), with each schedule
/// rebuilt from its definition: linear warmup 0 → 3e-4 over 2160 steps, then the curve's own.
enum LRCurveData {
    static let trainNames = ["cosine_24000", "constant_24000", "wsdcon_9"]
    static let testNames = ["constant_72000", "cosine_72000", "wsd_20000_24000",
                            "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]
    static let published: [String: [Double]] = [
        "25M": [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257],
        "100M": [2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199, 0.65523644],
    ]

    /// The folder holding the data, or a skip.
    static func folder() throws -> URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            let up = dir.deletingLastPathComponent()
            if up.path == dir.path { throw XCTSkip("package root not found from \(#filePath)") }
            dir = up
        }
        let data = dir.appendingPathComponent("../shared/data/lrcurves").standardizedFileURL
        guard FileManager.default.fileExists(atPath: data.appendingPathComponent("mpl-25M").path) else {
            throw XCTSkip("../shared/data/lrcurves not found: \(data.path)")
        }
        return data
    }

    /// The schedule of a named curve, per PROVENANCE.
    static func schedule(_ name: String) throws -> LRSchedule {
        let peak = 3e-4, warmup = 2160
        switch name {
        case "constant_24000": return .constant(peak: peak, warmup: warmup, total: 24000)
        case "constant_72000": return .constant(peak: peak, warmup: warmup, total: 72000)
        case "cosine_24000": return .cosine(peak: peak, warmup: warmup, total: 24000, final: 0.1)
        case "cosine_72000": return .cosine(peak: peak, warmup: warmup, total: 72000, final: 0.1)
        case "wsd_20000_24000":
            return .wsd(peak: peak, warmup: warmup, stable: 20000 - warmup, decay: 4000, shape: .geometric, final: 0.1)
        case "wsdld_20000_24000":
            return .wsd(peak: peak, warmup: warmup, stable: 20000 - warmup, decay: 4000, shape: .linear, final: 0.1)
        default:
            let second = Double(name.split(separator: "_")[1])! * 1e-5
            return .multistage(warmup: warmup, stages: [.init(rate: peak, until: 8000), .init(rate: second, until: 16000)])
        }
    }

    /// The named curves of a model as observations, each with its schedule.
    static func curves(_ model: String, _ names: [String]) throws -> LossCurves {
        LossCurves(curves: try names.map { try curve(model, $0) }, schedules: try names.map(schedule), file: "mpl-\(model)")
    }

    /// A curve: the logged steps and losses of the file, η from the schedule.
    static func curve(_ model: String, _ name: String) throws -> LossCurve {
        let url = try folder().appendingPathComponent("mpl-\(model)/\(name).csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var steps: [Int] = [], losses: [Double] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",")
            steps.append(Int(f[0])!)
            losses.append(Double(f[2])!)
        }
        return try LossCurve(name: name, schedule: schedule(name), steps: steps, losses: losses)
    }

    /// The logged (step, lr) pairs of a file.
    static func loggedRates(_ model: String, _ name: String) throws -> (steps: [Int], rates: [Double]) {
        let url = try folder().appendingPathComponent("mpl-\(model)/\(name).csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var steps: [Int] = [], rates: [Double] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",")
            steps.append(Int(f[0])!)
            rates.append(Double(f[1])!)
        }
        return (steps, rates)
    }
}
