import Crypto
import EventStore
import Foundation

/// The vault's stored values, byte by byte (integers little-endian, as in docs/FORMAT.md).
///
/// `youthKeys[youthRef]` — the youth's 32-byte key wrapped with the master key:
///
/// | offset | size | field |
/// |---:|---:|---|
/// | 0 | 1 | record format, `1` |
/// | 1 | 12 | AES-GCM nonce |
/// | 13 | 32 | the encrypted key |
/// | 45 | 16 | AES-GCM tag; associated data: the youthRef's UTF-8 bytes |
///
/// `youthDetails[youthRef]` — the details, JSON (sorted keys), encrypted with the youth's key:
///
/// | offset | size | field |
/// |---:|---:|---|
/// | 0 | 1 | record format, `1` |
/// | 1 | 8 | u64 record version: 1 for the first store, +1 for each update |
/// | 9 | 12 | AES-GCM nonce |
/// | 21 | *n* | the encrypted JSON |
/// | 21+*n* | 16 | AES-GCM tag; associated data: the youthRef's UTF-8 bytes, then the version as u64 big-endian |
///
/// `youthSeals[youthRef]` — the tombstone: format `1` (1 byte), i64 sealedAt (µs since the epoch),
/// u16 length and UTF-8 of authorisedBy, u16 length and UTF-8 of the legal basis (`WIC-781`, …).
///
/// `vaultMeta`: `format` → u32 `1`; `keyCheck` → HMAC-SHA256 of `vigil personal-data vault key check v1`
/// under the master key, so a wrong key is named at open instead of failing record by record.
enum VaultRecords {
    static let format: UInt8 = 1
    static let nonceSize = 12
    static let tagSize = 16
    static let wrappedKeySize = 1 + nonceSize + 32 + tagSize
    static let detailsHeaderSize = 1 + 8 + nonceSize

    static let formatKey = Array("format".utf8)
    static let keyCheckKey = Array("keyCheck".utf8)
    /// Set by a sealing's transaction, cleared in the generation that purge builds.
    static let compactionPendingKey = Array("compactionPending".utf8)
    static let keyCheckMessage = Array("vigil personal-data vault key check v1".utf8)

    static func keyCheck(_ master: MasterKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: keyCheckMessage, using: master.key))
    }

    // MARK: - Wrapped youth keys

    static func wrap(youthKey: [UInt8], ref: String, nonce: [UInt8], master: MasterKey) throws -> [UInt8] {
        let box = try AES.GCM.seal(
            youthKey, using: master.key, nonce: AES.GCM.Nonce(data: nonce), authenticating: Array(ref.utf8))
        return [format] + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
    }

    static func unwrap(_ record: [UInt8], ref: String, master: MasterKey) throws(VaultError) -> SymmetricKey {
        guard record.count == wrappedKeySize, record[0] == format else {
            throw damaged(ref, "its wrapped key is \(record.count) bytes in format \(record.first ?? 0)")
        }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: record[1..<13]), ciphertext: record[13..<45], tag: record[45...])
            return SymmetricKey(data: try AES.GCM.open(box, using: master.key, authenticating: Array(ref.utf8)))
        } catch {
            throw damaged(ref, "its wrapped key does not authenticate (changed, damaged, or moved from another youth)")
        }
    }

    // MARK: - Details

    static func detailsAssociatedData(ref: String, version: UInt64) -> [UInt8] {
        Array(ref.utf8) + withUnsafeBytes(of: version.bigEndian) { Array($0) }
    }

    static func version(ofDetails record: [UInt8], ref: String) throws(VaultError) -> UInt64 {
        guard record.count >= detailsHeaderSize + tagSize, record[0] == format else {
            throw damaged(ref, "its details record is \(record.count) bytes in format \(record.first ?? 0)")
        }
        return record[1..<9].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func sealDetails(
        _ details: YouthDetails,
        ref: String,
        version: UInt64,
        nonce: [UInt8],
        key: SymmetricKey
    ) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(details)
        let box = try AES.GCM.seal(
            json, using: key, nonce: AES.GCM.Nonce(data: nonce),
            authenticating: detailsAssociatedData(ref: ref, version: version))
        return [format] + withUnsafeBytes(of: version.littleEndian) { Array($0) } + Array(box.nonce)
            + Array(box.ciphertext) + Array(box.tag)
    }

    static func openDetails(_ record: [UInt8], ref: String, key: SymmetricKey) throws(VaultError) -> YouthDetails {
        let version = try version(ofDetails: record, ref: ref)
        let json: Data
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: record[9..<21]),
                ciphertext: record[21..<(record.count - tagSize)],
                tag: record[(record.count - tagSize)...])
            json = try AES.GCM.open(box, using: key, authenticating: detailsAssociatedData(ref: ref, version: version))
        } catch {
            throw damaged(ref, "its details do not authenticate (changed, damaged, or moved from another youth)")
        }
        do {
            return try JSONDecoder().decode(YouthDetails.self, from: json)
        } catch {
            throw damaged(ref, "its decrypted details are not valid JSON for YouthDetails")
        }
    }

    // MARK: - Tombstones

    static func encode(_ seal: SealInfo) -> [UInt8] {
        var out: [UInt8] = [format]
        withUnsafeBytes(of: seal.sealedAt.microseconds.littleEndian) { out.append(contentsOf: $0) }
        for text in [seal.authorisedBy, seal.legalBasis.rawValue] {
            let bytes = Array(text.utf8)
            withUnsafeBytes(of: UInt16(bytes.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
        return out
    }

    static func decodeSeal(_ record: [UInt8], ref: String) throws(VaultError) -> SealInfo {
        var at = 0
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard at + n <= record.count else { return nil }
            defer { at += n }
            return record[at..<(at + n)]
        }
        func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        func text() -> String? {
            guard let count = take(2).map({ Int(littleEndian($0)) }), let bytes = take(count) else { return nil }
            return String(validating: bytes, as: UTF8.self)
        }
        guard take(1) == [format], let micros = take(8).map({ Int64(bitPattern: littleEndian($0)) }),
            let authorisedBy = text(), let basis = text().flatMap(SealInfo.LegalBasis.init(rawValue:)),
            at == record.count
        else { throw damaged(ref, "its seal tombstone cannot be decoded") }
        return SealInfo(
            youthRef: ref, sealedAt: Timestamp(microseconds: micros), authorisedBy: authorisedBy, legalBasis: basis)
    }

    static func damaged(_ ref: String, _ problem: String) -> VaultError {
        VaultError(.corrupted, "the vault record of \(ref) is damaged: \(problem) — \(VaultError.remedy)")
    }
}
