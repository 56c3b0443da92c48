import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The vault's master key: 32 bytes (AES-256) that wrap every youth's own key.
///
/// It comes from a **key file** the operator keeps **outside the data directory** (on another
/// volume, or in a secrets store that writes a file at start-up): a copy or backup of the data
/// directory must not carry the key that opens it. ``PersonalDataVault/open(environment:masterKey:)``
/// refuses a key file inside the environment's directory.
///
/// The file holds the key as 64 hexadecimal digits and a newline, is a regular file, and must not
/// be readable or writable by group or others (mode `0600`, as ``generate(at:using:)`` writes it).
/// Losing it loses every youth's personal data; the events and statistics survive.
///
/// The value never prints the key.
public struct MasterKey: Sendable, CustomStringConvertible {
    /// The key length in bytes.
    public static let byteCount = 32

    let key: SymmetricKey
    /// The canonical path of the file the key was loaded from or generated at, if any.
    public let path: String?

    /// A key from its 32 bytes (for tests and key-management integrations).
    public init(bytes: some Collection<UInt8>) throws(VaultError) {
        guard bytes.count == Self.byteCount else {
            throw .invalid("masterKey", "must be \(Self.byteCount) bytes, got \(bytes.count)")
        }
        self.init(key: SymmetricKey(data: Array(bytes)), path: nil)
    }

    private init(key: SymmetricKey, path: String?) {
        self.key = key
        self.path = path
    }

    public var description: String { "MasterKey(\(path ?? "in memory"))" }

    /// Loads the key file at `path`.
    ///
    /// Throws ``VaultError`` with ``VaultError/Code/keyFile`` when the file is missing, not a
    /// regular file, readable or writable by group or others, or does not hold 64 hexadecimal digits.
    public static func load(path: String) throws(VaultError) -> MasterKey {
        let fd = posixOpen(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw keyFileError(path, "cannot be opened", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw keyFileError(path, "cannot be examined", errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw keyFileError(path, "is not a regular file") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw keyFileError(
                path, "is readable or writable by group or others (mode \(String(mode, radix: 8))): chmod 600 it")
        }
        var contents = [UInt8](repeating: 0, count: 256)
        var length = 0
        while length < contents.count {
            let n = contents.withUnsafeMutableBytes { read(fd, $0.baseAddress! + length, $0.count - length) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw keyFileError(path, "cannot be read", errno) }
            if n == 0 { break }
            length += n
        }
        var text = contents[..<length]
        while let last = text.last, last == 0x0A || last == 0x0D || last == 0x20 { text = text.dropLast() }
        guard text.count == byteCount * 2, let bytes = hexDecode(text) else {
            throw keyFileError(path, "must hold the key as exactly 64 hexadecimal digits and a newline")
        }
        return MasterKey(key: SymmetricKey(data: bytes), path: canonical(path) ?? path)
    }

    /// Makes a new key from `rng` and writes it to a new file at `path` with mode `0600`, synced to
    /// disk. Refuses to replace an existing file: overwriting a master key would destroy every
    /// youth's personal data.
    ///
    /// Pass `SystemRandomNumberGenerator` in production; a seeded generator only in tests.
    @discardableResult
    public static func generate(at path: String, using rng: inout some RandomNumberGenerator) throws(VaultError)
        -> MasterKey
    {
        let bytes = randomBytes(byteCount, using: &rng)
        let fd = posixOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw keyFileError(path, "already exists; a master key is never overwritten") }
            throw keyFileError(path, "cannot be created", errno)
        }
        var ok = fchmod(fd, 0o600) == 0
        let text = Array((hexEncode(bytes) + "\n").utf8)
        var written = 0
        while ok && written < text.count {
            let n = text.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            ok = n > 0
            if ok { written += n }
        }
        ok = ok && fsync(fd) == 0
        let failure = errno
        close(fd)
        guard ok else {
            unlink(path)
            throw keyFileError(path, "cannot be written", failure)
        }
        syncParentDirectory(of: path)
        return MasterKey(key: SymmetricKey(data: bytes), path: canonical(path) ?? path)
    }

    private static func keyFileError(_ path: String, _ problem: String, _ code: Int32? = nil) -> VaultError {
        var message = "master key file \(path) \(problem)"
        if let code { message += ": \(String(cString: strerror(code)))" }
        return VaultError(.keyFile, message, field: "masterKey")
    }

    private static func syncParentDirectory(of path: String) {
        let parent = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let fd = posixOpen(parent.isEmpty ? "/" : parent, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// `open(2)`, named apart from the many `open`s in scope.
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    open(path, flags, mode)
}

/// The canonical absolute path of an existing file, or `nil`.
func canonical(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// `count` bytes drawn from `rng`, eight at a time, little-endian.
func randomBytes(_ count: Int, using rng: inout some RandomNumberGenerator) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 8)
    while bytes.count < count {
        withUnsafeBytes(of: rng.next().littleEndian) { bytes.append(contentsOf: $0) }
    }
    return Array(bytes.prefix(count))
}

func hexEncode(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

func hexDecode(_ text: some Collection<UInt8>) -> [UInt8]? {
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
    guard text.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    var high: UInt8?
    for c in text {
        guard let n = nibble(c) else { return nil }
        if let h = high {
            out.append(h << 4 | n)
            high = nil
        } else {
            high = n
        }
    }
    return out
}
