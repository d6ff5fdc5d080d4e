import XCTest
@testable import ScaleFit

final class NISTDatasetReaderTests: XCTestCase {
    /// A three-row file in NIST's layout, the header's line ranges pointing at lines 10–20.
    static let toyLines = [
        "NIST/ITL StRD",
        "Dataset Name:  Toy               (Toy.dat)",
        "",
        "File Format:   ASCII",
        "               Starting Values   (lines 10 to 11)",
        "               Certified Values  (lines 10 to 16)",
        "               Data              (lines 18 to 20)",
        "Model:         y = b1*(1-exp[-b2*x])  +  e",
        "        Start 1     Start 2           Parameter     Standard Deviation",
        "  b1 =   500         250           2.3894212918E+02  2.7070075241E+00",
        "  b2 =     0.0001      0.0005      5.5015643181E-04  7.2668688436E-06",
        "",
        "Residual Sum of Squares:                    1.2455138894E-01",
        "Residual Standard Deviation:                1.0187876330E-01",
        "Degrees of Freedom:                                1",
        "Number of Observations:                            3",
        "Data:   y               x",
        "      10.07E0      77.6E0",
        "      14.73E0     114.9E0",
        "      17.94E0     141.1E0",
    ]

    func toy(_ edit: (inout [String]) -> Void = { _ in }, ending: String = "\r\n") throws -> NISTDataset {
        var lines = Self.toyLines
        edit(&lines)
        return try NISTDataset(parsing: lines.joined(separator: ending) + ending, file: "toy.dat")
    }

    func testToyFileParsesWithEveryLineEnding() throws {
        let crlf = try toy()
        XCTAssertEqual(crlf.name, "Toy")
        XCTAssertEqual(crlf.modelText, "y = b1*(1-exp[-b2*x])  +  e")
        XCTAssertEqual(crlf.starts, [[500, 0.0001], [250, 0.0005]])
        XCTAssertEqual(crlf.certifiedValues, [2.3894212918E+02, 5.5015643181E-04])
        XCTAssertEqual(crlf.certifiedStandardDeviations, [2.7070075241E+00, 7.2668688436E-06])
        XCTAssertEqual(crlf.certifiedResidualSumOfSquares, 1.2455138894E-01)
        XCTAssertEqual(crlf.certifiedResidualStandardDeviation, 1.0187876330E-01)
        XCTAssertEqual(crlf.degreesOfFreedom, 1)
        XCTAssertEqual(crlf.response, [10.07, 14.73, 17.94])
        XCTAssertEqual(crlf.predictors, [[77.6, 114.9, 141.1]])
        XCTAssertEqual(try toy(ending: "\n"), crlf)
        XCTAssertEqual(try toy(ending: "\r"), crlf)
    }

    func testBadNumberNamesLineAndColumn() {
        XCTAssertThrowsError(try toy { $0[18] = "      14.73E0     114.9X0" }) { error in
            XCTAssertEqual(error as? ScaleFitError,
                           .badValue(file: "toy.dat", line: 19, column: 19, expected: "a number (x)", found: "114.9X0"))
        }
        XCTAssertThrowsError(try toy { $0[9] = "  b1 =   500         2x50           2.3894212918E+02  2.7070075241E+00" }) {
            XCTAssertEqual($0 as? ScaleFitError,
                           .badValue(file: "toy.dat", line: 10, column: 22, expected: "start 2 of b1", found: "2x50"))
        }
    }

    func testMalformedStructureIsReported() {
        // A parameter line out of sequence.
        XCTAssertThrowsError(try toy { $0[10] = "  b3 =     0.0001      0.0005      5.5E-04  7.2E-06" }) {
            guard case let .badValue(_, line, column, expected, _)? = $0 as? ScaleFitError else {
                return XCTFail("expected badValue, got \($0)")
            }
            XCTAssertEqual([line, column], [11, 3])
            XCTAssertEqual(expected, "b2 = start1 start2 value sd")
        }
        // A row with a missing number.
        XCTAssertThrowsError(try toy { $0[19] = "      17.94E0" }) {
            guard case let .badValue(_, line, _, expected, _)? = $0 as? ScaleFitError else {
                return XCTFail("expected badValue, got \($0)")
            }
            XCTAssertEqual(line, 20)
            XCTAssertEqual(expected, "2 numbers per data row")
        }
        // The stated number of observations disagrees with the rows.
        XCTAssertThrowsError(try toy { $0[15] = "Number of Observations:                            4" }) {
            XCTAssertEqual($0 as? ScaleFitError,
                           .badValue(file: "toy.dat", line: 16, column: 52,
                                     expected: "the number of data rows (3)", found: "4"))
        }
        // No data range in the header.
        XCTAssertThrowsError(try toy { $0[6] = "" }) {
            XCTAssertEqual($0 as? ScaleFitError,
                           .invalidData(file: "toy.dat", reason: "no \"Data (lines X to Y)\" in the header"))
        }
        // A header range past the end of the file.
        XCTAssertThrowsError(try toy { $0[6] = "               Data              (lines 18 to 25)" }) {
            XCTAssertEqual($0 as? ScaleFitError,
                           .invalidData(file: "toy.dat", reason: "the header points to line 21 but the file has 20 lines"))
        }
        XCTAssertThrowsError(try NISTDataset(parsing: "", file: "empty.dat")) {
            XCTAssertEqual($0 as? ScaleFitError, .emptyFile(file: "empty.dat"))
        }
    }

