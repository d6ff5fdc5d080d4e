import Foundation
import ScaleFit

/// How logs are read, for every command that reads a table (`LogReadOptions`, one flag a
/// field): `--step`, `--lr`, `--min-step`, `--max-step`, `--runs`, `--input-format`,
/// `--keep-segments`, with `--y`, `--group` and `--strict` of the other groups. Each input is
/// read once and summarised on stderr in one line (`LogReadReport`).
enum LogInputOptions {
    static let curveLaws: Set<FitLaw> = FitLaw.curves

    static let step = Option<String>(OptionDeclaration("step", value: "COL", help:
        "the step column (detected: step, iter, global_step, trainer/global_step, …; never W&B's _step beside one of those)",
        laws: curveLaws))
    static let lr = Option<String>(OptionDeclaration("lr", value: "COL", help:
        "the learning-rate column (detected: lr, learning_rate, lr-AdamW, train/lr, optimizer/lr, …)", laws: curveLaws))
    static let minStep = Option<Double>(OptionDeclaration("min-step", value: "S", help:
        "drop the rows before step S (the start of training; counted in the report)", laws: curveLaws)) {
        try Values.double($0, flag: "--min-step")
    }
    static let maxStep = Option<Double>(OptionDeclaration("max-step", value: "S", help:
        "drop the rows after step S (counted in the report)", laws: curveLaws)) {
        try Values.double($0, flag: "--max-step")
    }
    static let runs = Option<[String]>(OptionDeclaration("runs", value: "A,B", help: "keep only these runs")) { text in
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.contains(where: \.isEmpty) else {
            throw UsageError(message: "--runs: expected run names separated by commas, found \"\(text)\"")
        }
        return names
    }
    static let inputFormat = Option<RunTableFormat>(OptionDeclaration("input-format", value: "NAME", help:
        "read the input as csv, wandb (chart export), wandb_run, json_records (W&B history), jsonl, trainer_state or tensorboard instead of detecting it")) { text in
        guard let format = RunTableFormat(name: text) else {
            throw UsageError(message: "--input-format: expected csv, wandb, wandb_run, json_records, jsonl, trainer_state or tensorboard, found \"\(text)\"")
        }
        return format
    }
    static let keepSegments = Flag("keep-segments", help: "keep a restarted W&B run's segments (NAME-001, NAME-002, …) as separate runs instead of joining them")

    static func declarations(laws: Set<FitLaw>?) -> [OptionDeclaration] {
        [step.declaration, lr.declaration, minStep.declaration, maxStep.declaration,
         runs.declaration.applying(to: laws), inputFormat.declaration.applying(to: laws),
         keepSegments.declaration.applying(to: laws)]
    }

    /// The reading options the flags give (`--x` stands for `--step` for a curve law).
    static func options(_ args: ParsedArguments, curveLaw: Bool) throws -> LogReadOptions {
        if let a = try args.value(minStep), let b = try args.value(maxStep), a > b {
            throw UsageError(message: "--min-step \(a) is above --max-step \(b): no row would be kept")
        }
        return LogReadOptions(format: try args.value(inputFormat),
                              stepColumn: args.text(step) ?? (curveLaw ? args.text(InputOptions.x) : nil),
                              lossColumn: args.text(InputOptions.y), lrColumn: args.text(lr),
                              runColumn: args.text(CurveOptions.group),
                              minStep: try args.value(minStep), maxStep: try args.value(maxStep),
                              runs: try args.value(runs), keepSegmentsApart: args.has(keepSegments),
                              strict: args.has(InputOptions.strict))
    }

    /// The read report's arguments as this command line's flags.
    static let flagNames = LogReadReport.ArgumentNames(
        runs: "--runs", minStep: "--min-step", maxStep: "--max-step",
        columnChoice: [.step: "--step", .loss: "--y", .lr: "--lr", .run: "--group"], areFlags: true)

    /// Reads `inputs` (files, directories, `-`) once, with each input's one-line report on
    /// stderr; the table of every input.
    static func read(_ inputs: [String], args: ParsedArguments, curveLaw: Bool, out: CommandOutput) throws -> RunTable {
        let result = try LogReader.read(inputs: inputs, options: try options(args, curveLaw: curveLaw))
        for report in result.reports { out.note(report.description(naming: flagNames)) }
        if result.skippedFiles > 0 {
            out.note("skipped \(result.skippedFiles) file\(result.skippedFiles == 1 ? "" : "s") that are not logs")
        }
        return result.table
    }
}
