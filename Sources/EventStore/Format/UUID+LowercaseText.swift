public import Foundation

extension UUID {
    /// The 36-character text form in lower case — how the log, its interchange and every digest
    /// write ids — without Foundation's formatting (`uuidString.lowercased()` goes through `sprintf`
    /// and a second string): one place for an id's text, on the append and command paths.
    public var lowercaseText: String {
        return withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var i = 0
                for (k, byte) in raw.enumerated() {
                    if k == 4 || k == 6 || k == 8 || k == 10 {
                        out[i] = UInt8(ascii: "-")
                        i += 1
                    }
                    out[i] = Hex.digit(byte >> 4)
                    out[i + 1] = Hex.digit(byte)
                    i += 2
                }
                return i
            }
        }
    }
}
