import FirstResponder
import Foundation

/// A youth's details as `vigil vault store` reads them: one JSON object from a file or standard
/// input, strictly — unknown fields and wrong types are refused by name, and nothing but the
/// object's five fields is read.
enum YouthDetailsInput {
    static let fields = ["givenName", "familyName", "dateOfBirth", "phone", "notes"]

    static func read(_ path: String) throws -> YouthDetails {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CLIError("FILE: cannot read \(path)")
            }
            data = contents
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CLIError(
                "\(path == "-" ? "standard input" : path): expected one JSON object with givenName, familyName, "
                    + "dateOfBirth and optionally phone and notes")
        }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw CLIError("/\(unknown): unknown field; expected \(fields.joined(separator: ", "))")
        }
        func string(_ field: String, required: Bool) throws -> String? {
            guard let value = object[field] else {
                if required { throw CLIError("/\(field): \(field) is required") }
                return nil
            }
            guard let text = value as? String else { throw CLIError("/\(field): expected a string") }
            return text
        }
        return YouthDetails(
            givenName: try string("givenName", required: true)!, familyName: try string("familyName", required: true)!,
            dateOfBirth: try string("dateOfBirth", required: true)!, phone: try string("phone", required: false),
            notes: try string("notes", required: false))
    }
}
