// libFuzzer entry point for the readers, built by Scripts/fuzz-readers.sh together with the
// sources of Sources/ScaleFit/Readers and API/ScaleFitError.swift (so `internal` is visible).
// Every input goes through the CSV (as is and as a W&B export), JSON Lines and
// trainer_state readers, in one chunk and in chunks of a size taken from its first byte, and
// then through what consumers do next. Any outcome other than a table or a ScaleFitError
// (a trap, a sanitizer report, a hang) is a finding.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func readersFuzzTarget(_ start: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = Data(bytes: start, count: size)
    let smallChunk = size > 0 ? Int(start[0] % 7) + 1 : 1
    for format in RunTableFormat.allCases {
        for chunkSize in [smallChunk, 1 << 20] {
            do {
                let table = try RunTableReader.read(data: data, fileName: "fuzz", format: format, chunkSize: chunkSize)
                precondition(table.rowCount > 0 && table.columns.allSatisfy { $0.count == table.rowCount })
                _ = try ColumnMapping.detect(in: table).description
                _ = try table.groups(by: table.columnNames[0])
                _ = try table.usableRows(numericColumns: Array(table.columnNames.prefix(2)),
                                         optionalColumns: Array(table.columnNames.dropFirst(2).prefix(1)))
            } catch is ScaleFitError {
                continue
            } catch {
                fatalError("not a ScaleFitError: \(error)")
            }
        }
    }
    return 0
}
