// libFuzzer entry point for scalefit's parsers, built by Scripts/fuzz-readers.sh against
// the ScaleFit and ScaleFitCLI modules built for testing (so `internal` is visible through
// `@testable import`). SCALEFIT_FUZZ_TARGET picks what an input is fed to:
//
//   readers    every RunTable format (CSV, W&B export, JSON Lines, trainer_state, W&B run
//              JSON, records, TensorBoard), in one chunk and in small chunks, then what the
//              consumers do next: column roles, groups, usable rows, the loss curves
//   fitfile    FitFile.decode, then predictions from what it holds and a round trip
//   schedule   LRSchedule(spec:), its canonical spec round trip and its rates
//   formula    FormulaModel(formula:variables:), its canonical form re-parsed, one value
//   arguments  a command line (NUL- or newline-separated words; the first picks the
//              subcommand): parsed by its declarations, every value checked, the
//              combinations validated, help printed; never run, so nothing is read or written
//
// Any outcome other than a value or a ScaleFitError (a trap, a sanitizer report, a hang,
// an allocation above -rss_limit_mb) is a finding.
import Foundation
@testable import ScaleFit
@testable import ScaleFitCLI

private let target = ProcessInfo.processInfo.environment["SCALEFIT_FUZZ_TARGET"] ?? "readers"

@_cdecl("LLVMFuzzerTestOneInput")
public func scaleFitFuzzTarget(_ start: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = Data(bytes: start, count: size)
    switch target {
    case "readers": readers(data, smallChunk: size > 0 ? Int(start[0] % 7) + 1 : 1)
    case "fitfile": expectingScaleFitErrors { try fitFile(data) }
    case "schedule": expectingScaleFitErrors { try schedule(String(decoding: data, as: UTF8.self)) }
    case "formula": expectingScaleFitErrors { try formula(String(decoding: data, as: UTF8.self)) }
    case "arguments": arguments(String(decoding: data, as: UTF8.self))
    default: fatalError("unknown SCALEFIT_FUZZ_TARGET \(target) (readers, fitfile, schedule, formula, arguments)")
    }
    return 0
}

private func expectingScaleFitErrors(_ body: () throws -> Void) {
    do { try body() } catch is ScaleFitError {} catch { fatalError("not a ScaleFitError: \(error)") }
}

private func readers(_ data: Data, smallChunk: Int) {
    for format in RunTableFormat.allCases {
        for chunkSize in [smallChunk, 1 << 20] {
            expectingScaleFitErrors {
                let table = try RunTableReader.read(data: data, fileName: "fuzz", format: format, chunkSize: chunkSize)
                precondition(table.rowCount > 0 && !table.columns.isEmpty && table.columns.allSatisfy { $0.count == table.rowCount })
                let mapping = try ColumnMapping.detect(in: table)
                _ = mapping.description
                _ = try table.groups(by: table.columnNames[0])
                _ = try table.usableRows(numericColumns: Array(table.columnNames.prefix(2)),
                                         optionalColumns: Array(table.columnNames.dropFirst(2).prefix(1)))
                if mapping[.step] != nil, mapping[.loss] != nil {
                    let schedule = LRSchedule.constant(peak: 1e-3, warmup: 0, total: 100)
                    let set = try LossCurveSet(table: table, mapping: mapping, schedules: mapping[.lr] == nil ? ["": schedule] : [:])
                    precondition(set.curves.allSatisfy { $0.rates.count <= LRSchedule.maximumSteps })
                }
            }
        }
    }
}

private func fitFile(_ data: Data) throws {
    let file = try FitFile.decode(data, file: "fuzz")
    precondition(file.parameters.allSatisfy(\.isFinite) && file.covariance.storage.allSatisfy(\.isFinite))
    let bytes = try file.encoded()
    let reread = try FitFile.decode(bytes, file: "again").encoded()
    precondition(reread == bytes, "a fit file round-trips")
    switch file.law {
    case ChinchillaLaw.identifier:
        let p = try file.predict(parameters: 1e9, tokens: 2e10, file: "fuzz")
        precondition(p.loss.isFinite)
    case "annealing", "multipower":
        for (_, schedule) in try file.fittedSchedules(file: "fuzz") {
            _ = try file.predictCurve(schedule: schedule, steps: [0, 1, 10, 999], file: "fuzz")
        }
    default:
        _ = try? LawRegistry.fit(file, source: "fuzz")
    }
}

private func schedule(_ text: String) throws {
    let s = try LRSchedule(spec: text)
    precondition(s.totalSteps <= LRSchedule.maximumSteps, "a spec's steps are capped")
    let again = try LRSchedule(spec: s.spec)
    precondition(again == s, "the canonical spec round-trips")
    for step in [0, 1, s.totalSteps / 2, s.totalSteps - 1, s.totalSteps + 5] { _ = s.rate(at: step) }
}

private func formula(_ text: String) throws {
    let model = try FormulaModel(formula: text, variables: ["N", "D"])
    let again = try FormulaModel(formula: model.canonicalFormula, variables: ["N", "D"])
    precondition(Set(again.parameterNames) == Set(model.parameterNames), "the canonical formula names the same parameters")
    _ = model.value(variables: [7e10, 1.4e12], parameters: model.parameterNames.map { _ in 0.5 })
}

/// A command line up to `validate`: the errors a user may meet there are `UsageError` (64),
/// `ScaleFitError` (a value that does not parse) and `OutputError` (an output path); anything
/// else, or a trap, is a finding.
private func arguments(_ text: String) {
    var words = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\0" || $0 == "\n" }).map(String.init)
    guard !words.isEmpty else { return }
    let name = words.removeFirst()
    let named = ScaleFitCLI.command(named: name)
    if named == nil { _ = ScaleFitCLI.unknownCommand(name).message }
    let command = named ?? ScaleFitCLI.subcommands[Int(name.unicodeScalars.first?.value ?? 0) % ScaleFitCLI.subcommands.count].type
    do {
        let args = try ParsedArguments(words, declarations: command.spec.declarations)
        if args.help { _ = command.spec.helpText; return }
        try args.checkValues()
        try command.validate(args)
    } catch is UsageError {
    } catch is ScaleFitError {
    } catch is OutputError {
    } catch {
        fatalError("not a usage, data or output error: \(error)")
    }
}
