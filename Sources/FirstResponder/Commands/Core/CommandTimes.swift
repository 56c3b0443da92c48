import EventStore

/// Every time a command carries — its envelope's `occurredAt` and each of its own timestamp fields
/// (`contactAt`, `startsAt`, …, at any depth) — with the JSON pointer the command's JSON form gives
/// it, so a time the protocol cannot count from is refused at the field the user sent.
///
/// The fields are listed by each command's generated code (scripts/generate-commands, from its
/// schema), so a new command's times are checked without a list to keep.
enum CommandTimes {
    /// The latest time a command may carry: every time the protocol derives from one — a timer's
    /// due time, a deadline, at most 7 days later (PolicyChanged's largest threshold) — must still be
    /// a timestamp of the catalog (a four-digit year), or the refusal would name a field the user
    /// never sent.
    static let latest = Timestamp(rfc3339: "9999-12-31T23:59:59.999999Z")!.adding(seconds: -7 * 86_400)

    /// Every timestamp of `command`, `/occurredAt` first, then its fields in the schema's order.
    static func all(in command: any Command) -> [(pointer: String, time: Timestamp)] {
        guard let command = command as? any JSONCommand else { return [("/occurredAt", command.envelope.occurredAt)] }
        return command.times
    }

    /// Refuses `command` when one of its times is later than ``latest``, naming the first.
    static func check(_ command: any Command) throws(CommandRejection) {
        guard let (pointer, time) = all(in: command).first(where: { $0.time > latest }) else { return }
        let name = pointer.split(separator: "/").last.map(String.init) ?? pointer
        throw CommandRejection(
            .invalidCommand,
            "\(name) \(time) is too late: the protocol's clocks run up to 7 days past a command's times (the "
                + "largest policy threshold) and must end within the year 9999; expected a time up to \(latest)",
            field: pointer)
    }
}
