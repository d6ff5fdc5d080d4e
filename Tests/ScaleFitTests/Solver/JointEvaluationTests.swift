import Foundation
import XCTest
import ScaleFit

/// Joint evaluation (`LeastSquaresProblem.prefersJointEvaluation`): the solver takes r and J
/// together at every trial point and never asks for J alone, and it follows the same path
/// to the same minimum as with separate evaluations.
final class JointEvaluationTests: XCTestCase {
    /// Counts the calls of each kind (the tests run the solver on one thread).
    final class Calls: @unchecked Sendable {
        var residuals = 0, jacobians = 0, joint = 0
    }

    /// The Rosenbrock problem, optionally asking for joint evaluation.
    struct CountedRosenbrock: LeastSquaresProblem {
        let joint: Bool
        let calls: Calls
        var parameterCount: Int { 2 }
        var residualCount: Int { 2 }
        var prefersJointEvaluation: Bool { joint }
        func residuals(at x: [Double], into r: inout [Double]) {
            calls.residuals += 1
            r[0] = 10 * (x[1] - x[0] * x[0]); r[1] = 1 - x[0]
        }
        func jacobian(at x: [Double], into j: inout Matrix) {
            calls.jacobians += 1
            j[0, 0] = -20 * x[0]; j[0, 1] = 10; j[1, 0] = -1; j[1, 1] = 0
        }
        func residualsAndJacobian(at x: [Double], residuals r: inout [Double], jacobian j: inout Matrix) {
            calls.joint += 1
            r[0] = 10 * (x[1] - x[0] * x[0]); r[1] = 1 - x[0]
            j[0, 0] = -20 * x[0]; j[0, 1] = 10; j[1, 0] = -1; j[1, 1] = 0
        }
    }

    func testJointEvaluationFollowsTheSamePathWithoutSeparateJacobians() throws {
        // Huber: no geodesic probe and no refinement, which evaluate residuals alone.
        let solver = LevenbergMarquardt(options: SolverOptions(loss: .huber(scale: 1)))
        let separateCalls = Calls(), jointCalls = Calls()
        let separate = try solver.minimize(CountedRosenbrock(joint: false, calls: separateCalls), from: [-1.2, 1])
        let joint = try solver.minimize(CountedRosenbrock(joint: true, calls: jointCalls), from: [-1.2, 1])
        XCTAssertTrue(joint.summary.converged, joint.summary.message)
        XCTAssertEqual(joint.parameters, separate.parameters)
        XCTAssertEqual(joint.summary.iterations, separate.summary.iterations)
        XCTAssertEqual(joint.summary.residualEvaluations, separate.summary.residualEvaluations)
        XCTAssertEqual(joint.jacobian, separate.jacobian)
        XCTAssertEqual(jointCalls.residuals, 0)
        XCTAssertEqual(jointCalls.jacobians, 0)
        XCTAssertEqual(jointCalls.joint, joint.summary.residualEvaluations)
        XCTAssertEqual(separateCalls.joint, 0)
        // Separately, a Jacobian per accepted point (and none more).
        XCTAssertLessThanOrEqual(separateCalls.jacobians, separate.summary.iterations + 1)
    }
}
