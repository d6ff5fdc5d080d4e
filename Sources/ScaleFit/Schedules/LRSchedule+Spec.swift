import Foundation

/// The spec-string form of a schedule: `kind:key=value,key=value`, e.g.
///
/// ```
/// constant:peak=3e-4,warmup=2160,total=24000
/// cosine:peak=3e-4,warmup=500,total=20000,final=0.1
/// linear:peak=3e-4,warmup=500,total=20000,final=0
/// wsd:peak=3e-4,warmup=500,stable=20000,decay=4000,shape=linear,final=0
/// step:peak=1e-3,warmup=0,total=30000,every=10000,factor=0.1
/// invsqrt:peak=1e-3,warmup=4000,total=100000,timescale=4000
/// multistage:warmup=2160,lr=3e-4/9e-5,until=8000/16000
/// piecewise:points=0@0/500@3e-4/20000@3e-5,total=20001
/// logged:points=2176@3e-4/23936@3e-5,before=linear,total=24000
/// ```
///
/// `final` is a ratio of the peak; `wsd`'s `stable` and `decay` are phase lengths, so
/// T = warmup + stable + decay; `shape` is one of linear, cosine, 1-sqrt, geometric.
/// Keys with defaults: `warmup` (0), `final` (0), `shape` (linear), `timescale`
/// (max(warmup, 1)), `before` (hold), and `total` of piecewise/logged (last step + 1).
extension LRSchedule: CustomStringConvertible {
    /// The keys each kind takes, in canonical order, and which are required.
    static let kinds: [(name: String, keys: [String], required: Set<String>)] = [
        ("constant", ["peak", "warmup", "total"], ["peak", "total"]),
        ("cosine", ["peak", "warmup", "total", "final"], ["peak", "total"]),
        ("linear", ["peak", "warmup", "total", "final"], ["peak", "total"]),
        ("wsd", ["peak", "warmup", "stable", "decay", "shape", "final"], ["peak", "stable", "decay"]),
        ("step", ["peak", "warmup", "total", "every", "factor"], ["peak", "total", "every", "factor"]),
        ("invsqrt", ["peak", "warmup", "total", "timescale"], ["peak", "total"]),
        ("multistage", ["warmup", "lr", "until"], ["lr", "until"]),
        ("piecewise", ["points", "total"], ["points"]),
        ("logged", ["points", "before", "total"], ["points"]),
    ]

    /// The canonical spec; `LRSchedule(spec: s.spec) == s`.
    public var spec: String {
        func num(_ x: Double) -> String { "\(x)" }
        func pts(_ p: [SchedulePoint]) -> String { p.map { "\($0.step)@\(num($0.rate))" }.joined(separator: "/") }
        switch self {
        case let .constant(peak, warmup, total):
            return "constant:peak=\(num(peak)),warmup=\(warmup),total=\(total)"
        case let .cosine(peak, warmup, total, final):
            return "cosine:peak=\(num(peak)),warmup=\(warmup),total=\(total),final=\(num(final))"
        case let .linear(peak, warmup, total, final):
            return "linear:peak=\(num(peak)),warmup=\(warmup),total=\(total),final=\(num(final))"
        case let .wsd(peak, warmup, stable, decay, shape, final):
            return "wsd:peak=\(num(peak)),warmup=\(warmup),stable=\(stable),decay=\(decay),shape=\(shape.rawValue),final=\(num(final))"
        case let .stepDecay(peak, warmup, total, every, factor):
            return "step:peak=\(num(peak)),warmup=\(warmup),total=\(total),every=\(every),factor=\(num(factor))"
        case let .inverseSqrt(peak, warmup, total, timescale):
            return "invsqrt:peak=\(num(peak)),warmup=\(warmup),total=\(total),timescale=\(timescale)"
        case let .multistage(warmup, stages):
            return "multistage:warmup=\(warmup),lr=\(stages.map { num($0.rate) }.joined(separator: "/")),until=\(stages.map { "\($0.until)" }.joined(separator: "/"))"
        case let .piecewise(points, total):
            return "piecewise:points=\(pts(points)),total=\(total)"
        case let .logged(schedule):
            return "logged:points=\(pts(schedule.points)),before=\(schedule.before.rawValue),total=\(schedule.totalSteps)"
        }
    }

