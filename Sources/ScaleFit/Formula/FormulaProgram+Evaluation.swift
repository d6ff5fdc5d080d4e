import Foundation

/// The register machine that runs a `FormulaProgram` over many data rows.
///
/// Rows are taken in blocks of `blockSize`; each instruction is one tight loop over the
/// block (no string work, no look-ups, no per-row dispatch), and the whole register file of
/// one block stays in cache. Uniform registers are computed once (as a block of one row)
/// and broadcast before the first block.
///
/// With a Jacobian each instruction also forms its local partial derivatives ∂op/∂a, ∂op/∂b
/// per row and applies the chain rule to every tangent it carries:
///
/// ```
/// a + b: ȧ + ḃ       a·b: b·ȧ + a·ḃ       a/b: ȧ/b − (a/b)·ḃ/b
/// a^b:   b·a^(b−1)·ȧ + a^b·ln(a)·ḃ          f(a): f′(a)·ȧ
/// atan2(a, b): (b·ȧ − a·ḃ)/(a² + b²)
/// ```
extension FormulaProgram {
    /// Rows per block: large enough to amortise the per-instruction dispatch, small enough
    /// that a block's registers and tangents stay in the L1/L2 cache.
    static let blockSize = 256

    /// Evaluates the formula at `parameters` over `rowCount` rows.
    ///
    /// - Parameters:
    ///   - columns: the variables' data, column after column (`variableCount × rowCount`).
    ///   - values: receives the `rowCount` values, when not nil.
    ///   - jacobian: receives ∂f/∂θ (`rowCount × parameterCount`, column-major), when not nil.
    func evaluate(parameters: [Double], columns: UnsafePointer<Double>, rowCount m: Int,
                  values: UnsafeMutablePointer<Double>?, jacobian: UnsafeMutablePointer<Double>?) {
        precondition(parameters.count == parameterCount, "one value per parameter")
        let b = Self.blockSize
        let withTangents = jacobian != nil
        let registers = operations.count
        let capacity = (registers + (withTangents ? tangentCount : 0) + 2) * b
        let memory = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
        memory.initialize(repeating: 0, count: capacity)
        defer { memory.deallocate() }
        let machine = Machine(program: self, memory: memory, parameters: parameters,
                              columns: columns, rowCount: m, withTangents: withTangents)

        for r in 0..<registers where isUniform[r] {
            machine.execute(r, start: 0, count: 1)
            machine.broadcast(r)
        }
        if let jacobian {
            for j in 0..<parameterCount where !dependencies[result].contains(j) {
                (jacobian + j * m).update(repeating: 0, count: m)
            }
        }
        let varying = (0..<registers).filter { !isUniform[$0] }
        var start = 0
        while start < m {
            let n = Swift.min(b, m - start)
            for r in varying { machine.execute(r, start: start, count: n) }
            if let values { (values + start).update(from: machine.value(result), count: n) }
            if let jacobian {
                for (k, j) in dependencies[result].enumerated() {
                    (jacobian + j * m + start).update(from: machine.tangent(tangentSlots[result][k]), count: n)
                }
            }
            start += n
        }
    }
}

/// One evaluation's register file: `registers` value blocks, then the tangent blocks,
/// then two scratch blocks for the partial derivatives.
private struct Machine {
    let program: FormulaProgram
    let memory: UnsafeMutablePointer<Double>
    let parameters: [Double]
    let columns: UnsafePointer<Double>
    let rowCount: Int
    let withTangents: Bool

    private var b: Int { FormulaProgram.blockSize }

    func value(_ r: Int) -> UnsafeMutablePointer<Double> { memory + r * b }
    func tangent(_ slot: Int) -> UnsafeMutablePointer<Double> { memory + (program.operations.count + slot) * b }
    private var scratchA: UnsafeMutablePointer<Double> { memory + (program.operations.count + (withTangents ? program.tangentCount : 0)) * b }
    private var scratchB: UnsafeMutablePointer<Double> { scratchA + b }

    /// Copies row 0 of a uniform register (and its tangents) to the whole block.
    func broadcast(_ r: Int) {
        let v = value(r)
        v.update(repeating: v[0], count: b)
        guard withTangents else { return }
        for slot in program.tangentSlots[r] {
            let t = tangent(slot)
            t.update(repeating: t[0], count: b)
        }
    }

