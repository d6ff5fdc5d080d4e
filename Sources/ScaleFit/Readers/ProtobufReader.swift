/// A reader of protobuf wire format over bytes, enough for TensorBoard's `Event`: varints,
/// fixed32/fixed64, length-delimited fields and packed repeated fields. Malformed bytes (a
/// varint past 10 bytes, a length past the end) are `ScaleFitError.badBytes` at their
/// offset in the file (`base` is where `bytes` start in it).
///
/// ```
/// key = (field_number << 3) | wire_type     0 varint · 1 fixed64 · 2 length-delimited · 5 fixed32
/// ```
struct ProtobufReader {
    let bytes: UnsafeRawBufferPointer
    let base: Int
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer, base: Int) {
        self.bytes = bytes
        self.base = base
    }

    /// The offset in the file of the next byte.
    var absolutePosition: Int { base + position }

    private func malformed(_ expected: String) -> ScaleFitError {
        .badBytes(file: "", offset: absolutePosition, expected: expected, found: "malformed protobuf")
    }

    /// The next field's number and wire type, or nil at the end.
    mutating func nextField() throws -> (Int, Int)? {
        guard position < bytes.count else { return nil }
        let key = try varint()
        return (Int(key >> 3), Int(key & 7))
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift >= 70 { break }
        }
        throw malformed("a varint")
    }

    mutating func fixed32() throws -> UInt32 {
        guard bytes.count - position >= 4 else { throw malformed("4 bytes of a fixed32") }
        defer { position += 4 }
        return bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian
    }

    mutating func fixed64() throws -> UInt64 {
        guard bytes.count - position >= 8 else { throw malformed("8 bytes of a fixed64") }
        defer { position += 8 }
        return bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian
    }

    mutating func lengthDelimited() throws -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - position) else { throw malformed("\(length) bytes of a field") }
        let start = position
        position += Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    }

    /// A packed field of fixed-width little-endian values (`width` 4 or 8), as UInt64.
    mutating func packed(width: Int) throws -> [UInt64] {
        let field = try lengthDelimited()
        guard field.count % width == 0 else { throw malformed("a multiple of \(width) bytes") }
        return stride(from: 0, to: field.count, by: width).map { offset in
            width == 4 ? UInt64(field.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                       : field.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
        }
    }

    /// A packed field of varints.
    mutating func packedVarints() throws -> [UInt64] {
        let start = absolutePosition + 1
        var inner = ProtobufReader(try lengthDelimited(), base: start)
        var values: [UInt64] = []
        while inner.position < inner.bytes.count { values.append(try inner.varint()) }
        return values
    }

    /// Skips a field of wire type `wire`.
    mutating func skip(_ wire: Int) throws {
        switch wire {
        case 0: _ = try varint()
        case 1: _ = try fixed64()
        case 2: _ = try lengthDelimited()
        case 5: _ = try fixed32()
        default: throw malformed("a wire type 0, 1, 2 or 5")
        }
    }
}
