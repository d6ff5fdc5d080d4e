// Writes Data/multilingual.csv: final losses of 198 synthetic multilingual training runs,
// one row per (run, language family), drawn from He et al.'s (2024) multilingual law
//   L_i(N, D, p_i) = (E_i + A_i/N^alpha_i + B_i/D^beta_i) * p_i^(-gamma_i)
// with the per-family parameters below and 1% multiplicative Gaussian noise (SplitMix64
// seeded with 2026, Box–Muller). N in {85M, 200M, 500M}, D in {2B, 5B, 12B}; 22 mixes per
// (N, D): the uniform mix twice (replicates: the noise level), and for each family a ratio
// of 0.05 or 0.4 with the rest split two ways (evenly, or 1:2:3:4 over the others), so that
// runs differ only in the other families' ratios (what `scalefit check-independence` looks for).
// Usage: swift Scripts/make-multilingual.swift > Data/multilingual.csv
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

// name, E, A, alpha, B, beta, gamma
let families: [(String, Double, Double, Double, Double, Double, Double)] = [
    ("en", 1.60, 380, 0.33, 410, 0.28, 0.10),
    ("zh", 1.90, 450, 0.34, 520, 0.29, 0.16),
    ("ru", 1.75, 400, 0.32, 460, 0.28, 0.12),
    ("fr", 1.65, 390, 0.33, 430, 0.27, 0.08),
    ("hi", 2.05, 430, 0.31, 500, 0.30, 0.20),
]
func loss(_ f: Int, _ n: Double, _ d: Double, _ p: Double) -> Double {
    let (_, e, a, alpha, b, beta, gamma) = families[f]
    return (e + a / pow(n, alpha) + b / pow(d, beta)) * pow(p, -gamma)
}

var mixes: [(String, [Double])] = [("uniform", Array(repeating: 0.2, count: 5)), ("uniform-rep", Array(repeating: 0.2, count: 5))]
for i in 0..<5 {
    for p in [0.05, 0.4] {
        let others = (0..<5).filter { $0 != i }
        var even = Array(repeating: (1 - p) / 4, count: 5)
        even[i] = p
        var skewed = Array(repeating: 0.0, count: 5)
        skewed[i] = p
        for (k, j) in others.enumerated() { skewed[j] = (1 - p) * Double(k + 1) / 10 }
        let tag = "\(families[i].0)\(Int(p * 100))"
        mixes.append(("\(tag)-even", even))
        mixes.append(("\(tag)-skew", skewed))
    }
}

print("run,params,tokens,family,ratio,loss")
for n in [85e6, 200e6, 500e6] {
    for d in [2e9, 5e9, 12e9] {
        for (name, mix) in mixes {
            let run = String(format: "n%.0fM-d%.0fB-%@", n / 1e6, d / 1e9, name)
            for f in 0..<5 {
                let l = loss(f, n, d, mix[f]) * (1 + 0.01 * gaussian())
                print(String(format: "%@,%.0f,%.0f,%@,%.10g,%.5f", run, n, d, families[f].0, mix[f], l))
            }
        }
    }
}
