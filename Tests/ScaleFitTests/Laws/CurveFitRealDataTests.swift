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