    /// Runs instruction `r` on rows `start ..< start + n` (n = 1 for a uniform register).
    func execute(_ r: Int, start: Int, count n: Int) {
        let out = value(r)
        switch program.operations[r] {
        case let .variable(k): out.update(from: columns + k * rowCount + start, count: n)
        case let .parameter(j): out.update(repeating: parameters[j], count: n)
        case let .constant(c): out.update(repeating: c, count: n)
        case let .negate(a): let x = value(a); for i in 0..<n { out[i] = -x[i] }
        case let .add(a, c): let x = value(a), y = value(c); for i in 0..<n { out[i] = x[i] + y[i] }
        case let .subtract(a, c): let x = value(a), y = value(c); for i in 0..<n { out[i] = x[i] - y[i] }
        case let .multiply(a, c): let x = value(a), y = value(c); for i in 0..<n { out[i] = x[i] * y[i] }
        case let .divide(a, c): let x = value(a), y = value(c); for i in 0..<n { out[i] = x[i] / y[i] }
        case let .power(a, c): let x = value(a), y = value(c); for i in 0..<n { out[i] = Foundation.pow(x[i], y[i]) }
        case let .square(a): let x = value(a); for i in 0..<n { out[i] = x[i] * x[i] }
        case let .unary(f, a): Machine.apply(f, value(a), out, n)
        case let .minimum(a, c): let x = value(a), y = value(c); for i in 0..<n { out[i] = x[i] <= y[i] ? x[i] : y[i] }
        case let .maximum(a, c): let x = value(a), y = value(c); for i in 0..<n { out[i] = x[i] >= y[i] ? x[i] : y[i] }
        case let .atan2(a, c): let x = value(a), y = value(c); for i in 0..<n { out[i] = Foundation.atan2(x[i], y[i]) }
        }
        if withTangents && !program.tangentSteps[r].isEmpty { differentiate(r, count: n) }
    }

    /// One loop per function, so that the switch is outside the row loop.
    private static func apply(_ f: FormulaFunction, _ x: UnsafeMutablePointer<Double>,
                              _ out: UnsafeMutablePointer<Double>, _ n: Int) {
        switch f {
        case .exp: for i in 0..<n { out[i] = Foundation.exp(x[i]) }
        case .expm1: for i in 0..<n { out[i] = Foundation.expm1(x[i]) }
        case .log: for i in 0..<n { out[i] = Foundation.log(x[i]) }
        case .log1p: for i in 0..<n { out[i] = Foundation.log1p(x[i]) }
        case .log10: for i in 0..<n { out[i] = Foundation.log10(x[i]) }
        case .sqrt: for i in 0..<n { out[i] = x[i].squareRoot() }
        case .abs: for i in 0..<n { out[i] = Swift.abs(x[i]) }
        case .sin: for i in 0..<n { out[i] = Foundation.sin(x[i]) }
        case .cos: for i in 0..<n { out[i] = Foundation.cos(x[i]) }
        case .tan: for i in 0..<n { out[i] = Foundation.tan(x[i]) }
        case .atan: for i in 0..<n { out[i] = Foundation.atan(x[i]) }
        case .atan2, .pow, .min, .max: for i in 0..<n { out[i] = .nan }
        }
    }

    // MARK: Tangents

    /// Forms the tangents of register `r` from its operands' by the chain rule.
    private func differentiate(_ r: Int, count n: Int) {
        let steps = program.tangentSteps[r]
        let out = value(r)
        switch program.operations[r] {
        case .variable, .constant:
            return
        case .parameter:
            for s in steps { tangent(s.output).update(repeating: 1, count: n) }
        case .negate:
            for s in steps {
                let t = tangent(s.output), ta = tangent(s.first)
                for i in 0..<n { t[i] = -ta[i] }
            }
        case .add, .subtract:
            let sign: Double = isAdd(r) ? 1 : -1
            for s in steps { combine(s, sign: sign, count: n) }
        case let .multiply(a, c):
            for s in steps { chain(s, value(c), value(a), count: n) }
        case let .divide(_, c):
            let y = value(c), pa = scratchA, pb = scratchB
            for i in 0..<n { pa[i] = 1 / y[i]; pb[i] = -out[i] / y[i] }
            for s in steps { chain(s, pa, pb, count: n) }
        case let .power(a, c):
            let x = value(a), y = value(c), pa = scratchA, pb = scratchB
            if steps.contains(where: { $0.first >= 0 }) {
                for i in 0..<n {
                    let v = out[i]
                    // b·v/a is b·a^(b−1) without a second pow where it is safe to divide.
                    pa[i] = y[i] == 0 ? 0 : (x[i] != 0 && v != 0 && v.isFinite ? y[i] * v / x[i]
                                                                              : y[i] * Foundation.pow(x[i], y[i] - 1))
                }
            }
            if steps.contains(where: { $0.second >= 0 }) {
                for i in 0..<n { pb[i] = out[i] == 0 ? 0 : out[i] * Foundation.log(x[i]) }
            }
            for s in steps { chain(s, pa, pb, count: n) }
        case let .square(a):
            let x = value(a), pa = scratchA
            for i in 0..<n { pa[i] = 2 * x[i] }
            for s in steps { chain(s, pa, pa, count: n) }
        case let .unary(f, a):
            let pa = scratchA
            Machine.derivative(f, value(a), out, pa, n)
            for s in steps { chain(s, pa, pa, count: n) }
        case let .minimum(a, c), let .maximum(a, c):
            let x = value(a), y = value(c), pa = scratchA
            let isMinimum: Bool = { if case .minimum = program.operations[r] { return true } else { return false } }()
            for i in 0..<n { pa[i] = (isMinimum ? x[i] <= y[i] : x[i] >= y[i]) ? 1 : 0 }
            for s in steps { select(s, pa, count: n) }
        case let .atan2(a, c):
            // ∂atan2(y, x)/∂y = x/(x² + y²),  ∂/∂x = −y/(x² + y²).
            let y = value(a), x = value(c), pa = scratchA, pb = scratchB
            for i in 0..<n {
                let q = x[i] * x[i] + y[i] * y[i]
                pa[i] = x[i] / q
                pb[i] = -y[i] / q
            }
            for s in steps { chain(s, pa, pb, count: n) }
        }
    }

