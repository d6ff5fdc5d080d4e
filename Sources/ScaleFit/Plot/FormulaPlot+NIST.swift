import Foundation

extension FormulaPlot {
    /// The figure of a NIST StRD fit: y against x with the data, the model at the fitted
    /// parameters and, dashed, the model at NIST's certified values, and the residuals
    /// (fitted − observed) below. A problem with two predictors (Nelson, fitted on log y)
    /// is drawn as the parity plot of its target.
    /// - Throws: `dimensionMismatch` when `parameters` is not one value per certified one.
    package init(nist dataset: NISTDataset, parameters: [Double]) throws {
        guard parameters.count == dataset.certifiedValues.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(dataset.certifiedValues.count) parameters", found: "\(parameters.count)")
        }
        let model = try NISTModels.model(for: dataset, file: dataset.name)
        // The residual is f − target (log y for Nelson), so the fitted value is target + residual.
        var r = [Double](repeating: 0, count: model.residualCount)
        model.residuals(at: parameters, into: &r)
        let target = dataset.name == "Nelson" ? dataset.response.map { log($0) } : dataset.response
        let fitted = zip(target, r).map { $0 + $1 }
        guard dataset.predictors.count == 1 else {
            self = try Self.parity(observed: target, fitted: fitted, label: dataset.name == "Nelson" ? "log y" : "y")
            return
        }
        let x = dataset.predictors[0]
        let grid = Self.grid(over: x, scale: Self.scale(for: x))
        // The model on the grid: the same problem on points whose response is 0 has residuals f(x; b).
        var onGrid = dataset
        onGrid.predictors = [grid]
        onGrid.response = Array(repeating: 0, count: grid.count)
        let curve = try NISTModels.model(for: onGrid, file: dataset.name)
        func values(_ b: [Double]) -> [Double] {
            var v = [Double](repeating: 0, count: curve.residualCount)
            curve.residuals(at: b, into: &v)
            return v
        }
        self = try Self.oneVariable(x: x, observed: target, fitted: fitted,
                                    curves: [Curve(name: "fitted", x: grid, y: values(parameters)),
                                             Curve(name: "certified values", x: grid, y: values(dataset.certifiedValues), style: .dashed)],
                                    xLabel: "x", yLabel: "y")
    }
}
