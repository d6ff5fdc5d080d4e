import Foundation

/// Training curves of several model sizes, as Hoffmann et al.'s approach 1 takes them: per
/// curve its model size N and, per logged point, the training compute C = 6·N·D (D the
/// tokens seen so far) and the loss.
public struct TrainingCurves: Sendable, Equatable {
    /// One run's curve.
    public struct Curve: Sendable, Equatable {
        /// The run's name.
        public var name: String
        /// N, its parameters.
        public var parameters: Double
        /// C = 6·N·D at each logged point, increasing.
        public var compute: [Double]
        /// The loss at each point.
        public var loss: [Double]

        /// A curve from tokens seen: C = 6·N·D. Points are sorted by D.
        /// - Throws: `invalidData` naming `file` and the run for a non-positive or
        ///   non-finite value, or two points at the same D.
        public init(name: String, parameters: Double, tokens: [Double], loss: [Double], file: String = "<data>") throws {
            guard parameters > 0, parameters.isFinite, tokens.count == loss.count, !loss.isEmpty else {
                throw ScaleFitError.invalidData(file: file, reason: "run \(name): needs a positive model size and one loss per logged point")
            }
            let order = tokens.indices.sorted { tokens[$0] < tokens[$1] }
            for i in order where !(tokens[i] > 0 && tokens[i].isFinite && loss[i] > 0 && loss[i].isFinite) {
                throw ScaleFitError.invalidData(file: file, reason: "run \(name): tokens and loss must be positive finite numbers (found \(tokens[i]), \(loss[i]))")
            }
            for (p, q) in zip(order, order.dropFirst()) where tokens[p] == tokens[q] {
                throw ScaleFitError.invalidData(file: file, reason: "run \(name): two points at \(tokens[p]) tokens")
            }
            self.name = name
            self.parameters = parameters
            compute = order.map { 6 * parameters * tokens[$0] }
            self.loss = order.map { loss[$0] }
        }

        /// The loss at compute `c`, linear in ln C between the logged points; nil outside them.
        public func loss(atCompute c: Double) -> Double? {
            guard let first = compute.first, let last = compute.last, c >= first, c <= last else { return nil }
            var hi = compute.partitionIndex { $0 < c }
            if hi == 0 { return loss[0] }
            hi = min(hi, compute.count - 1)
            let lo = hi - 1
            let w = (log(c) - log(compute[lo])) / (log(compute[hi]) - log(compute[lo]))
            return loss[lo] + w * (loss[hi] - loss[lo])
        }
    }

    /// The curves.
    public var curves: [Curve]
    /// The data file, for errors.
    public var file: String

    /// Curves as given.
    public init(curves: [Curve], file: String = "<data>") {
        self.curves = curves; self.file = file
    }
}

extension Array where Element == Double {
    /// The first index whose element fails `belongs` (the array partitioned by it).
    func partitionIndex(_ belongs: (Double) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi { let mid = (lo + hi) / 2; if belongs(self[mid]) { lo = mid + 1 } else { hi = mid } }
        return lo
    }
}

/// Hoffmann et al. (2022) approach 1: the lower envelope of loss against compute across
/// training curves, and which model size attains it.
///
/// ```
/// budgets     C_k = 10^(k·w), k integer, w = `binWidth` decades, over the logged compute
/// envelope    L*(C_k) = min over curves covering C_k of L_curve(C_k)
///             (each curve's loss linear in ln C between its logged points)
/// N_opt(C_k)  the N of the curve attaining it;  D_opt = C_k/(6·N_opt)
/// fit         N_opt ∝ C^a, D_opt ∝ C^b = C^(1−a)      (`AllocationPowerLaw`)
/// ```
///
/// A budget is used only when the winning curve has a covering curve of smaller N and one
/// of larger N: otherwise the optimum may lie beyond the sizes trained there (it is the
/// smallest size at small budgets and the largest at large ones), and it is flagged.
/// The curves are used as logged (no smoothing), and a curve's loss at D is taken as the
/// loss of a run of that length, which holds for curves whose schedule is fitted to each
/// length (Hoffmann trained several schedule lengths per size for this) and overstates
/// the loss mid-way through one long cosine.
///
/// Intervals: a bootstrap over curves (resample the curves with replacement, redo the
/// envelope and the fit); resample r draws from `SeededGenerator.stream(seed:index: r)`.
/// It redraws the design (a resample of 8 curves holds ~5.3 distinct sizes), not the noise:
/// on 200 seeded `LossEnvelopeSweep`s (8 sizes, 0.5% noise) its 95% interval of a covers the
/// truth in all 200, being 6.9× wider than the estimates' spread across trials, while the
/// estimate itself is biased low by 3 of those standard deviations (the staircase of trained
/// sizes, and the edge flags dropping only the noise flips away from the middle).
public struct LossEnvelope: Sendable {
    /// The bin width and the bootstrap.
    public struct Options: Sendable, Equatable {
        /// w, the spacing of the budgets in decades (default 0.05).
        public var binWidth: Double
        /// Bootstrap resamples (0: none).
        public var bootstrapSamples: Int
        /// The bootstrap's seed.
        public var seed: UInt64
        /// The default spacing 0.05 decades (20 budgets a decade), 1000 resamples, seed 0.
        public init(binWidth: Double = 0.05, bootstrapSamples: Int = 1000, seed: UInt64 = 0) {
            self.binWidth = binWidth; self.bootstrapSamples = bootstrapSamples; self.seed = seed
        }
    }

