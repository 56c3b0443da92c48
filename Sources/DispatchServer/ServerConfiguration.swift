/// How the daemon listens and paces itself.
public struct ServerConfiguration: Sendable {
    /// The address to listen on; loopback unless a deployment says otherwise.
    public var host: String
    /// The port; 0 lets the system pick one (tests).
    public var port: Int
    /// How often the timer loop looks for due timers: a timer fires at most this long after its
    /// due time (plus the time its reaction takes).
    public var timerInterval: Duration
    /// The largest request body accepted; a bigger one gets 413 before it is read whole.
    public var maxBodySize: Int
    /// How long an event stream may stay silent before a keep-alive comment.
    public var heartbeat: Duration

    /// A configuration; the defaults listen on 127.0.0.1:8080 and look for due timers four times a
    /// second.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        timerInterval: Duration = .milliseconds(250),
        maxBodySize: Int = 64 * 1024,
        heartbeat: Duration = .seconds(15)
    ) {
        self.heartbeat = heartbeat
        self.host = host
        self.port = port
        self.timerInterval = timerInterval
        self.maxBodySize = maxBodySize
    }
}
