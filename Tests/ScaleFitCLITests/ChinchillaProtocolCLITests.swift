import Foundation
import XCTest
import ScaleFit
import ScaleFitCLI

/// `fit --law chinchilla` is the one generic fit, `Fit<ChinchillaLaw>`: the fit file it
/// writes is that fit's own file (`Fit.file`) in law, parameters, covariance, loss, search
/// and data, with the prediction noise and the CLI's diagnostics added.
final class ChinchillaProtocolCLITests: XCTestCase {
    func testFitFileIsTheProtocolFitsFile() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("scalefit-chinchilla-protocol-\(ProcessInfo.processInfo.processIdentifier).fit.json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A non-default δ, so the law's option is seen to travel from --loss to the fit.
        let r = try CLITests.scalefit(["fit", "Data/runs.csv", "--law", "chinchilla", "--loss", "huber:0.01", "-o", path, "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let written = try FitFile.read(path: path)

        let runs = try ModelRuns(table: try RunTableReader.read(path: CLITests.root.appendingPathComponent("Data/runs.csv").path))
        let fit = try Fit(ChinchillaLaw(loss: .huber(scale: 0.01)), to: runs)
        let expected = fit.file
        XCTAssertEqual(written.law, expected.law)
        XCTAssertEqual(written.law, ChinchillaLaw.identifier)
        XCTAssertEqual(written.formula, expected.formula)
        XCTAssertEqual(written.parameterNames, expected.parameterNames)
        XCTAssertEqual(written.parameters, expected.parameters)
        XCTAssertEqual(written.covariance, expected.covariance)
        XCTAssertEqual(written.loss, "huber:0.01")
        XCTAssertEqual(written.loss, expected.loss)
        XCTAssertEqual(written.starts, expected.starts)
        XCTAssertEqual(written.solver, expected.solver)
        XCTAssertEqual(written.statistics, expected.statistics)
        XCTAssertEqual(written.data.rows, expected.data.rows)
        XCTAssertEqual(written.data.droppedRows, expected.data.droppedRows)
        // The objective is the same Σ Huber_δ, summed directly as the report prints it.
        XCTAssertEqual(written.objective, expected.objective, accuracy: 1e-12 * expected.objective)
        XCTAssertNotNil(written.noise, "the CLI adds the prediction noise")
        // And the file reads back as that fit.
        let back = try Fit<ChinchillaLaw>(file: written, source: path)
        XCTAssertEqual(back.law, fit.law)
        XCTAssertEqual(back.parameters, fit.parameters)
        XCTAssertEqual(back.standardErrors, fit.standardErrors)
    }
}
