import EventStore

extension YouthDetails {
    /// The details as one JSON object, as `vigil vault show` prints them and `GET /v1/youth/{youthRef}`
    /// answers: `youthRef`, `givenName`, `familyName`, `dateOfBirth`, and `phone` and `notes` when held.
    public func jsonBytes(youthRef: String) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("youthRef", youthRef)
        w.field("givenName", givenName)
        w.field("familyName", familyName)
        w.field("dateOfBirth", dateOfBirth)
        if let phone { w.field("phone", phone) }
        if let notes { w.field("notes", notes) }
        w.endObject()
        return w.bytes
    }
}
