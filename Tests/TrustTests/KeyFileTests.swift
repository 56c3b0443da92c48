import Foundation
import Glibc
import Testing
import Trust

@Suite("Checkpoint key files")
struct KeyFileTests {
    @Test("new keys are PEM files: the private one 0600, never overwritten; a public key file holds no secret")
    func modesAndOverwrite() throws {
        let dir = try TrustScratch()
        let key = try dir.key()
        var info = stat()
        #expect(stat(dir.sub("county.key"), &info) == 0 && info.st_mode & 0o777 == 0o600)
        let text = try String(contentsOfFile: dir.sub("county.key"), encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(
            try String(contentsOfFile: dir.sub("county.pub"), encoding: .utf8).hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try CheckpointSigningKey.load(path: dir.sub("county.key")).publicKey == key.publicKey)
        #expect(throws: TrustError.self) { try dir.key() }
        #expect(throws: TrustError.self) { try CheckpointPublicKey.load(path: dir.sub("county.key")) }
    }

    @Test("a private key others can read, or kept inside the data directory, is refused")
    func refusals() throws {
        let dir = try TrustScratch()
        _ = try dir.key()
        chmod(dir.sub("county.key"), 0o644)
        #expect { try CheckpointSigningKey.load(path: dir.sub("county.key")) } throws: { error in
            "\(error)".contains("chmod 600")
        }
        chmod(dir.sub("county.key"), 0o600)
        #expect { try CheckpointSigningKey.load(path: dir.sub("county.key"), outside: dir.path) } throws: { error in
            "\(error)".contains("inside the data directory")
        }
    }

    @Test("OpenSSL's own Ed25519 key format is read (a PKCS #8 key with a fixed seed)")
    func opensslFormat() throws {
        let dir = try TrustScratch()
        // openssl genpkey -algorithm ed25519 writes exactly this layout (RFC 8410).
        let pem = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
            -----END PRIVATE KEY-----

            """
        try Data(pem.utf8).write(to: URL(fileURLWithPath: dir.sub("openssl.key")))
        chmod(dir.sub("openssl.key"), 0o600)
        let key = try CheckpointSigningKey.load(path: dir.sub("openssl.key"))
        // RFC 8410's example key pair (sections 10.1 and 10.3).
        #expect(
            key.publicKey.bytes
                == Array(Data(base64Encoded: "Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=")!))
    }
}
