import FirstResponder

/// Writes a JSON value as YAML 1.2 in block style, keys in their order, strings quoted whenever
/// plain YAML could read them as something else. The output is deterministic, so a generated
/// document can be compared byte for byte with the committed one.
enum YAMLWriter {
    /// The document.
    static func document(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out, inline: false)
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let object) where object.count > 0:
            var first = true
            for (key, member) in object {
                if !(first && inline) { out += pad }
                first = false
                out += scalarKey(key) + ":"
                writeMember(member, indent: indent, into: &out)
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                out += pad + "-"
                switch item {
                case .object(let o) where o.count > 0:
                    out += " "
                    write(item, indent: indent + 1, into: &out, inline: true)
                case .array(let a) where !a.isEmpty:
                    out += "\n"
                    write(item, indent: indent + 1, into: &out, inline: false)
                default:
                    out += " " + scalar(item) + "\n"
                }
            }
        default:
            out += pad + scalar(value) + "\n"
        }
    }

    private static func writeMember(_ member: JSONValue, indent: Int, into out: inout String) {
        switch member {
        case .object(let o) where o.count > 0:
            out += "\n"
            write(member, indent: indent + 1, into: &out, inline: false)
        case .array(let a) where !a.isEmpty:
            out += "\n"
            write(member, indent: indent + 1, into: &out, inline: false)
        default:
            out += " " + scalar(member) + "\n"
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .number(let d): d.rounded(.towardZero) == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): quoted(s)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// A key: plain when YAML reads it back as the same string (a letter, `_` or `/` first, then
    /// letters, digits and `_./{}-`, and no reserved word), quoted otherwise (`"200"`, `"$ref"`).
    private static func scalarKey(_ key: String) -> String {
        let bytes = Array(key.utf8)
        func letter(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) }
        let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]
        guard let first = bytes.first, letter(first) || first == 95 || first == 47,
            !reserved.contains(key.lowercased())
        else { return quoted(key) }
        let plain = bytes.allSatisfy { c in
            letter(c) || (c >= 48 && c <= 57) || c == 95 || c == 45 || c == 47 || c == 46 || c == 123 || c == 125
        }
        return plain ? key : quoted(key)
    }

    /// A double-quoted YAML string (JSON's escapes are YAML's).
    private static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out +=
                        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
