public import Foundation

extension UUID {
    /// The 36-character text form in lower case — how the log, its interchange and every digest
    /// write ids — without Foundation's formatting (`uuidString.lowercased()` goes through `sprintf`
    /// and a second string): one place for an id's text, on the append and command paths.
    public var lowercaseText: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var i = 0
                for (k, byte) in raw.enumerated() {
                    if k == 4 || k == 6 || k == 8 || k == 10 {
                        out[i] = UInt8(ascii: "-")
                        i += 1
                    }
                    out[i] = digits.utf8Start[Int(byte >> 4)]
                    out[i + 1] = digits.utf8Start[Int(byte & 0xF)]
                    i += 2
                }
                return i
            }
        }
    }
}
