/// Lowercase hexadecimal, as chain hashes are written everywhere in Vigil (exports, `verify`,
/// checkpoints, backup manifests).
public enum Hex {
    /// `bytes` as lowercase hexadecimal digits.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String { Bytes.hex(bytes) }

    /// The bytes of `text` (hexadecimal digits, either case), or `nil`.
    public static func decode(_ text: String) -> [UInt8]? { Bytes.unhex(text) }
}
