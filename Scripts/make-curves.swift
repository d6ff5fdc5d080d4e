// Writes Data/curves.csv: three synthetic training-loss curves (run,step,lr,loss) under
// three learning-rate schedules, drawn from the multi-power law (Luo et al. 2025, the
// repository convention of ../shared/data/lrcurves/PROVENANCE.md) with parameters near the
// published 25M fit: L0 = 3.0, A = 0.5, α = 0.5, B = 400, C = 2, β = 0.6, γ = 0.6, times
// (1 + 0.002·z), z standard normal (SplitMix64 seeded with 2026, Box–Muller).
// Schedules (peak 3e-4, linear warmup over 400 steps, numpy.linspace(0, peak, 400)):
//   constant  3e-4 until step 4000
//   cosine    cosine from 3e-4 to 3e-5 over steps 400..<4000
//   wsd       3e-4 until step 3200, then linear decay to 3e-5 at step 4000
// The loss and the lr are logged every 50 steps from step 400 (after warmup).
// The law is evaluated by its definition, the O(t²) sum, independently of the library.
// Usage: swift Scripts/make-curves.swift > Data/curves.csv
import Foundation

var state: UInt64 = 2026
func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
func gaussian() -> Double {
    let u1 = max(unit(), 1e-300), u2 = unit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

let total = 4000, warmup = 400, peak = 3e-4, final = 0.1 * peak
func rate(_ kind: String, _ i: Int) -> Double {
    if i < warmup { return peak * Double(i) / Double(warmup - 1) }
    switch kind {
    case "constant": return peak
    case "cosine":
        let u = Double(i - warmup) / Double(total - warmup)
        return final + 0.5 * (peak - final) * (1 + cos(Double.pi * u))
    default:
        let stable = 3200, decay = total - stable
        if i < stable { return peak }
        let u = Double(i - stable) / Double(decay)
        return peak * (1 - u) + final * u
    }
}

let (l0, a, alpha, b, c, beta, gamma) = (3.0, 0.5, 0.5, 400.0, 2.0, 0.6, 0.6)
func loss(_ eta: [Double], _ t: Int) -> Double {
    var s1 = 0.0
    for tau in 0...t { s1 += eta[tau] }
    var ld = 0.0, sk = 0.0
    for k in stride(from: t, through: 1, by: -1) {
        sk += eta[k]                      // S_k(t) = Σ_{τ=k..t} η_τ
        let gap = eta[k - 1] - eta[k]
        if gap != 0 { ld += gap * (1 - pow(c * pow(eta[k], -gamma) * sk + 1, -beta)) }
    }
    return l0 + a * pow(s1, -alpha) - b * ld
}

print("run,step,lr,loss")
for kind in ["constant", "cosine", "wsd"] {
    let eta = (0..<total).map { rate(kind, $0) }
    for step in stride(from: warmup, to: total, by: 50) {
        let value = loss(eta, step) * (1 + 0.002 * gaussian())
        print("\(kind),\(step),\(eta[step]),\(String(format: "%.5f", value))")
    }
}
