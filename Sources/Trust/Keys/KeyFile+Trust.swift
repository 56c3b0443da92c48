import LMDB

extension KeyFile {
    /// The contents of the key file at `path` (`what` names it in the message: "signing key file").
    static func read(_ path: String, secret: Bool, what: String) throws(TrustError) -> [UInt8] {
        do {
            return try read(path, secret: secret)
        } catch {
            throw TrustError(.keyFile, "\(what) \(path) \(error.problem)")
        }
    }

    /// Writes a new key file at `path` with `mode`; never replaces one.
    static func create(_ path: String, _ bytes: [UInt8], mode: UInt32, what: String) throws(TrustError) {
        do {
            try create(path, bytes, mode: mode)
        } catch {
            let problem = error.alreadyExists ? "already exists; a key file is never overwritten" : error.problem
            throw TrustError(.keyFile, "\(what) \(path) \(problem)")
        }
    }
}
