import Foundation

/// Hoffmann et al. (2022) approach 2, IsoFLOP profiles: group the runs by compute budget
/// (`ComputeBinning`), fit a parabola in ln N to each budget's final losses
/// (`IsoFLOPParabola`), take each minimum N_opt(C), and fit
///
/// ```
/// N_opt ∝ C^a,   D_opt = C/(6·N_opt) ∝ C^b,   b = 1 − a      (`AllocationPowerLaw`)
/// ```
///
/// over the usable budgets. A budget with fewer than 3 distinct N, a non-convex parabola or
/// its minimum at an edge of its N range is flagged and not used; `flagged` counts them.
///
/// The intervals come from a bootstrap over the runs, stratified by budget (the budgets
/// are the sweep's design, not a random draw): each resample redraws, within every budget
/// used by the full fit, as many runs as it has, refits every parabola under the same rules
/// (a budget flagged in a resample is left out of it) and refits the power law. Two ways to
/// redraw (`Resampling`):
///
/// ```
/// residuals (default)  run i keeps its N and gets L*_i = L̂(N_i) + r_j·√(m/(m−3)),
///                      r_j = L_j − L̂(N_j) of a run j of its budget drawn with replacement
///                      (m runs; √(m/(m−3)) undoes the shrinkage of a 3-parameter fit)
/// runs                 m runs of the budget drawn with replacement, (N, L) together
/// ```
///
/// On 200 seeded synthetic sweeps (`IsoFLOPSweep`: 7 budgets × 9 sizes, 1% noise) the 95%
/// interval of a covers the truth in 95% of trials with residuals and 98% with runs: drawing
/// whole runs also redraws the design (a resample has ~5.7 distinct sizes of 9), which widens
/// the interval. Residuals assume one noise level within a budget and a parabola that fits;
/// a budget of exactly 3 sizes has no residuals left and does not vary under them.
/// Resample r draws from `SeededGenerator.stream(seed:index: r)`, so the same seed gives the
/// same intervals. A resample with fewer than 2 usable budgets is counted in `failed` and
/// left out.
public struct IsoFLOPProfiles: Sendable {
    /// How a bootstrap resample redraws a budget's runs (see the type's documentation).
    public enum Resampling: String, Sendable, Equatable, Codable, CaseIterable {
        /// The parabola's residuals resampled onto its fitted values.
        case residuals
        /// The budget's runs drawn with replacement.
        case runs
    }

    /// The binning and the bootstrap.
    public struct Options: Sendable, Equatable {
        /// How resamples redraw the runs (default `residuals`).
        public var resampling: Resampling
        /// How runs are grouped into budgets.
        public var binning: ComputeBinning
        /// Bootstrap resamples (0: none; at most `Bootstrap.maximumSamples`).
        public var bootstrapSamples: Int
        /// The bootstrap's seed.
        public var seed: UInt64
        /// The default: 0.03-decade binning, 1000 resamples, seed 0.
        public init(binning: ComputeBinning? = nil, bootstrapSamples: Int = 1000, seed: UInt64 = 0, resampling: Resampling = .residuals) {
            self.binning = binning ?? (try! ComputeBinning())
            self.resampling = resampling
            self.bootstrapSamples = bootstrapSamples
            self.seed = seed
        }
    }

    /// One compute budget: its runs, its parabola and its verdict.
    public struct Profile: Sendable, Equatable {
        /// The budget: the geometric mean of its runs' C.
        public var compute: Double
        /// The smallest and largest C among its runs.
        public var computeRange: (lower: Double, upper: Double)
        /// The indices of its runs in the input.
        public var runs: [Int]
        /// The smallest and largest N among its runs.
        public var parameterRange: (lower: Double, upper: Double)
        /// The parabola and whether it is used.
        public var parabola: IsoFLOPParabola
        /// D_opt = C/(6·N_opt), when the parabola has a minimum.
        public var optimalTokens: Double? { parabola.optimalParameters.map { compute / (6 * $0) } }
        /// Whether the profile enters the power-law fit.
        public var isUsed: Bool { parabola.status == .used }

        /// Equal budget, runs and parabola.
        public static func == (a: Profile, b: Profile) -> Bool {
            a.compute == b.compute && a.runs == b.runs && a.parabola == b.parabola
                && a.computeRange == b.computeRange && a.parameterRange == b.parameterRange
        }
    }

    /// The runs.
    public var runs: IsoFLOPRuns
    /// The options used.
    public var options: Options
    /// Every budget, in increasing C.
    public var profiles: [Profile]
    /// The power laws fitted to the usable budgets' minima.
    public var law: AllocationPowerLaw
    /// The bootstrap (nil when `bootstrapSamples` is 0).
    public var bootstrap: AllocationBootstrap?

    /// How many budgets were flagged and left out.
    public var flagged: Int { profiles.filter { !$0.isUsed }.count }
    /// How many budgets were used.
    public var used: Int { profiles.filter(\.isUsed).count }
    /// Used budgets of exactly 3 runs: their parabola passes through every run, so residual
    /// resampling leaves them as they are and the interval understates the uncertainty.
    public var budgetsWithoutResiduals: Int { profiles.filter { $0.isUsed && $0.runs.count <= 3 }.count }

