import XCTest
import ScaleFit

/// Seeded random formulas: the parser agrees with an independent evaluator, the compiled
/// form agrees with the tree, printing and re-parsing keeps the value bit for bit, and the
/// forward-mode Jacobian matches central differences wherever those are well-conditioned.
final class FormulaPropertyTests: XCTestCase {
    private static let formulaCount = 400
    private static let rowCount = 300  // more than one 256-row block

    /// Equal as bit patterns of the value, or both NaN.
    private func same(_ u: Double, _ v: Double) -> Bool { u == v || (u.isNaN && v.isNaN) }

    /// The parameter vector in the model's order, from values for a, b, c.
    private func theta(_ model: FormulaModel, _ abc: [Double]) -> [Double] {
        model.parameterNames.map { abc[RandomFormula.parameters.firstIndex(of: $0)!] }
    }

    func testValuesPrintingAndCompiledFormAgree() throws {
        var rng = FormulaTestRandom(seed: 20_240_505)
        var parsed = 0
        for _ in 0..<Self.formulaCount {
            let formula = RandomFormula.make(depth: 4, using: &rng)
            let model: FormulaModel
            do {
                model = try FormulaModel(formula: formula.text, variables: RandomFormula.variables)
            } catch let error as ScaleFitError {
                // Only a divisor that folds to zero may be refused in a well-formed formula.
                guard case let .badArgument(_, _, expected, _) = error, expected == "a divisor that is not always zero" else {
                    return XCTFail("\(formula.text): \(error)")
                }
                continue
            }
            parsed += 1
            let reparsed = try FormulaModel(formula: model.canonicalFormula, variables: RandomFormula.variables)
            XCTAssertEqual(reparsed.expression, model.expression, formula.text)
            XCTAssertEqual(reparsed.canonicalFormula, model.canonicalFormula)

            let abc = (0..<3).map { _ in Double.random(in: 0.5...2, using: &rng) }
            let rows = (0..<Self.rowCount).map { _ in (0..<2).map { _ in Double.random(in: 0.5...3, using: &rng) } }
            let inputs = [rows.map { $0[0] }, rows.map { $0[1] }]
            let compiled = try model.values(inputs: inputs, parameters: theta(model, abc))
            for (i, xy) in rows.enumerated() {
                let reference = formula.evaluate(xy, abc)
                let tree = model.value(variables: xy, parameters: theta(model, abc))
                let printed = reparsed.value(variables: xy, parameters: theta(reparsed, abc))
                XCTAssertTrue(same(tree, reference), "\(formula.text) at \(xy), \(abc): \(tree) vs \(reference)")
                XCTAssertTrue(same(printed, reference), "\(model.canonicalFormula): \(printed) vs \(reference)")
                XCTAssertTrue(same(compiled[i], reference), "\(formula.text) row \(i): \(compiled[i]) vs \(reference)")
            }
        }
        XCTAssertGreaterThan(parsed, Self.formulaCount * 9 / 10)
    }

    func testJacobianMatchesCentralDifferences() throws {
        var rng = FormulaTestRandom(seed: 7)
        var checked = 0, skipped = 0, undefined = 0
        for _ in 0..<Self.formulaCount {
            let formula = RandomFormula.make(depth: 4, using: &rng)
            guard let model = try? FormulaModel(formula: formula.text, variables: RandomFormula.variables),
                  !model.parameterNames.isEmpty else { continue }
            let theta = (0..<model.parameterNames.count).map { _ in Double.random(in: 0.5...2, using: &rng) }
            let rows = (0..<8).map { _ in (0..<2).map { _ in Double.random(in: 0.5...3, using: &rng) } }
            let jac = try model.jacobian(inputs: [rows.map { $0[0] }, rows.map { $0[1] }], parameters: theta)
            for (i, xy) in rows.enumerated() {
                let f = model.value(variables: xy, parameters: theta)
                for j in theta.indices {
                    func difference(_ h: Double) -> Double {
                        var plus = theta, minus = theta
                        plus[j] += h
                        minus[j] -= h
                        return (model.value(variables: xy, parameters: plus)
                                - model.value(variables: xy, parameters: minus)) / (plus[j] - minus[j])
                    }
                    let h = 1e-4 * max(abs(theta[j]), 1)
                    let coarse = difference(h), fine = difference(h / 4)
                    let floor = 1e-8 * (1 + abs(f))
                    // Central differences are only a reference where they agree with themselves:
                    // not across a kink (abs, min, max), a pole or a NaN.
                    guard f.isFinite, coarse.isFinite, fine.isFinite else {
                        undefined += 1
                        continue
                    }
                    guard abs(coarse - fine) <= 1e-7 * max(abs(coarse), abs(fine)) + floor else {
                        skipped += 1
                        continue
                    }
                    let ad = jac[i, j]
                    XCTAssertLessThanOrEqual(abs(ad - fine), 1e-6 * max(abs(ad), abs(fine)) + floor,
                                             "\(model.canonicalFormula) ∂/∂\(model.parameterNames[j]) at \(xy), \(theta)")
                    checked += 1
                }
            }
        }
        // Most comparisons where the formula is defined must be real ones, not skips.
        XCTAssertGreaterThan(checked, 3 * skipped)
        XCTAssertGreaterThan(checked, 2000)
    }
}
