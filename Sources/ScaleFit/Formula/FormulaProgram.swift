/// A formula compiled to a flat list of instructions for a register machine, in the form the
/// evaluator runs over blocks of data rows.
///
/// Instruction k writes register k (static single assignment), reading only registers
/// before it; equal subtrees share one register (common subexpressions are computed once).
/// Each register is either
///
/// - uniform: it depends on parameters and constants only (`-alpha`, `2*pi`), computed once
///   per evaluation and then broadcast, or
/// - varying: it depends on a data column, computed once per row.
///
/// For exact Jacobians each register r also carries tangents ∂rᵣ/∂θⱼ for the parameters j
/// it depends on (forward-mode automatic differentiation with a sparse tangent vector):
///
/// ```
/// ṙ = (∂op/∂a)·ȧ + (∂op/∂b)·ḃ        for r = op(a, b), per parameter j in deps(r)
/// ```
struct FormulaProgram: Sendable {
    enum Operation: Hashable, Sendable {
        case variable(Int)
        case parameter(Int)
        case constant(Double)
        case negate(Int)
        case add(Int, Int)
        case subtract(Int, Int)
        case multiply(Int, Int)
        case divide(Int, Int)
        case power(Int, Int)
        /// x², the common case of `^2`, as one multiplication.
        case square(Int)
        case unary(FormulaFunction, Int)
        case minimum(Int, Int)
        case maximum(Int, Int)
        /// atan2(a, b): the angle of the point (b, a).
        case atan2(Int, Int)

        var operands: [Int] {
            switch self {
            case .variable, .parameter, .constant: return []
            case let .negate(a), let .square(a), let .unary(_, a): return [a]
            case let .add(a, b), let .subtract(a, b), let .multiply(a, b), let .divide(a, b),
                 let .power(a, b), let .minimum(a, b), let .maximum(a, b), let .atan2(a, b):
                return [a, b]
            }
        }
    }

    /// One tangent of an instruction's result: ṙ in slot `output` from the operands'
    /// tangents in slots `first` and `second` (−1 where that operand does not depend on the
    /// parameter).
    struct TangentStep: Sendable {
        var output: Int, first: Int, second: Int
    }

    let operations: [Operation]
    let isUniform: [Bool]
    /// The parameters each register depends on, ascending.
    let dependencies: [[Int]]
    /// For each register, its tangent slots in the order of `dependencies`.
    let tangentSlots: [[Int]]
    let tangentSteps: [[TangentStep]]
    let tangentCount: Int
    let parameterCount: Int
    let variableCount: Int
    /// The register holding the formula's value.
    let result: Int

    init(_ expression: FormulaExpression, variableCount: Int, parameterCount: Int) {
        var builder = Builder()
        let result = builder.emit(expression)
        self.operations = builder.operations
        self.result = result
        self.variableCount = variableCount
        self.parameterCount = parameterCount

        var uniform: [Bool] = [], deps: [[Int]] = [], slots: [[Int]] = [], steps: [[TangentStep]] = []
        var next = 0
        for op in operations {
            let operands = op.operands
            switch op {
            case .variable: uniform.append(false); deps.append([])
            case let .parameter(j): uniform.append(true); deps.append([j])
            case .constant: uniform.append(true); deps.append([])
            default:
                uniform.append(operands.allSatisfy { uniform[$0] })
                deps.append(Array(Set(operands.flatMap { deps[$0] })).sorted())
            }
            let mine = Array(next..<(next + deps.last!.count))
            next += mine.count
            slots.append(mine)
            steps.append(zip(deps.last!, mine).map { j, slot in
                func slotOf(_ operand: Int?) -> Int {
                    guard let operand, let k = deps[operand].firstIndex(of: j) else { return -1 }
                    return slots[operand][k]
                }
                return TangentStep(output: slot, first: slotOf(operands.first),
                                   second: slotOf(operands.count > 1 ? operands[1] : nil))
            })
        }
        self.isUniform = uniform
        self.dependencies = deps
        self.tangentSlots = slots
        self.tangentSteps = steps
        self.tangentCount = next
    }

    /// Emits instructions bottom-up, reusing the register of an instruction already emitted.
    private struct Builder {
        var operations: [Operation] = []
        var registerOf: [Operation: Int] = [:]

        mutating func add(_ op: Operation) -> Int {
            if let r = registerOf[op] { return r }
            operations.append(op)
            registerOf[op] = operations.count - 1
            return operations.count - 1
        }

        mutating func emit(_ e: FormulaExpression) -> Int {
            // Parameter-free, variable-free subtrees are folded to one constant.
            if case .number = e {} else if let c = e.constantValue, c.isFinite, !e.hasSymbols {
                return add(.constant(c))
            }
            switch e {
            case let .number(c): return add(.constant(c))
            case .pi: return add(.constant(Double.pi))
            case let .variable(k): return add(.variable(k))
            case let .parameter(j): return add(.parameter(j))
            case let .negate(x): return add(.negate(emit(x)))
            case let .binary(op, x, y):
                if op == .power, y == .number(2) { return add(.square(emit(x))) }
                let a = emit(x), b = emit(y)
                switch op {
                case .add: return add(.add(a, b))
                case .subtract: return add(.subtract(a, b))
                case .multiply: return add(.multiply(a, b))
                case .divide: return add(.divide(a, b))
                case .power: return add(.power(a, b))
                }
            case let .call(f, args):
                let a = emit(args[0])
                switch f {
                case .pow: return add(.power(a, emit(args[1])))
                case .min: return add(.minimum(a, emit(args[1])))
                case .max: return add(.maximum(a, emit(args[1])))
                case .atan2: return add(.atan2(a, emit(args[1])))
                default: return add(.unary(f, a))
                }
            }
        }
    }
}

extension FormulaExpression {
    /// True when a variable or parameter occurs in the expression.
    var hasSymbols: Bool {
        switch self {
        case .variable, .parameter: return true
        case .number, .pi: return false
        case let .negate(x): return x.hasSymbols
        case let .binary(_, x, y): return x.hasSymbols || y.hasSymbols
        case let .call(_, args): return args.contains { $0.hasSymbols }
        }
    }
}