    /// The envelope at one budget.
    public struct Point: Sendable, Equatable {
        /// C_k.
        public var compute: Double
        /// L*(C_k).
        public var loss: Double
        /// N of the curve attaining it.
        public var parameters: Double
        /// The name of that curve.
        public var run: String
        /// How many curves cover C_k.
        public var curves: Int
        /// Whether a covering curve of smaller and one of larger N exist (the point is used).
        public var isUsed: Bool
    }

    /// The curves.
    public var data: TrainingCurves
    /// The options used.
    public var options: Options
    /// The envelope at every budget covered by at least one curve, in increasing C.
    public var points: [Point]
    /// The power laws fitted to the used points.
    public var law: AllocationPowerLaw
    /// The bootstrap over curves (nil when `bootstrapSamples` is 0).
    public var bootstrap: AllocationBootstrap?

    /// How many budgets were flagged (envelope at the smallest or largest size covering them).
    public var flagged: Int { points.filter { !$0.isUsed }.count }
    /// How many budgets were used.
    public var used: Int { points.filter(\.isUsed).count }

    /// Approach 1 on `data`.
    /// - Throws: `invalidData` naming the file for fewer than 3 distinct model sizes or
    ///   fewer than 2 usable budgets; `badArgument` for a bin width that is not positive
    ///   and finite or a bootstrap count outside 0…`Bootstrap.maximumSamples`.
    public init(_ data: TrainingCurves, options: Options = Options()) throws {
        guard options.binWidth > 0, options.binWidth.isFinite else {
            throw ScaleFitError.badArgument(flag: "binWidth", position: 0, expected: "a positive number of decades", found: "\(options.binWidth)")
        }
        guard (0...Bootstrap.maximumSamples).contains(options.bootstrapSamples) else {
            throw ScaleFitError.badArgument(flag: "bootstrapSamples", position: 0, expected: "0…\(Bootstrap.maximumSamples)", found: "\(options.bootstrapSamples)")
        }
        let sizes = Set(data.curves.map(\.parameters)).count
        guard sizes >= 3 else {
            throw ScaleFitError.invalidData(file: data.file, reason: "the loss envelope needs curves of at least 3 model sizes (an interior optimum has a smaller and a larger size beside it), found \(sizes)")
        }
        self.data = data
        self.options = options
        points = Self.envelope(data.curves, binWidth: options.binWidth)
        let used = points.filter(\.isUsed)
        guard used.count >= 2 else {
            throw ScaleFitError.invalidData(file: data.file, reason: "loss envelope: \(used.count) of \(points.count) compute budgets have their envelope at an interior model size (\(points.count - used.count) at the smallest or largest size covering them); the exponents need at least 2")
        }
        law = try AllocationPowerLaw(compute: used.map(\.compute), parameters: used.map(\.parameters), file: data.file)
        bootstrap = options.bootstrapSamples == 0 ? nil : Self.bootstrap(data, options)
    }

    /// The envelope of `curves` at the budgets 10^(k·w).
    static func envelope(_ curves: [TrainingCurves.Curve], binWidth w: Double) -> [Point] {
        let lo = curves.compactMap { $0.compute.first }.min()!, hi = curves.compactMap { $0.compute.last }.max()!
        let first = Int((log10(lo) / w).rounded(.up)), last = Int((log10(hi) / w).rounded(.down))
        guard first <= last else { return [] }
        var points: [Point] = []
        for k in first...last {
            let c = pow(10, Double(k) * w)
            let covering = curves.indices.compactMap { i in curves[i].loss(atCompute: c).map { (i, $0) } }
            guard let best = covering.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { continue }
            let n = curves[best.0].parameters
            let sizes = covering.map { curves[$0.0].parameters }
            points.append(Point(compute: c, loss: best.1, parameters: n, run: curves[best.0].name, curves: covering.count,
                                isUsed: sizes.contains { $0 < n } && sizes.contains { $0 > n }))
        }
        return points
    }

    /// The bootstrap over curves described above.
    static func bootstrap(_ data: TrainingCurves, _ options: Options) -> AllocationBootstrap {
        var draws: [[Double]] = []
        let m = data.curves.count
        for r in 0..<options.bootstrapSamples {
            var g = SeededGenerator.stream(seed: options.seed, index: r)
            let pick = (0..<m).map { _ in data.curves[Int(g.next() % UInt64(m))] }
            let used = envelope(pick, binWidth: options.binWidth).filter(\.isUsed)
            if let law = try? AllocationPowerLaw(compute: used.map(\.compute), parameters: used.map(\.parameters), file: data.file) {
                draws.append([law.logCoefficient, law.a])
            }
        }
        return AllocationBootstrap(samples: options.bootstrapSamples, failed: options.bootstrapSamples - draws.count,
                                   seed: options.seed, draws: draws)
    }
}
