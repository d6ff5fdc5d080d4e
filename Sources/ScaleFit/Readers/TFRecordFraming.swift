/// CRC-32C (Castagnoli), the checksum of TFRecord framing, by slicing-by-8 tables.
///
/// ```
/// polynomial 0x1EDC6F41, reflected 0x82F63B78, initial value and final xor 0xFFFFFFFF
/// masked(crc) = ((crc >> 15) | (crc << 17)) + 0xA282EAD8   (mod 2³²)
/// ```
///
/// TFRecord stores masked CRCs so that a CRC of data that itself holds CRCs stays well
/// distributed. Check value: CRC-32C("123456789") = 0xE3069283.
enum CRC32C {
    /// The eight 256-entry tables of slicing-by-8: `tables[k][b]` is the CRC of byte b
    /// followed by k zero bytes.
    private static let tables: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            table[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()

    /// The CRC-32C of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        tables.withUnsafeBufferPointer { t in
            var crc: UInt32 = 0xFFFF_FFFF
            var index = 0
            let count = bytes.count
            while count - index >= 8 {
                let low = bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian ^ crc
                let high = bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
                crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(bytes[index])) & 0xFF)]
                index += 1
            }
            return crc ^ 0xFFFF_FFFF
        }
    }

    /// The masked CRC-32C that TFRecord stores.
    static func masked(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}

/// The 12-byte header of a TFRecord: a little-endian UInt64 length and the masked CRC-32C
/// of those 8 bytes. A whole record is
///
/// ```
/// uint64 length | uint32 masked_crc32c(length) | data[length] | uint32 masked_crc32c(data)
/// ```
enum TFRecordHeader {
    /// True when `prefix` starts with a TFRecord header whose length CRC checks (the
    /// content test for a TensorBoard event file: text files fail it).
    static func isValid(_ prefix: [UInt8]) -> Bool {
        guard prefix.count >= 12 else { return false }
        return prefix.withUnsafeBytes { raw in
            let stored = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
            return CRC32C.masked(UnsafeRawBufferPointer(rebasing: raw[0..<8])) == stored
        }
    }
}
