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

extension UUID {
    /// Parses the 36-character text form, `8-4-4-4-12` hexadecimal digits in either case (exactly
    /// `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`, what
    /// `UUID(uuidString:)` accepts); `nil` for anything else. Without Foundation's parser, which goes
    /// through `sscanf`: every command's id is parsed on the command path.
    public init?(text: some StringProtocol) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var utf8 = text.utf8.makeIterator()
            var count = 0
            for k in 0..<16 {
                if k == 4 || k == 6 || k == 8 || k == 10 {
                    guard utf8.next() == UInt8(ascii: "-") else { return false }
                    count += 1
                }
                guard let hi = utf8.next().flatMap(Hex.value), let lo = utf8.next().flatMap(Hex.value) else {
                    return false
                }
                out[k] = hi << 4 | lo
                count += 2
            }
            return count == 36 && utf8.next() == nil
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }
}
