import EventStore
import FirstResponder
import Foundation
import LMDB
import PropertyBased

/// A directory of its own for one vault test (tests run in parallel), removed afterwards.
struct VaultScratchDirectory: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-vault-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }
}

/// A deterministic generator for tests.
func seededRNG(_ seed: UInt64) -> Xoshiro {
    Xoshiro(seed: (seed | 1, seed &* 0x9E37_79B9_7F4A_7C15 | 1, ~seed, seed << 17 | 3))
}

/// A fixed master key for tests.
func testMasterKey(_ fill: UInt8 = 7) throws -> MasterKey {
    try MasterKey(bytes: (0..<32).map { UInt8($0) &+ fill })
}

/// Details that are easy to look for on disk.
let marisol = YouthDetails(
    givenName: "Marisolquetzal", familyName: "Zyxwvutsrqova", dateOfBirth: "2010-04-17", phone: "+1 (213) 555-0147",
    notes: "Known as Estrellita-Nocturna; scar on left wrist.")

let jordan = YouthDetails(givenName: "Jordanelle", familyName: "Abernathy-Quist", dateOfBirth: "2011-12-01")

let youthA = "Y-7K2M9Q4D1X"
let youthB = "Y-3F8H6J2L5N"

/// Runs `body` with a vault in a fresh environment in its own directory.
func withVault<R>(
    masterKey: MasterKey? = nil,
    _ body: (PersonalDataVault, Environment, String) throws -> R
) throws -> R {
    let dir = VaultScratchDirectory()
    let environment = try Environment.open(directory: dir.file("data"))
    let vault = try PersonalDataVault.open(environment: environment, masterKey: masterKey ?? testMasterKey())
    return try body(vault, environment, dir.path)
}

/// The raw value stored under `key` in the named database of the vault's current generation, or `nil`.
func rawVaultValue(_ vault: PersonalDataVault, _ database: String, _ key: String) throws -> [UInt8]? {
    try vault.currentEnvironment.read { txn in
        let db = try txn.openDatabase(database)
        return try txn.get(db, key: Array(key.utf8))
    }
}

/// Whether `haystack` contains `needle`.
func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var i = 0
    while i <= haystack.count - needle.count {
        if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        i += 1
    }
    return false
}

/// The bytes of a file.
func fileBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Every regular file under `directory`, recursively.
func filesUnder(_ directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var out: [String] = []
    while let relative = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let path = directory + "/" + relative
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            out.append(path)
        }
    }
    return out
}

/// The files under `directory` whose bytes contain `needle`.
func filesContaining(_ needle: [UInt8], under directory: String) throws -> [String] {
    try filesUnder(directory).filter { containsBytes(try fileBytes($0), needle) }
}