    /// A readable one-line description (the spec, or the logged reconstruction in words).
    public var description: String {
        if case let .logged(schedule) = self { return schedule.description }
        return spec
    }

    /// Parses a spec string; `flag` names the option in errors, whose `position` is the
    /// 1-based character position of the offending part.
    public init(spec: String, flag: String = "spec") throws {
        var parser = SpecParser(spec: spec, flag: flag)
        self = try parser.parse()
    }
}

/// The parser behind `LRSchedule(spec:)`: splits, checks keys and numbers, builds the value.
private struct SpecParser {
    let spec: String
    let flag: String
    /// key → (value, 1-based position of the value).
    var values: [String: (text: String, position: Int)] = [:]

    init(spec: String, flag: String) { self.spec = spec; self.flag = flag }

    func fail(_ position: Int, _ expected: String, _ found: String) -> ScaleFitError {
        .badArgument(flag: flag, position: position, expected: expected, found: found)
    }

    mutating func parse() throws -> LRSchedule {
        let kindNames = LRSchedule.kinds.map(\.name)
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let kind = String(parts[0]).lowercased()
        guard let entry = LRSchedule.kinds.first(where: { $0.name == kind }) else {
            throw fail(1, "a schedule kind (one of \(kindNames.joined(separator: ", ")))", String(parts[0]))
        }
        var position = kind.count + 2
        if parts.count == 2 {
            for item in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(pair[0]).trimmingCharacters(in: .whitespaces).lowercased()
                guard pair.count == 2 else { throw fail(position, "key=value", String(item)) }
                guard entry.keys.contains(key) else {
                    throw fail(position, "a key of \(kind) (one of \(entry.keys.joined(separator: ", ")))", key)
                }
                guard values[key] == nil else { throw fail(position, "each key once", key) }
                values[key] = (String(pair[1]).trimmingCharacters(in: .whitespaces), position + pair[0].count + 1)
                position += item.count + 1
            }
        }
        for key in entry.keys where entry.required.contains(key) && values[key] == nil {
            throw fail(0, "the key '\(key)' (\(kind) needs \(entry.keys.filter(entry.required.contains).joined(separator: ", ")))", spec)
        }
        return try build(kind)
    }

    func double(_ key: String, default value: Double? = nil, positive: Bool = false) throws -> Double {
        guard let (text, at) = values[key] else { return value ?? 0 }
        guard let x = Double(text), x.isFinite, positive ? x > 0 : x >= 0 else {
            throw fail(at, "a \(positive ? "positive" : "non-negative") number for \(key)", text)
        }
        return x
    }

    func int(_ key: String, default value: Int = 0, positive: Bool = false) throws -> Int {
        guard let (text, at) = values[key] else { return value }
        guard let n = Self.integer(text), positive ? n > 0 : n >= 0 else {
            throw fail(at, "a \(positive ? "positive" : "non-negative") integer for \(key)", text)
        }
        // Every integer of a spec is a step count, and η is built for each step.
        guard n <= LRSchedule.maximumSteps else {
            throw fail(at, "at most \(LRSchedule.maximumSteps) steps for \(key) (LRSchedule.maximumSteps)", text)
        }
        return n
    }

    /// An integer written as `24000`, `24e3` or `2.4e4`.
    static func integer(_ text: String) -> Int? {
        if let n = Int(text) { return n }
        guard let x = Double(text), x.isFinite, x == x.rounded(), abs(x) < 1e15 else { return nil }
        return Int(x)
    }

    func list(_ key: String) -> [(text: String, position: Int)] {
        guard let (text, at) = values[key] else { return [] }
        var position = at
        return text.split(separator: "/", omittingEmptySubsequences: false).map { part in
            defer { position += part.count + 1 }
            return (String(part), position)
        }
    }

    func points(_ key: String) throws -> [SchedulePoint] {
        var result: [SchedulePoint] = []
        for (text, at) in list(key) {
            let pair = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, let step = Self.integer(String(pair[0])), step >= 0, step < LRSchedule.maximumSteps,
                  let rate = Double(pair[1]), rate.isFinite, rate >= 0 else {
                throw fail(at, "a point step@lr with an integer step from 0 to \(LRSchedule.maximumSteps - 1) and a non-negative lr", text)
            }
            if let last = result.last, step <= last.step {
                throw fail(at, "points with strictly increasing steps", text)
            }
            result.append(SchedulePoint(step: step, rate: rate))
        }
        return result
    }

    func check(_ condition: Bool, _ expected: String) throws {
        if !condition { throw fail(0, expected, spec) }
    }

    func build(_ kind: String) throws -> LRSchedule {
        let warmup = try int("warmup")
        switch kind {
        case "constant", "cosine", "linear", "step", "invsqrt":
            let peak = try double("peak", positive: true)
            let total = try int("total", positive: true)
            try check(warmup < total, "warmup shorter than total")
            switch kind {
            case "constant": return .constant(peak: peak, warmup: warmup, total: total)
            case "cosine": return .cosine(peak: peak, warmup: warmup, total: total, final: try double("final"))
            case "linear": return .linear(peak: peak, warmup: warmup, total: total, final: try double("final"))
            case "step":
                return .stepDecay(peak: peak, warmup: warmup, total: total, every: try int("every", positive: true),
                                  factor: try double("factor"))
            default:
                return .inverseSqrt(peak: peak, warmup: warmup, total: total,
                                    timescale: try int("timescale", default: max(warmup, 1), positive: true))
            }
        case "wsd":
            var shape = LRSchedule.DecayShape.linear
            if let (text, at) = values["shape"] {
                guard let s = LRSchedule.DecayShape(rawValue: text.lowercased()) else {
                    throw fail(at, "a decay shape (one of \(LRSchedule.DecayShape.allCases.map(\.rawValue).joined(separator: ", ")))", text)
                }
                shape = s
            }
            let final = try double("final")
            if shape == .geometric, final <= 0 {
                throw fail(values["final"]?.position ?? 0, "final > 0 for shape=geometric", values["final"]?.text ?? spec)
            }
            let stable = try int("stable"), decay = try int("decay", positive: true)
            try check(warmup + stable + decay <= LRSchedule.maximumSteps,
                      "warmup + stable + decay of at most \(LRSchedule.maximumSteps) steps (LRSchedule.maximumSteps)")
            return .wsd(peak: try double("peak", positive: true), warmup: warmup, stable: stable,
                        decay: decay, shape: shape, final: final)
        case "multistage":
            let rates = try list("lr").map { (text, at) -> Double in
                guard let x = Double(text), x.isFinite, x >= 0 else { throw fail(at, "a non-negative number for lr", text) }
                return x
            }
            let ends = try list("until").map { (text, at) -> Int in
                guard let n = Self.integer(text), n > warmup, n <= LRSchedule.maximumSteps else {
                    throw fail(at, "a step after the warmup and at most \(LRSchedule.maximumSteps) for until", text)
                }
                return n
            }
            try check(rates.count == ends.count, "as many lr values as until steps")
            try check(zip(ends, ends.dropFirst()).allSatisfy { $0 < $1 }, "strictly increasing until steps")
            return .multistage(warmup: warmup, stages: zip(rates, ends).map { LRSchedule.Stage(rate: $0, until: $1) })
        case "piecewise":
            let p = try points("points")
            return .piecewise(points: p, total: try int("total", default: p[p.count - 1].step + 1, positive: true))
        default: // logged
            var before = LoggedSchedule.Before.hold
            if let (text, at) = values["before"] {
                guard let b = LoggedSchedule.Before(rawValue: text.lowercased()) else {
                    throw fail(at, "one of linear, hold for before", text)
                }
                before = b
            }
            let p = try points("points")
            let total = values["total"] == nil ? nil : try int("total", positive: true)
            return .logged(try LoggedSchedule(points: p, before: before, total: total, file: flag))
        }
    }
}
