// Writes Data/runs.csv: final losses of 30 synthetic training runs (N parameters, D tokens)
// drawn from Chinchilla's law with Hoffmann et al.'s published fit
// (E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28) and 0.5% multiplicative Gaussian
// noise (SplitMix64 seeded with 2026, Box–Muller). N from 50M to 1.6B, D/N from 5 to 80.
// Usage: swift Scripts/make-runs.swift > Data/runs.csv
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
func law(_ n: Double, _ d: Double) -> Double { 1.69 + 406.4 / pow(n, 0.34) + 410.7 / pow(d, 0.28) }

print("run,params,tokens,loss")
for n in [50e6, 100e6, 200e6, 400e6, 800e6, 1.6e9] {
    for ratio in [5.0, 10, 20, 40, 80] {
        let d = n * ratio
        let loss = law(n, d) * (1 + 0.005 * gaussian())
        print(String(format: "n%.0fM-r%.0f,%.0f,%.0f,%.5f", n / 1e6, ratio, n, d, loss))
    }
}
