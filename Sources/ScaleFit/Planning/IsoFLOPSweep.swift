import Foundation

/// Synthetic IsoFLOP sweeps from Chinchilla's law with known exponents, for the tests and
/// `scalefit-bench isoflop`: at each budget C, model sizes N = N*(C)·10^(v_j) on a grid of
/// offsets v_j around the law's own optimum N*(C), D = C/(6N), and the loss
/// L(N, D)·exp(σ·ε), ε standard normal (Box–Muller on `SeededGenerator`).
///
/// Under C = 6ND the profile in v = ln N − ln N*(C) is E + K(C)·(e^(−αv) + (α/β)·e^(βv)):
/// one shape at every budget up to its height, so a parabola fitted on the same offsets
/// misplaces every minimum by the same factor and the fitted a is unbiased; the truth is
/// a = β/(α+β), b = α/(α+β).
package struct IsoFLOPSweep: Sendable {
    package var law: ChinchillaLaw.Parameters
    package var budgets: [Double]
    /// Offsets of log₁₀ N from log₁₀ N*(C).
    package var offsets: [Double]
    /// σ of the log-normal noise on the loss.
    package var noise: Double

    /// Hoffmann's published law, 7 budgets 1e18…1e21, 9 sizes over ±0.6 decades, 1% noise.
    package init(law: ChinchillaLaw.Parameters = .init(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28),
                 budgets: [Double] = (0..<7).map { pow(10, 18 + 0.5 * Double($0)) },
                 offsets: [Double] = (0..<9).map { -0.6 + 0.15 * Double($0) }, noise: Double = 0.01) {
        self.law = law; self.budgets = budgets; self.offsets = offsets; self.noise = noise
    }

    /// The exponent of N_opt in C: β/(α+β).
    package var trueA: Double { law.beta / (law.alpha + law.beta) }

    /// One seeded draw of the sweep's runs.
    package func runs(seed: UInt64) throws -> IsoFLOPRuns {
        var g = SeededGenerator(seed: seed)
        var n: [Double] = [], c: [Double] = [], l: [Double] = []
        for budget in budgets {
            let star = ComputeOptimalAllocation(law: law, compute: budget).parameters
            for v in offsets {
                let size = star * pow(10, v)
                let u1 = max(g.nextUnit(), .leastNormalMagnitude), u2 = g.nextUnit()
                let e = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
                n.append(size); c.append(budget)
                l.append(law.loss(parameters: size, tokens: budget / (6 * size)) * exp(noise * e))
            }
        }
        return try IsoFLOPRuns(parameters: n, compute: c, loss: l)
    }

    /// How many of `trials` seeded sweeps have the truth a inside the bootstrap's 95%
    /// interval (`samples` resamples each); trial t uses data seed t and bootstrap seed t.
    package func coverage(trials: Int, samples: Int, resampling: IsoFLOPProfiles.Resampling = .residuals) throws -> (covered: Int, trials: Int, meanWidth: Double) {
        var covered = 0, width = 0.0
        for t in 0..<trials {
            let fit = try IsoFLOPProfiles(try runs(seed: UInt64(t)),
                                          options: .init(bootstrapSamples: samples, seed: UInt64(t), resampling: resampling))
            let i = fit.bootstrap!.exponentIntervals[0]
            if i.lower <= trueA && trueA <= i.upper { covered += 1 }
            width += i.upper - i.lower
        }
        return (covered, trials, width / Double(trials))
    }
}
