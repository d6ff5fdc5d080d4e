import Foundation

/// Synthetic training curves from Chinchilla's law with a known compute-optimal exponent,
/// for the tests and `scalefit-bench envelope`: model sizes N_j log-spaced, each trained for
/// steps t logged at log-spaced points, D = K·t tokens (K a step's tokens), and the loss
///
/// ```
/// L_j(t) = (E + A/N_j^α + B/(K·t)^β)·exp(σ·ε),   ε standard normal (Box–Muller), independent per point
/// ```
///
/// The law's own optimum is N*(C) ∝ C^a with a = β/(α+β), which is what approach 1 should
/// recover; but the envelope can only pick one of the sizes trained, so its N_opt(C) is a
/// staircase through N*(C), and a budget is used only when its winner has a smaller and a
/// larger covering size (the first and last steps are flagged). The noise-free sweep gives
/// the envelope's own bias, apart from the bootstrap.
package struct LossEnvelopeSweep: Sendable {
    package var law: ChinchillaLaw.Parameters
    /// N of each curve.
    package var sizes: [Double]
    /// The logged steps of every curve.
    package var steps: [Double]
    /// K, tokens per step.
    package var tokensPerStep: Double
    /// σ of the log-normal noise on the loss.
    package var noise: Double

    /// Hoffmann's published law; 8 sizes log-spaced over 1.5 decades (3.2e7…1e9); 100 logged
    /// steps log-spaced over 100…100,000 at 2^21 tokens a step (D = 2.1e8…2.1e11, so each size's
    /// compute spans 3 decades and together 1.2e17…1.3e21); 0.5% noise.
    package init(law: ChinchillaLaw.Parameters = .init(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28),
                 sizes: [Double] = (0..<8).map { pow(10, 7.5 + 1.5 * Double($0) / 7) },
                 steps: [Double] = (0..<100).map { pow(10, 2 + 3 * Double($0) / 99).rounded() },
                 tokensPerStep: Double = 2_097_152, noise: Double = 0.005) {
        self.law = law; self.sizes = sizes; self.steps = steps; self.tokensPerStep = tokensPerStep; self.noise = noise
    }

    /// The exponent of N_opt in C: β/(α+β).
    package var trueA: Double { law.beta / (law.alpha + law.beta) }

    /// One seeded draw of the curves.
    package func curves(seed: UInt64) throws -> TrainingCurves {
        var g = SeededGenerator(seed: seed)
        let tokens = steps.map { $0 * tokensPerStep }
        let curves = try sizes.enumerated().map { j, n in
            let loss = tokens.map { d -> Double in
                let u1 = max(g.nextUnit(), .leastNormalMagnitude), u2 = g.nextUnit()
                let e = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
                return law.loss(parameters: n, tokens: d) * exp(noise * e)
            }
            return try TrainingCurves.Curve(name: "n\(j)", parameters: n, tokens: tokens, loss: loss)
        }
        return TrainingCurves(curves: curves)
    }

    /// The 95% interval's coverage of the truth a over `trials` seeded sweeps (`samples`
    /// bootstrap resamples each; trial t uses data seed t and bootstrap seed t), the mean
    /// interval width, and the mean and standard deviation of the estimates of a across trials
    /// (the spread an honest interval's width should match: about 2·1.96·sd).
    package func coverage(trials: Int, samples: Int, binWidth: Double = 0.05) throws
        -> (covered: Int, trials: Int, meanWidth: Double, meanA: Double, sdA: Double) {
        var covered = 0, width = 0.0, estimates: [Double] = []
        for t in 0..<trials {
            let fit = try LossEnvelope(try curves(seed: UInt64(t)),
                                       options: .init(binWidth: binWidth, bootstrapSamples: samples, seed: UInt64(t)))
            let i = fit.bootstrap!.exponentIntervals[0]
            if i.lower <= trueA && trueA <= i.upper { covered += 1 }
            width += i.upper - i.lower
            estimates.append(fit.law.a)
        }
        let mean = estimates.reduce(0, +) / Double(trials)
        let sd = trials > 1 ? (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(trials - 1)).squareRoot() : 0
        return (covered, trials, width / Double(trials), mean, sd)
    }
}
