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
    /// The least time between two passes that fold new events into the views: under load one pass
    /// folds many commits.
    public var viewsInterval: Duration
    /// The longest a read of the views given `minPosition` waits for them to fold it
    /// (``ViewConsistency``); then it gets 503 `views-behind`.
    public var viewsWaitLimit: Duration
    /// How often the live board is evaluated again while no event comes (time alone puts a clock at
    /// risk or past its deadline).
    public var boardRecheck: Duration
    /// The daemon's clock: the wall clock, or a demonstration's faster one (``ServerClock``).
    public var clock: ServerClock
    /// Signed checkpoints of the log on a schedule, or none.
    public var checkpoints: CheckpointSchedule?
    /// Serving a follower's replica read-only (`vigil serve --read-only`), or `nil` for the leader.
    public var replica: ReplicaServing?
    /// How long `/readyz` reports `degraded: storage full` after the last write refused for want of
    /// space when no write has succeeded since; then it reports ready again, so a load balancer lets
    /// requests in to find out whether space was freed (each one refused renews it).
    public var storageFullHold: Duration

    /// A configuration; the defaults listen on 127.0.0.1:8080 and look for due timers four times a
    /// second.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        timerInterval: Duration = .milliseconds(250),
        maxBodySize: Int = 64 * 1024,
        heartbeat: Duration = .seconds(15),
        viewsInterval: Duration = .milliseconds(100),
        viewsWaitLimit: Duration = .seconds(5),
        boardRecheck: Duration = .seconds(5),
        clock: ServerClock = .wall,
        checkpoints: CheckpointSchedule? = nil,
        replica: ReplicaServing? = nil,
        storageFullHold: Duration = .seconds(30)
    ) {
        self.replica = replica
        self.storageFullHold = storageFullHold
        self.checkpoints = checkpoints
        self.heartbeat = heartbeat
        self.viewsInterval = viewsInterval
        self.viewsWaitLimit = viewsWaitLimit
        self.boardRecheck = boardRecheck
        self.clock = clock
        self.host = host
        self.port = port
        self.timerInterval = timerInterval
        self.maxBodySize = maxBodySize
    }
}