    /// A caveat about the bootstrap, or nil: budgets that residual resampling cannot vary.
    public var bootstrapCaveat: String? {
        guard bootstrap != nil, options.resampling == .residuals, budgetsWithoutResiduals > 0 else { return nil }
        return "\(budgetsWithoutResiduals) of the \(used) used budgets have 3 runs, which their parabola fits exactly: residual resampling cannot vary them and the interval understates the uncertainty (resampling whole runs, `Resampling.runs`, varies them)"
    }

    /// Approach 2 on `runs`.
    /// - Throws: `invalidData` naming the file when fewer than two budgets are usable (the
    ///   message counts the flagged ones by reason); `badArgument` for a bootstrap count
    ///   outside 0…`Bootstrap.maximumSamples`.
    public init(_ runs: IsoFLOPRuns, options: Options = Options()) throws {
        guard (0...Bootstrap.maximumSamples).contains(options.bootstrapSamples) else {
            throw ScaleFitError.badArgument(flag: "bootstrapSamples", position: 0, expected: "0…\(Bootstrap.maximumSamples)", found: "\(options.bootstrapSamples)")
        }
        self.runs = runs
        self.options = options
        profiles = options.binning.groups(runs.compute).map { Self.profile(runs, $0) }
        let usable = profiles.filter(\.isUsed)
        guard usable.count >= 2 else {
            throw ScaleFitError.invalidData(file: runs.file, reason: "IsoFLOP profiles: \(usable.count) of \(profiles.count) compute budgets usable (\(Self.flagSummary(profiles))); the exponents need at least 2 budgets with an interior minimum (binning: \(options.binning.description))")
        }
        law = try AllocationPowerLaw(compute: usable.map(\.compute), parameters: usable.map { $0.parabola.optimalParameters! }, file: runs.file)
        bootstrap = options.bootstrapSamples == 0 ? nil : Self.bootstrap(runs, usable, options)
    }

    /// The flagged budgets counted by reason: `3 with fewer than 3 distinct model sizes, 1 with …`.
    public static func flagSummary(_ profiles: [Profile]) -> String {
        let flagged = profiles.filter { !$0.isUsed }
        guard !flagged.isEmpty else { return "none flagged" }
        let reasons: [IsoFLOPParabola.Status] = [.tooFewSizes, .notConvex, .minimumAtEdge]
        return reasons.compactMap { s in
            let k = flagged.filter { $0.parabola.status == s }.count
            return k == 0 ? nil : "\(k) with \(s.rawValue.replacingOccurrences(of: "parabola not convex", with: "a parabola not convex").replacingOccurrences(of: "minimum at", with: "the minimum at"))"
        }.joined(separator: ", ") + " flagged"
    }

    /// The profile of the runs at `indices`.
    static func profile(_ runs: IsoFLOPRuns, _ indices: [Int]) -> Profile {
        let c = indices.map { runs.compute[$0] }, n = indices.map { runs.parameters[$0] }
        let geometric = exp(c.map { log($0) }.reduce(0, +) / Double(c.count))
        return Profile(compute: geometric, computeRange: (c.min()!, c.max()!), runs: indices,
                       parameterRange: (n.min()!, n.max()!),
                       parabola: IsoFLOPParabola(parameters: n, loss: indices.map { runs.loss[$0] }))
    }

    /// The stratified bootstrap described above.
    static func bootstrap(_ runs: IsoFLOPRuns, _ usable: [Profile], _ options: Options) -> AllocationBootstrap {
        var draws: [[Double]] = []
        for r in 0..<options.bootstrapSamples {
            var g = SeededGenerator.stream(seed: options.seed, index: r)
            var c: [Double] = [], optima: [Double] = []
            for p in usable {
                let m = p.runs.count
                let draw = (0..<m).map { _ in Int(g.next() % UInt64(m)) }
                let n: [Double], l: [Double]
                switch options.resampling {
                case .runs:
                    n = draw.map { runs.parameters[p.runs[$0]] }
                    l = draw.map { runs.loss[p.runs[$0]] }
                case .residuals:
                    n = p.runs.map { runs.parameters[$0] }
                    let inflate = (Double(m) / Double(max(m - 3, 1))).squareRoot()
                    let residual = p.runs.map { (runs.loss[$0] - p.parabola.loss(parameters: runs.parameters[$0])) * inflate }
                    l = zip(n, draw).map { p.parabola.loss(parameters: $0.0) + residual[$0.1] }
                }
                let parabola = IsoFLOPParabola(parameters: n, loss: l)
                if parabola.status == .used { c.append(p.compute); optima.append(parabola.optimalParameters!) }
            }
            if let law = try? AllocationPowerLaw(compute: c, parameters: optima, file: runs.file) {
                draws.append([law.logCoefficient, law.a])
            }
        }
        return AllocationBootstrap(samples: options.bootstrapSamples, failed: options.bootstrapSamples - draws.count,
                                   seed: options.seed, draws: draws)
    }
}
