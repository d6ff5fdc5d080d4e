import Foundation

/// Text for figure titles: a law's formula and its fitted values.
package enum PlotTitle {
    /// `name = value` pairs, values to three significant digits (scientific from 10⁶ or
    /// under 10⁻³), parameter names such as `alpha` written as Greek letters.
    ///
    /// ```swift
    /// PlotTitle.values(names: ["E", "A", "alpha"], values: [1.6934, 406.4, 0.3392])
    /// // "E = 1.69, A = 406, α = 0.339"
    /// ```
    package static func values(names: [String], values: [Double]) -> String {
        zip(names, values).map { name, value in
            let a = abs(value)
            let text = a != 0 && (a >= 1e6 || a < 1e-3) ? TickLabel.scientific(value) : TickLabel.significant(value)
            return "\(greek(name)) = \(text)"
        }.joined(separator: ", ")
    }

    /// `text` with the whole words alpha, beta, gamma, delta, eta, lambda, sigma written
    /// as α, β, γ, δ, η, λ, σ (`L(N, D) = E + A/N^alpha` → `L(N, D) = E + A/N^α`).
    package static func greek(_ text: String) -> String {
        let letters: [String: String] = ["alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "eta": "η",
                                         "lambda": "λ", "sigma": "σ"]
        var out = "", word = ""
        func flush() { out += letters[word] ?? word; word = "" }
        for c in text {
            if c.isLetter { word.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out
    }
}