    func testMisra1aExactValues() throws {
        let d = try NISTDataset(contentsOf: try NISTTestData.file("Misra1a"))
        XCTAssertEqual(d.name, "Misra1a")
        XCTAssertEqual(d.starts, [[500, 0.0001], [250, 0.0005]])
        XCTAssertEqual(d.certifiedValues, [2.3894212918E+02, 5.5015643181E-04])
        XCTAssertEqual(d.certifiedStandardDeviations, [2.7070075241E+00, 7.2668688436E-06])
        XCTAssertEqual(d.certifiedResidualSumOfSquares, 1.2455138894E-01)
        XCTAssertEqual(d.certifiedResidualStandardDeviation, 1.0187876330E-01)
        XCTAssertEqual(d.degreesOfFreedom, 12)
        XCTAssertEqual(d.observationCount, 14)
        XCTAssertEqual(d.predictors.count, 1)
        XCTAssertEqual(d.response.first, 10.07)
        XCTAssertEqual(d.predictors[0].first, 77.6)
        XCTAssertEqual(d.response.last, 81.78)
        XCTAssertEqual(d.predictors[0].last, 760.0)
        XCTAssertEqual(d.modelText, "Exponential Class\n2 Parameters (b1 and b2)\ny = b1*(1-exp[-b2*x])  +  e")
    }

    func testNelsonHasTwoPredictorsAndRat43KeepsItsStatedDegreesOfFreedom() throws {
        let nelson = try NISTDataset(contentsOf: try NISTTestData.file("Nelson"))
        XCTAssertEqual(nelson.observationCount, 128)
        XCTAssertEqual(nelson.predictors.count, 2)
        XCTAssertEqual(nelson.starts, [[2, 0.0001, -0.01], [2.5, 0.000000005, -0.05]])
        XCTAssertEqual(nelson.certifiedValues, [2.5906836021E+00, 5.6177717026E-09, -5.7701013174E-02])
        XCTAssertEqual([nelson.response[0], nelson.predictors[0][0], nelson.predictors[1][0]], [15, 1, 180])
        XCTAssertEqual([nelson.response[127], nelson.predictors[0][127], nelson.predictors[1][127]], [1.2, 64, 275])

        let rat43 = try NISTDataset(contentsOf: try NISTTestData.file("Rat43"))
        XCTAssertEqual(rat43.degreesOfFreedom, 9)  // sic: m − n = 11
        XCTAssertEqual(rat43.observationCount - rat43.parameterCount, 11)

        let roszman = try NISTDataset(contentsOf: try NISTTestData.file("Roszman1"))
        XCTAssertEqual(roszman.certifiedValues[0], 1.20196866396)  // written "1.20196866396E-0"
    }

    func testEveryFileReadsAndHasAModel() throws {
        let files = try NISTTestData.files()
        XCTAssertEqual(files.count, 27)
        var names: [String] = []
        for url in files {
            let d = try NISTDataset(contentsOf: url)
            names.append(d.name)
            XCTAssertEqual(d.name + ".dat", url.lastPathComponent)
            XCTAssertEqual(d.starts.map(\.count), [d.parameterCount, d.parameterCount])
            XCTAssertEqual(d.certifiedStandardDeviations.count, d.parameterCount)
            let model = try NISTModels.model(for: d)
            XCTAssertEqual(model.parameterCount, d.parameterCount, d.name)
            XCTAssertEqual(model.residualCount, d.observationCount, d.name)
        }
        XCTAssertEqual(names.sorted(), NISTModels.problemNames)
    }

    func testLookupOfAnUnknownProblemThrows() throws {
        var d = try toy()
        d.name = "NoSuchProblem"
        XCTAssertThrowsError(try NISTModels.model(for: d, file: "x.dat")) {
            XCTAssertEqual($0 as? ScaleFitError,
                           .invalidData(file: "x.dat", reason: "\"NoSuchProblem\" is not one of the 27 NIST StRD problems"))
        }
        XCTAssertEqual(Set(NISTModels.problemNames).count, 27)
        XCTAssertNotNil(NISTModels.modelType(named: "BoxBOD"))
        XCTAssertNil(NISTModels.modelType(named: "boxbod"))
    }

    func testLogRelativeError() {
        XCTAssertEqual(logRelativeError(1.5, certified: 1.5), 11)
        XCTAssertEqual(logRelativeError(1.001, certified: 1), 3, accuracy: 1e-9)
        XCTAssertEqual(logRelativeError(-2, certified: 1), 0)          // clamped at 0
        XCTAssertEqual(logRelativeError(.nan, certified: 1), 0)
        XCTAssertEqual(logRelativeError(1 + 1e-13, certified: 1), 11)  // capped at 11
        XCTAssertEqual(logRelativeError(1e-5, certified: 0), 5, accuracy: 1e-9)
    }
}
