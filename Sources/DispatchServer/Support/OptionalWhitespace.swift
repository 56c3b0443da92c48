extension StringProtocol {
    /// Without the spaces and tabs around it (RFC 9110's optional whitespace, OWS, around a header
    /// value's parts): cheaper than Foundation's trimming by character set, which showed in the
    /// daemon's profile once per request.
    var trimmingOptionalWhitespace: SubSequence {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        var text = self[...].drop(while: blank)
        while let last = text.last, blank(last) { text = text.dropLast() }
        return text
    }
}
