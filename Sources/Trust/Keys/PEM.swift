import Foundation

/// The PEM forms of Ed25519 keys that OpenSSL and other tools read and write (RFC 8410): a private
/// key as PKCS #8 (`-----BEGIN PRIVATE KEY-----`), a public key as SubjectPublicKeyInfo
/// (`-----BEGIN PUBLIC KEY-----`). For Ed25519 both are a fixed DER prefix and the 32 key bytes, so
/// anyone can check a checkpoint with `openssl pkeyutl -verify` instead of trusting Vigil.
enum PEM {
    /// `SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }`.
    static let privateKeyPrefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    /// `SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes, no unused bits) }`.
    static let publicKeyPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    static let privateLabel = "PRIVATE KEY"
    static let publicLabel = "PUBLIC KEY"

    /// The PEM text of `key` (32 bytes) after `prefix`, under `label`.
    static func encode(_ key: [UInt8], prefix: [UInt8], label: String) -> String {
        let base64 = Data(prefix + key).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    /// The 32 key bytes of a PEM block under `label` whose DER starts with `prefix`, or `nil`.
    static func decode(_ text: [UInt8], prefix: [UInt8], label: String) -> [UInt8]? {
        let string = String(decoding: text, as: UTF8.self)
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        guard let start = string.range(of: begin),
            let stop = string.range(of: end, range: start.upperBound..<string.endIndex)
        else { return nil }
        let body = string[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let der = Data(base64Encoded: String(body)).map(Array.init), der.count == prefix.count + 32,
            der.starts(with: prefix)
        else { return nil }
        return Array(der.dropFirst(prefix.count))
    }
}
