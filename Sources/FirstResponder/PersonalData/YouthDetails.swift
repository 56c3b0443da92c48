/// The identifying details of one youth: what the protocol must keep about the person and what may
/// never enter an event. They live only in the ``PersonalDataVault``, encrypted with the youth's own
/// key, and are gone for good once the record is sealed.
///
/// The value never prints its contents: `description`, `debugDescription` and reflection (`dump`,
/// string interpolation in logs) show `YouthDetails(redacted)`.
public struct YouthDetails: Codable, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Given name(s): 1–100 characters, not blank, no control characters.
    public var givenName: String
    /// Family name(s): 1–100 characters, not blank, no control characters.
    public var familyName: String
    /// Date of birth, `YYYY-MM-DD`: a real calendar date, year 1900 or later.
    public var dateOfBirth: String
    /// A contact telephone number: 7–15 digits, optionally with spaces and `+ - ( ) .`.
    public var phone: String?
    /// Free-text identifying notes (aliases, marks, who to call): up to 4,000 characters, not blank.
    public var notes: String?

    /// Details; ``validate()`` checks them (the vault does before storing).
    public init(givenName: String, familyName: String, dateOfBirth: String, phone: String? = nil, notes: String? = nil)
    {
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.notes = notes
    }

    public var description: String { "YouthDetails(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension YouthDetails {
    /// The longest name accepted, in characters.
    public static let maxNameLength = 100
    /// The longest notes accepted, in characters.
    public static let maxNotesLength = 4_000

    /// Throws ``VaultError`` (``VaultError/Code/invalidInput``) naming the first field that is wrong
    /// and what was expected.
    public func validate() throws(VaultError) {
        try Self.checkName(givenName, field: "givenName")
        try Self.checkName(familyName, field: "familyName")
        guard Self.isCalendarDate(dateOfBirth) else {
            throw .invalid("dateOfBirth", "must be a real date written YYYY-MM-DD, year 1900 or later")
        }
        if let phone {
            let digits = phone.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }.count
            let allowed = phone.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || " +-().".utf8.contains($0) }
            guard allowed, (7...15).contains(digits) else {
                throw .invalid("phone", "must hold 7 to 15 digits, with only spaces and + - ( ) . besides")
            }
        }
        if let notes {
            guard !notes.allSatisfy(\.isWhitespace) else { throw .invalid("notes", "must not be blank when given") }
            guard notes.count <= Self.maxNotesLength else {
                throw .invalid("notes", "must be at most \(Self.maxNotesLength) characters")
            }
            let control = notes.unicodeScalars.contains {
                $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r"
            }
            guard !control else {
                throw .invalid("notes", "must not contain control characters other than line breaks and tabs")
            }
        }
    }

    private static func checkName(_ name: String, field: String) throws(VaultError) {
        guard !name.allSatisfy(\.isWhitespace) else { throw .invalid(field, "must not be empty or blank") }
        guard name.count <= maxNameLength else { throw .invalid(field, "must be at most \(maxNameLength) characters") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field, "must not contain control characters (line breaks, tabs, …)")
        }
    }

    /// Whether `text` is `YYYY-MM-DD` naming a real day, year 1900 or later.
    static func isCalendarDate(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return false }
        guard year >= 1900, (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}

extension PersonalDataVault {
    /// Throws ``VaultError`` unless `ref` is a pseudonymous youth reference as the catalog defines it:
    /// `^Y-[0-9A-Z]{10,24}$`.
    static func validateYouthRef(_ ref: String, field: String = "youthRef") throws(VaultError) {
        let b = Array(ref.utf8)
        let valid =
            (12...26).contains(b.count) && b[0] == 0x59 && b[1] == 0x2D
            && b[2...].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }
        guard valid else {
            throw .invalid(field, "must be Y- followed by 10 to 24 upper-case letters or digits (^Y-[0-9A-Z]{10,24}$)")
        }
    }
}
