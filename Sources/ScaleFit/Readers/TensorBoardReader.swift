#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a TensorBoard event file (`events.out.tfevents.*`, what TensorFlow, PyTorch's
/// `SummaryWriter`, tensorboardX, Lightning, Megatron-LM, NeMo and torchtitan write) into a
/// `RunTable` of its scalars: columns `step`, `wall_time`, then one per tag in the order the
/// tags first appear.
///
/// The file is a sequence of TFRecords (`TFRecordHeader`): both CRCs are checked, and a
/// truncated record or a CRC that does not match is `ScaleFitError.badBytes` naming the
/// byte offset. Each record's data is an `Event` protobuf, decoded by hand:
///
/// ```
/// Event          1 wall_time double · 2 step int64 · 5 summary Summary  (3 file_version … skipped)
/// Summary        1 value repeated Value
/// Value          1 tag string · 2 simple_value float (TF1) · 8 tensor TensorProto (TF2)
///                · 9 metadata SummaryMetadata (1 plugin_data: 1 plugin_name)
/// TensorProto    1 dtype (1 float, 2 double, 3 int32, 9 int64, 19 half, 14 bfloat16)
///                · 2 tensor_shape (scalar: no dims) · 4 tensor_content bytes
///                · 5 float_val · 6 double_val · 7 int_val · 10 int64_val · 13 half_val
/// ```
///
/// A scalar is a `simple_value`, or a `tensor` of one element whose plugin is `scalars` (or
/// unnamed); other values (images, histograms, text, multi-element tensors) are skipped and
/// counted in `RunTable.skipped`. Float32 values become the `Double` of the same value. The
/// events of one step (one per tag, as writers emit them) make one row; a step logged again
/// later (a resumed run) is left for `RunTable.resolvingRestarts`. A row's position is the
/// byte offset of its first record (`RunTable.position(of:)` says `byte 4096`).
enum TensorBoardReader {
    static func read(_ chunks: ByteChunks, fileName: String) throws -> RunTable {
        var state = Reading(fileName: fileName)
        var carry: [UInt8] = []
        var bytesRead = 0
        while let chunk = try chunks.next() {
            var start = 0
            if !carry.isEmpty {
                // Complete the record that straddles the chunks, then read on in place.
                start = carry.count < 12 ? min(12 - carry.count, chunk.count) : 0
                carry += chunk[0..<start]
                if carry.count >= 12 {
                    let length = carry.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian }
                    let total = 16 + Int(min(length, 1 << 31))
                    let take = min(max(0, total - carry.count), chunk.count - start)
                    carry += chunk[start..<start + take]
                    start += take
                    let used = try carry.withUnsafeBytes { try state.consume($0) }
                    carry.removeFirst(used)
                }
                if !carry.isEmpty { continue }
            }
            let used = try chunk.withUnsafeBytes { try state.consume(UnsafeRawBufferPointer(rebasing: $0[start...])) }
            if start + used < chunk.count { carry = Array(chunk[(start + used)...]) }
            if bytesRead == 0 { state.builder.reserveRows(totalBytes: chunks.totalBytes, bytesSoFar: chunk.count) }
            bytesRead += chunk.count
        }
        if !carry.isEmpty {
            let expected: String
            if carry.count < 12 {
                expected = "a 12-byte record header"
            } else {
                let length = carry.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian }
                expected = "a record of \(length) data bytes and its CRC"
            }
            throw ScaleFitError.badBytes(file: fileName, offset: state.offset, expected: expected,
                                         found: "the end of the file after \(carry.count) bytes")
        }
        return try state.finish()
    }

    /// The state of one read: the table so far and where the next record starts.
    private struct Reading {
        let fileName: String
        var builder: RunTableBuilder
        var offset = 0
        var records = 0
        /// The tags seen, with their columns.
        var tags: [(bytes: [UInt8], column: Int)] = []
        var stepColumn = 0, wallColumn = 1
        var rowStep: Int64?
        var skippedValues = 0

        init(fileName: String) {
            self.fileName = fileName
            builder = RunTableBuilder(fileName: fileName, columnNames: ["step", "wall_time"])
        }

        /// Reads every whole record in `bytes`; returns how many bytes they took.
        mutating func consume(_ bytes: UnsafeRawBufferPointer) throws -> Int {
            var position = 0
            while bytes.count - position >= 12 {
                let length = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian
                let lengthCRC = bytes.loadUnaligned(fromByteOffset: position + 8, as: UInt32.self).littleEndian
                guard CRC32C.masked(UnsafeRawBufferPointer(rebasing: bytes[position..<position + 8])) == lengthCRC else {
                    throw ScaleFitError.badBytes(file: fileName, offset: offset + 8,
                                                 expected: "the masked CRC-32C of the record length",
                                                 found: hex(lengthCRC) + " (a corrupt record header)")
                }
                guard length < 1 << 31 else {
                    throw ScaleFitError.badBytes(file: fileName, offset: offset, expected: "a record shorter than 2 GiB",
                                                 found: "length \(length)")
                }
                let total = 12 + Int(length) + 4
                guard bytes.count - position >= total else { break }
                let data = UnsafeRawBufferPointer(rebasing: bytes[position + 12..<position + 12 + Int(length)])
                let dataCRC = bytes.loadUnaligned(fromByteOffset: position + 12 + Int(length), as: UInt32.self).littleEndian
                guard CRC32C.masked(data) == dataCRC else {
                    throw ScaleFitError.badBytes(file: fileName, offset: offset + 12 + Int(length),
                                                 expected: "the masked CRC-32C of the \(length) data bytes at byte \(offset + 12)",
                                                 found: hex(dataCRC) + " (corrupt data)")
                }
                do {
                    try readEvent(data, at: offset)
                } catch let ScaleFitError.badBytes(_, at, expected, found) {
                    throw ScaleFitError.badBytes(file: fileName, offset: at, expected: expected + " in an Event protobuf",
                                                 found: found)
                }
                records += 1
                position += total
                offset += total
            }
            return position
        }

        private func hex(_ value: UInt32) -> String {
            let digits = String(value, radix: 16)
            return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        }

        /// Decodes one `Event` and adds its scalars to the table.
        private mutating func readEvent(_ data: UnsafeRawBufferPointer, at recordOffset: Int) throws {
            var reader = ProtobufReader(data, base: recordOffset + 12)
            var wallTime = Double.nan
            var step: Int64 = 0
            var summary: UnsafeRawBufferPointer?
            var summaryBase = 0
            while let (field, wire) = try reader.nextField() {
                switch (field, wire) {
                case (1, 1): wallTime = Double(bitPattern: try reader.fixed64())
                case (2, 0): step = Int64(bitPattern: try reader.varint())
                case (5, 2):
                    summaryBase = reader.absolutePosition
                    summary = try reader.lengthDelimited()
                default: try reader.skip(wire)
                }
            }
            guard let summary else { return }
            var values = ProtobufReader(summary, base: summaryBase)
            while let (field, wire) = try values.nextField() {
                guard field == 1, wire == 2 else {
                    try values.skip(wire)
                    continue
                }
                let base = values.absolutePosition
                let value = try values.lengthDelimited()
                guard let (tag, number) = try scalar(in: value, base: base) else {
                    skippedValues += 1
                    continue
                }
                add(tag: tag, value: number, step: step, wallTime: wallTime, recordOffset: recordOffset)
            }
        }

        /// The tag and value of a `Summary.Value`, or nil when it is not a scalar.
        private func scalar(in value: UnsafeRawBufferPointer, base: Int) throws -> (UnsafeRawBufferPointer, Double)? {
            var reader = ProtobufReader(value, base: base)
            var tag = UnsafeRawBufferPointer(rebasing: value[0..<0])
            var number: Double?
            var tensor: UnsafeRawBufferPointer?
            var tensorBase = 0
            var plugin: [UInt8]?
            while let (field, wire) = try reader.nextField() {
                switch (field, wire) {
                case (1, 2): tag = try reader.lengthDelimited()
                case (2, 5): number = Double(Float(bitPattern: try reader.fixed32()))
                case (8, 2):
                    tensorBase = reader.absolutePosition
                    tensor = try reader.lengthDelimited()
                case (9, 2): plugin = try pluginName(try reader.lengthDelimited(), base: reader.absolutePosition)
                default: try reader.skip(wire)
                }
            }
            if let number { return (tag, number) }
            guard let tensor, plugin == nil || plugin! == Array("scalars".utf8) else { return nil }
            guard let decoded = try tensorScalar(tensor, base: tensorBase) else { return nil }
            return (tag, decoded)
        }

        /// The plugin name of a `SummaryMetadata`, or [] when it has none.
        private func pluginName(_ metadata: UnsafeRawBufferPointer, base: Int) throws -> [UInt8]? {
            var reader = ProtobufReader(metadata, base: base)
            while let (field, wire) = try reader.nextField() {
                guard field == 1, wire == 2 else {
                    try reader.skip(wire)
                    continue
                }
                var data = ProtobufReader(try reader.lengthDelimited(), base: reader.absolutePosition)
                while let (inner, innerWire) = try data.nextField() {
                    if inner == 1, innerWire == 2 { return Array(try data.lengthDelimited()) }
                    try data.skip(innerWire)
                }
            }
            return nil
        }

        /// The value of a one-element numeric `TensorProto`, or nil for anything else.
        private func tensorScalar(_ tensor: UnsafeRawBufferPointer, base: Int) throws -> Double? {
            var reader = ProtobufReader(tensor, base: base)
            var dtype: UInt64 = 0
            var elements = 1
            var content: UnsafeRawBufferPointer?
            var values: [Double] = []
            while let (field, wire) = try reader.nextField() {
                switch (field, wire) {
                case (1, 0): dtype = try reader.varint()
                case (2, 2): elements = try shapeElements(try reader.lengthDelimited(), base: reader.absolutePosition)
                case (4, 2): content = try reader.lengthDelimited()
                case (5, 2): values += try reader.packed(width: 4).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
                case (5, 5): values.append(Double(Float(bitPattern: try reader.fixed32())))
                case (6, 2): values += try reader.packed(width: 8).map { Double(bitPattern: $0) }
                case (6, 1): values.append(Double(bitPattern: try reader.fixed64()))
                case (7, 2): values += try reader.packedVarints().map { Double(Int32(truncatingIfNeeded: $0)) }
                case (7, 0): values.append(Double(Int32(truncatingIfNeeded: try reader.varint())))
                case (10, 2): values += try reader.packedVarints().map { Double(Int64(bitPattern: $0)) }
                case (10, 0): values.append(Double(Int64(bitPattern: try reader.varint())))
                case (13, 2): values += try reader.packedVarints().map { Self.half(UInt16(truncatingIfNeeded: $0), dtype: dtype) }
                default: try reader.skip(wire)
                }
            }
            guard elements == 1 else { return nil }
            if let content {
                switch (dtype, content.count) {
                case (1, 4): return Double(Float(bitPattern: content.loadUnaligned(as: UInt32.self).littleEndian))
                case (2, 8): return Double(bitPattern: content.loadUnaligned(as: UInt64.self).littleEndian)
                case (3, 4): return Double(Int32(bitPattern: content.loadUnaligned(as: UInt32.self).littleEndian))
                case (9, 8): return Double(Int64(bitPattern: content.loadUnaligned(as: UInt64.self).littleEndian))
                case (19, 2), (14, 2): return Self.half(content.loadUnaligned(as: UInt16.self).littleEndian, dtype: dtype)
                default: return nil
                }
            }
            guard [1, 2, 3, 9, 14, 19].contains(dtype), values.count == 1 else { return nil }
            return values[0]
        }

        /// A half (dtype 19) or bfloat16 (dtype 14) as a Double.
        private static func half(_ bits: UInt16, dtype: UInt64) -> Double {
            if dtype == 14 { return Double(Float(bitPattern: UInt32(bits) << 16)) }
            #if arch(arm64)
            return Double(Float16(bitPattern: bits))
            #else
            let sign: Float = bits & 0x8000 == 0 ? 1 : -1
            let exponent = Int((bits >> 10) & 0x1F), fraction = Float(bits & 0x3FF)
            if exponent == 0 { return Double(sign * fraction * 0x1p-24) }
            if exponent == 31 { return fraction == 0 ? Double(sign) * .infinity : .nan }
            return Double(sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1))
            #endif
        }

        /// The number of elements of a `TensorShapeProto` (1 for a scalar).
        private func shapeElements(_ shape: UnsafeRawBufferPointer, base: Int) throws -> Int {
            var reader = ProtobufReader(shape, base: base)
            var elements = 1
            while let (field, wire) = try reader.nextField() {
                guard field == 2, wire == 2 else {
                    try reader.skip(wire)
                    continue
                }
                var dim = ProtobufReader(try reader.lengthDelimited(), base: reader.absolutePosition)
                var size: Int64 = 0
                while let (inner, innerWire) = try dim.nextField() {
                    if inner == 1, innerWire == 0 { size = Int64(bitPattern: try dim.varint()) } else { try dim.skip(innerWire) }
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(max(0, min(size, 1 << 40))))
                elements = overflow ? Int.max : product
            }
            return elements
        }

        /// Puts `value` in the row of `step` (a new row when the step changes or the tag is
        /// already in the current row).
        private mutating func add(tag: UnsafeRawBufferPointer, value: Double, step: Int64, wallTime: Double, recordOffset: Int) {
            let known = column(of: tag)
            if rowStep != step || known.map({ builder.hasCellInCurrentRow($0) }) == true {
                if rowStep != nil { builder.finishRow() }
                builder.beginRow(line: 0, column: recordOffset)
                builder.columns[stepColumn].appendNumber(Double(step))
                if wallTime.isNaN { builder.columns[wallColumn].appendEmpty() } else { builder.columns[wallColumn].appendNumber(wallTime) }
                rowStep = step
            }
            let column: Int
            if let known {
                column = known
            } else {
                var name = String(decoding: tag, as: UTF8.self)
                if name == "step" || name == "wall_time" { name = "tag:" + name }
                column = builder.column(forKey: name)
                tags.append((Array(tag), column))
            }
            builder.columns[column].appendNumber(value)
        }

        /// The column of a tag already seen, by comparing bytes (a log has a few tags).
        private func column(of tag: UnsafeRawBufferPointer) -> Int? {
            for known in tags where known.bytes.count == tag.count {
                let same = known.bytes.withUnsafeBytes { bytes in
                    tag.isEmpty || memcmp(bytes.baseAddress!, tag.baseAddress!, tag.count) == 0
                }
                if same { return known.column }
            }
            return nil
        }

        mutating func finish() throws -> RunTable {
            if rowStep != nil { builder.finishRow() }
            guard records > 0 else { throw ScaleFitError.emptyFile(file: fileName) }
            guard builder.rowCount > 0 else {
                throw ScaleFitError.invalidData(file: fileName, reason: "\(records) event record\(records == 1 ? "" : "s") but no scalar summary (no simple_value or scalar tensor)")
            }
            var table = builder.build()
            if table.rowColumns.isEmpty { table.rowColumns = Array(repeating: 0, count: table.rowCount) }
            if skippedValues > 0 {
                table.skipped.append(SkippedEntries(kind: "non-scalar summary value", count: skippedValues))
            }
            return table
        }
    }
}
