import XCTest
import ScaleFit

/// A formula bound to data is a `LeastSquaresProblem` the solver can fit: residuals are
/// f − y, the Jacobian is exact, and a Chinchilla-form law is recovered from its own data.
final class FormulaFitTests: XCTestCase {
    private static let formula = "E + A*N^-alpha + B*D^-beta"
    private static let truth = ["E": 1.69, "A": 406.4, "alpha": 0.34, "B": 410.7, "beta": 0.28]

    /// 36 runs on a grid of model sizes N and token counts D, with exact losses.
    private func chinchillaData(_ model: FormulaModel) -> (inputs: [[Double]], loss: [Double]) {
        let sizes = [1e7, 3e7, 1e8, 3e8, 1e9, 3e9], tokens = [1e9, 3e9, 1e10, 3e10, 1e11, 3e11]
        var n: [Double] = [], d: [Double] = []
        for s in sizes { for t in tokens { n.append(s); d.append(t) } }
        let theta = model.parameterNames.map { Self.truth[$0]! }
        let loss = zip(n, d).map { model.value(variables: [$0, $1], parameters: theta) }
        return ([n, d], loss)
    }

    func testResidualsAndExactJacobian() throws {
        let model = try FormulaModel(formula: Self.formula, variables: ["N", "D"])
        let (inputs, loss) = chinchillaData(model)
        let problem = try FormulaProblem(model: model, inputs: inputs, observed: loss)
        XCTAssertEqual(problem.parameterCount, 5)
        XCTAssertEqual(problem.residualCount, 36)
        let start = [2, 400, 0.3, 400, 0.3]
        var r = [Double](repeating: 0, count: 36)
        problem.residuals(at: start, into: &r)
        for i in 0..<36 {
            XCTAssertEqual(r[i], model.value(variables: [inputs[0][i], inputs[1][i]], parameters: start) - loss[i],
                           accuracy: 1e-12)
        }
        var jac = Matrix(rows: 36, columns: 5)
        problem.jacobian(at: start, into: &jac)
        let reference = finiteDifferenceJacobian(of: problem, at: start)
        for i in 0..<36 {
            // ∂/∂E = 1 and ∂/∂A = N^-alpha exactly.
            XCTAssertEqual(jac[i, 0], 1)
            XCTAssertEqual(jac[i, 1], pow(inputs[0][i], -0.3), accuracy: 1e-15)
            XCTAssertEqual(jac[i, 2], -400 * pow(inputs[0][i], -0.3) * log(inputs[0][i]), accuracy: 1e-12)
            for j in 0..<5 {
                XCTAssertEqual(jac[i, j], reference[i, j], accuracy: 1e-7 * max(1, abs(reference[i, j])))
            }
        }
    }

    func testLevenbergMarquardtRecoversTheLaw() throws {
        let model = try FormulaModel(formula: Self.formula, variables: ["N", "D"])
        let (inputs, loss) = chinchillaData(model)
        let problem = try FormulaProblem(model: model, inputs: inputs, observed: loss)
        let starts = try model.startingPoints(ParameterStarts(parsing: "E=2,A=400,B=400,alpha=0.3,beta=0.3"))
        XCTAssertEqual(starts, [[2, 400, 0.3, 400, 0.3]])
        let bounds = try model.parameterBounds(ParameterRanges(parsing: "alpha=0:2,beta=0:2"))
        let result = try LevenbergMarquardt().minimize(problem, from: starts[0], bounds: bounds)
        XCTAssertTrue(result.summary.converged, result.summary.message)
        for (j, name) in model.parameterNames.enumerated() {
            XCTAssertEqual(result.parameters[j], Self.truth[name]!, accuracy: 1e-6 * Self.truth[name]!, name)
        }
        XCTAssertLessThan(result.cost, 1e-20)
    }

    func testEveryStartOfAGridConvergesToTheSameFit() throws {
        let model = try FormulaModel(formula: Self.formula, variables: ["N", "D"])
        let (inputs, loss) = chinchillaData(model)
        let problem = try FormulaProblem(model: model, inputs: inputs, observed: loss)
        let starts = try model.startingPoints(ParameterStarts(parsing: "E=1:2:1,A=400,B=400,alpha=0.2:0.4:0.2,beta=0.3"))
        XCTAssertEqual(starts.count, 4)
        XCTAssertEqual(starts[1], [1, 400, 0.4, 400, 0.3])
        for start in starts {
            let result = try LevenbergMarquardt().minimize(problem, from: start)
            XCTAssertTrue(result.summary.converged, result.summary.message)
            XCTAssertEqual(result.parameters[2], 0.34, accuracy: 1e-6)
            XCTAssertEqual(result.parameters[4], 0.28, accuracy: 1e-6)
        }
    }

    func testDimensionAndParameterChecks() throws {
        let model = try FormulaModel(formula: Self.formula, variables: ["N", "D"])
        XCTAssertThrowsError(try FormulaProblem(model: model, inputs: [[1, 2]], observed: [1, 2])) { error in
            XCTAssertEqual(error as? ScaleFitError, .dimensionMismatch(expected: "2 input columns", found: "1"))
        }
        XCTAssertThrowsError(try FormulaProblem(model: model, inputs: [[1, 2], [1, 2]], observed: [1])) { error in
            XCTAssertEqual(error as? ScaleFitError, .dimensionMismatch(expected: "1 rows in every input column", found: "2"))
        }
        let constant = try FormulaModel(formula: "2*N", variables: ["N"])
        XCTAssertThrowsError(try FormulaProblem(model: constant, inputs: [[1]], observed: [1])) { error in
            XCTAssertEqual(error as? ScaleFitError, .badArgument(flag: "formula", position: 0,
                                                                expected: "a formula with at least one parameter to fit",
                                                                found: "2*N"))
        }
    }

    func testAFormulaWithoutVariablesFitsAConstant() throws {
        let model = try FormulaModel(formula: "c^2", variables: ["x"])
        let problem = try FormulaProblem(model: model, inputs: [[0, 0, 0]], observed: [4, 4, 4])
        let result = try LevenbergMarquardt().minimize(problem, from: [1])
        XCTAssertEqual(result.parameters[0], 2, accuracy: 1e-10)
    }
}
