import XCTest
@testable import ScaleFit

/// Column roles detected by name, overrides, and the printed description.
final class ColumnMappingTests: XCTestCase {
    private func table(_ header: String, row: String) throws -> RunTable {
        try RunTableReader.read(string: header + "\n" + row + "\n", fileName: "runs.csv")
    }

    func testDetectsEveryRoleBySynonym() throws {
        let runs = try table("global_step,learning_rate,train_loss,N,D,C,run_name,language,sampling_ratio",
                             row: "1,0.1,3,1e8,1e9,6e17,a,en,0.5")
        let mapping = try ColumnMapping.detect(in: runs)
        XCTAssertEqual(mapping.columns, [.step: "global_step", .lr: "learning_rate", .loss: "train_loss",
                                         .params: "N", .tokens: "D", .compute: "C", .run: "run_name",
                                         .family: "language", .ratio: "sampling_ratio"])
    }

    func testPrefersTheValidationLossAndNormalisesNames() throws {
        let runs = try table("eval.loss,Model Size,LOSS,n_tokens,Training FLOP", row: "3,1e8,2.9,1e9,1e18")
        let mapping = try ColumnMapping.detect(in: runs)
        XCTAssertEqual(mapping[.loss], "eval.loss")
        XCTAssertEqual(mapping.alternatives[.loss], ["LOSS"])
        XCTAssertEqual(mapping[.params], "Model Size")
        XCTAssertEqual(mapping[.tokens], "n_tokens")
        XCTAssertEqual(mapping[.compute], "Training FLOP")
        XCTAssertEqual(mapping.description,
                       "columns: loss=\"eval.loss\", params=\"Model Size\", tokens=\"n_tokens\", compute=\"Training FLOP\"")
    }

    func testEvalLossWhenItIsTheOnlyLoss() throws {
        let mapping = try ColumnMapping.detect(in: try table("step,eval.loss", row: "1,2"))
        XCTAssertEqual(mapping[.loss], "eval.loss")
    }

    func testNumericRolesSkipTextColumnsAndAColumnServesOneRole() throws {
        // "n" is text here, so it cannot be the model size; "name" is the run.
        let runs = try table("n,name,params", row: "x,a,1e8")
        let mapping = try ColumnMapping.detect(in: runs)
        XCTAssertEqual(mapping[.params], "params")
        XCTAssertEqual(mapping[.run], "name")
    }

    func testOverridesWinAndTakeTheirColumn() throws {
        let runs = try table("size,loss,val_loss", row: "1e8,3,3.1")
        let mapping = try ColumnMapping.detect(in: runs, overrides: [.loss: "VAL_LOSS", .params: "size"])
        XCTAssertEqual(mapping[.loss], "val_loss")
        XCTAssertEqual(mapping[.params], "size")
        XCTAssertEqual(mapping.description, "columns: params=\"size\", loss=\"val_loss\"")
    }

    func testOverrideOfAMissingColumnAndARoleNotFound() throws {
        let runs = try table("step,loss", row: "1,2")
        XCTAssertThrowsError(try ColumnMapping.detect(in: runs, overrides: [.lr: "eta"])) { error in
            XCTAssertEqual(error as? ScaleFitError, .missingColumn(file: "runs.csv", name: "eta", available: ["step", "loss"]))
            XCTAssertEqual((error as? ScaleFitError)?.exitCode, 65)
        }
        let mapping = try ColumnMapping.detect(in: runs)
        XCTAssertThrowsError(try mapping.require(.params, in: runs)) { error in
            XCTAssertEqual(error as? ScaleFitError, .missingColumn(
                file: "runs.csv", name: "params (params|n|nparams|numparams)", available: ["step", "loss"]))
        }
        XCTAssertEqual(try mapping.require(.loss, in: runs), "loss")
        XCTAssertEqual(ColumnMapping().description, "columns: none recognised")
    }

    func testTrainerLrNamesAndRunNames() throws {
        for name in ["lr", "learning_rate", "lr-AdamW", "train/lr", "optimizer/lr", "train.lr", "train/learning_rate"] {
            XCTAssertEqual(try ColumnMapping.detect(in: try table("step,\(name),loss", row: "1,0.1,3"))[.lr], name, name)
        }
        for name in ["model", "run_name", "name", "run"] {
            XCTAssertEqual(try ColumnMapping.detect(in: try table("\(name),loss", row: "a,3"))[.run], name, name)
        }
    }

    func testWandBBookkeepingIsNeverTheStepAxisBesideATrainerStep() throws {
        for step in ["iter", "step", "global_step", "trainer/global_step", "train/global_step"] {
            let runs = try table("_step,_runtime,_timestamp,\(step),lr,train/loss,val/loss", row: "3,10,1.7e9,1500,1e-4,3.1,3.2")
            let mapping = try ColumnMapping.detect(in: runs)
            XCTAssertEqual(mapping[.step], step)
            XCTAssertEqual(mapping.alternatives[.step], ["_step"])
            XCTAssertEqual(mapping[.loss], "val/loss")
            XCTAssertEqual(mapping.alternatives[.loss], ["train/loss"])
        }
        XCTAssertEqual(try ColumnMapping.detect(in: try table("_step,loss", row: "1,3"))[.step], "_step")
    }

    func testLossNamesBeyondTheCandidates() throws {
        let runs = try table("Step,eval/c4_en/CrossEntropyLoss,train/CrossEntropyLoss,loss_scale", row: "1,3,2.9,1024")
        let mapping = try ColumnMapping.detect(in: runs)
        XCTAssertEqual(mapping[.loss], "eval/c4_en/CrossEntropyLoss")
        XCTAssertEqual(mapping.alternatives[.loss], ["train/CrossEntropyLoss"])
    }

    func testMegatronTensorBoardTags() throws {
        let runs = try table("step,lm loss,lm loss validation,learning-rate,loss-scale", row: "100,3.1,3.2,1e-4,65536")
        let mapping = try ColumnMapping.detect(in: runs)
        XCTAssertEqual(mapping[.loss], "lm loss validation")
        XCTAssertEqual(mapping.alternatives[.loss], ["lm loss"])
        XCTAssertEqual(mapping[.lr], "learning-rate")
    }
}
