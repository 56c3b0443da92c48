/// Lowercase hexadecimal, as chain hashes, digests, token hashes and ids are written everywhere in
/// Vigil (exports, `verify`, checkpoints, backup manifests, the command digest, the token file).
public enum Hex {
    /// The sixteen digits, in lower case: the one table every hexadecimal writer reads.
    static let digits: StaticString = "0123456789abcdef"

    /// The digit for `nibble` (0–15).
    @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 { digits.utf8Start[Int(nibble & 0xF)] }

    /// `bytes` as lowercase hexadecimal digits.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digit(b >> 4))
            out.append(digit(b))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value (0–15) of the hexadecimal digit `c` in either case, or `nil`.
    @inline(__always)
    static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    /// The bytes of `text` (hexadecimal digits, either case), or `nil`.
    public static func decode(_ text: String) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = value(u[i]), let lo = value(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
