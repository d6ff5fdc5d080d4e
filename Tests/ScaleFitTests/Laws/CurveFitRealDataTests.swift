import Foundation
import XCTest
@testable import ScaleFit

/// The paper's protocol on the real curves: fit on cosine_24000, constant_24000, wsdcon_9;
/// score on the six others.
final class CurveFitRealDataTests: XCTestCase {
    func testPublishedParametersReproducePublishedMetrics() throws {
        let expected: [String: [Double]] = [  // R², MAE, RMSE, mean rel., worst rel.
            "25M": [0.9988, 0.00376, 0.00465, 0.00110, 0.00409],
            "100M": [0.9983, 0.00435, 0.00592, 0.00142, 0.00583],
        ]
        for model in ["25M", "100M"] {
            let law = MultiPowerLaw()
            let theta = LRCurveData.published[model]!
            let metrics = try LRCurveData.testNames.map { name -> LossCurveMetrics in
                let curve = try LRCurveData.curve(model, name)
                return LossCurveMetrics(observed: curve.losses, predicted: law.predict(curve, parameters: theta))
            }
            let mean = LossCurveMetrics.average(metrics)
            let got = [mean.r2, mean.mae, mean.rmse, mean.meanRelativeError, mean.worstRelativeError]
            print("\(model) published: R2 \(got[0]) MAE \(got[1]) RMSE \(got[2]) rel \(got[3]) worst \(got[4])")
            for (g, e) in zip(got, expected[model]!) {
                XCTAssertEqual(g, e, accuracy: 0.6e-4 * max(1, e * 1e4) / 1e4 + 5e-6, "\(model)")
            }
            let train = try CurveFitProblem(law: law, curves: LRCurveData.trainNames.map { try LRCurveData.curve(model, $0) })
            print("\(model) objective at published parameters: \(train.objective(at: theta))")
        }
    }
}

extension CurveFitRealDataTests {
    /// Fits both laws on the training curves and reports test metrics. The full grid is slow
    /// in debug builds, so it runs only with SCALEFIT_REAL_FITS=1 (use `swift test -c release`).
    func testFitsOnTrainingCurvesBeatPublishedObjective() throws {
        guard ProcessInfo.processInfo.environment["SCALEFIT_REAL_FITS"] == "1" else {
            throw XCTSkip("set SCALEFIT_REAL_FITS=1 (and build with -c release) to run the real-data fits")
        }
        for model in ["25M", "100M"] {
            let train = try LRCurveData.trainNames.map { try LRCurveData.curve(model, $0) }
            let test = try LRCurveData.testNames.map { try LRCurveData.curve(model, $0) }
            let mpl = try CurveFitProblem(law: MultiPowerLaw(), curves: train)
            let published = mpl.objective(at: LRCurveData.published[model]!)
            let clock = ContinuousClock()
            let data = try LRCurveData.curves(model, LRCurveData.trainNames)
            var fit: Fit<MultiPowerLaw>! = nil
            let elapsed = try clock.measure { fit = try Fit(MultiPowerLaw(), to: data) }
            print("\(model) MPL fit: objective \(fit.objective) vs published \(published); \(fit.summary!.message); start \(fit.search.bestStart)/\(fit.search.startsTried), converged \(fit.search.startsConverged); \(elapsed)")
            print("\(model) MPL params \(fit.parameters)")
            XCTAssertLessThanOrEqual(fit.objective, published * (1 + 1e-9))
            report(model, "MPL", MultiPowerLaw(), fit.parameters, test)
            for lambda in [0.95, 0.99, 0.995, 0.999, 0.9995] {
                let law = AnnealingLaw(momentum: .fixed(lambda))
                let afit = try Fit(law, to: data)
                print("\(model) annealing λ=\(lambda): objective \(afit.objective) params \(afit.parameters)")
                report(model, "annealing λ=\(lambda)", law, afit.parameters, test)
            }
            let law = AnnealingLaw(momentum: .fitted)
            let afit = try Fit(law, to: data)
            print("\(model) annealing λ fitted: objective \(afit.objective) params \(afit.parameters)")
            report(model, "annealing λ fitted", law, afit.parameters, test)
        }
    }

    func report<Law: LossCurveLaw>(_ model: String, _ label: String, _ law: Law, _ theta: [Double], _ test: [LossCurve]) {
        var all: [LossCurveMetrics] = []
        for curve in test {
            let m = LossCurveMetrics(observed: curve.losses, predicted: law.predict(curve, parameters: theta))
            all.append(m)
            print(String(format: "  %@ %@ %-18@ R2 %.4f MAE %.5f RMSE %.5f rel %.5f worst %.5f final %+.5f",
                         model, label, curve.name, m.r2, m.mae, m.rmse, m.meanRelativeError, m.worstRelativeError, m.finalError))
        }
        let a = LossCurveMetrics.average(all)
        print(String(format: "  %@ %@ AVERAGE R2 %.4f MAE %.5f RMSE %.5f rel %.5f worst %.5f",
                     model, label, a.r2, a.mae, a.rmse, a.meanRelativeError, a.worstRelativeError))
    }
}

extension CurveFitRealDataTests {
    /// LM started at the published parameters: the nearest minimum of the same objective.
    func testFitFromPublishedParameters() throws {
        guard ProcessInfo.processInfo.environment["SCALEFIT_REAL_FITS"] == "1" else {
            throw XCTSkip("set SCALEFIT_REAL_FITS=1 (and build with -c release) to run the real-data fits")
        }
        for model in ["25M", "100M"] {
            let train = try LRCurveData.trainNames.map { try LRCurveData.curve(model, $0) }
            let test = try LRCurveData.testNames.map { try LRCurveData.curve(model, $0) }
            let mpl = try CurveFitProblem(law: MultiPowerLaw(), curves: train)
            let start = LRCurveData.published[model]!
            let run = try LevenbergMarquardt(options: CurveFit.defaultOptions)
                .minimize(mpl, from: start, bounds: MultiPowerLaw().defaultBounds)
            print("\(model) MPL from published: objective \(run.cost) vs \(mpl.objective(at: start)); \(run.summary.message); params \(run.parameters)")
            XCTAssertLessThanOrEqual(run.cost, mpl.objective(at: start))
            report(model, "MPL-from-published", MultiPowerLaw(), run.parameters, test)
        }
    }
}
