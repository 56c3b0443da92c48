/// The dispatch commands, for ``CommandJSON``.
enum DispatchCommands {
    static let types: [any JSONCommand.Type] = [
        RequestResponse.self, AssignByPolicy.self, AssignManually.self, Notify.self, Acknowledge.self, Decline.self,
        EnRoute.self, Arrive.self, Clear.self, CancelResponse.self, HandleTimerFired.self,
    ]
}