    private func isAdd(_ r: Int) -> Bool {
        if case .add = program.operations[r] { return true }
        return false
    }

    /// ṙ = ȧ ± ḃ, an absent tangent counting as zero.
    private func combine(_ s: FormulaProgram.TangentStep, sign: Double, count n: Int) {
        let t = tangent(s.output)
        switch (s.first >= 0, s.second >= 0) {
        case (true, true):
            let ta = tangent(s.first), tb = tangent(s.second)
            if sign > 0 { for i in 0..<n { t[i] = ta[i] + tb[i] } } else { for i in 0..<n { t[i] = ta[i] - tb[i] } }
        case (true, false):
            t.update(from: tangent(s.first), count: n)
        case (false, true):
            let tb = tangent(s.second)
            if sign > 0 { t.update(from: tb, count: n) } else { for i in 0..<n { t[i] = -tb[i] } }
        case (false, false):
            t.update(repeating: 0, count: n)
        }
    }

    /// ṙ = pa·ȧ + pb·ḃ, an absent tangent counting as zero.
    private func chain(_ s: FormulaProgram.TangentStep, _ pa: UnsafeMutablePointer<Double>,
                       _ pb: UnsafeMutablePointer<Double>, count n: Int) {
        let t = tangent(s.output)
        switch (s.first >= 0, s.second >= 0) {
        case (true, true):
            let ta = tangent(s.first), tb = tangent(s.second)
            for i in 0..<n { t[i] = pa[i] * ta[i] + pb[i] * tb[i] }
        case (true, false):
            let ta = tangent(s.first)
            for i in 0..<n { t[i] = pa[i] * ta[i] }
        case (false, true):
            let tb = tangent(s.second)
            for i in 0..<n { t[i] = pb[i] * tb[i] }
        case (false, false):
            t.update(repeating: 0, count: n)
        }
    }

    /// ṙ = ȧ where `chooseFirst` is 1, else ḃ: the tangent of the operand min or max picked.
    /// A selection rather than 1·ȧ + 0·ḃ, so that a NaN or ∞ in the branch not taken stays out.
    private func select(_ s: FormulaProgram.TangentStep, _ chooseFirst: UnsafeMutablePointer<Double>, count n: Int) {
        let t = tangent(s.output)
        let ta = s.first >= 0 ? UnsafePointer(tangent(s.first)) : nil
        let tb = s.second >= 0 ? UnsafePointer(tangent(s.second)) : nil
        for i in 0..<n { t[i] = chooseFirst[i] != 0 ? (ta?[i] ?? 0) : (tb?[i] ?? 0) }
    }

    /// f′(x) into `pa`, given x and v = f(x).
    private static func derivative(_ f: FormulaFunction, _ x: UnsafeMutablePointer<Double>,
                                   _ v: UnsafeMutablePointer<Double>, _ pa: UnsafeMutablePointer<Double>, _ n: Int) {
        switch f {
        case .exp: pa.update(from: v, count: n)
        // eˣ itself, not v + 1, which would lose every digit where eˣ ≪ 1.
        case .expm1: for i in 0..<n { pa[i] = Foundation.exp(x[i]) }
        case .log: for i in 0..<n { pa[i] = 1 / x[i] }
        case .log1p: for i in 0..<n { pa[i] = 1 / (1 + x[i]) }
        case .log10: for i in 0..<n { pa[i] = 1 / (x[i] * 2.302585092994045684) }  // 1/(x·ln 10)
        case .sqrt: for i in 0..<n { pa[i] = 0.5 / v[i] }
        case .abs: for i in 0..<n { pa[i] = x[i] > 0 ? 1 : (x[i] < 0 ? -1 : 0) }
        case .sin: for i in 0..<n { pa[i] = Foundation.cos(x[i]) }
        case .cos: for i in 0..<n { pa[i] = -Foundation.sin(x[i]) }
        case .tan: for i in 0..<n { pa[i] = 1 + v[i] * v[i] }
        case .atan: for i in 0..<n { pa[i] = 1 / (1 + x[i] * x[i]) }
        case .atan2, .pow, .min, .max: pa.update(repeating: .nan, count: n)
        }
    }
}
