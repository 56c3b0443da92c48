/// How a read-only daemon serves a follower's replica (`vigil serve --read-only`): where commands go
/// instead, and how often it looks for what the follower appended.
///
/// The daemon writes nothing into the replica (`vigil follow` is its only writer): no timer loop,
/// no checkpoints, no view catch-up (the follower brings the views up to each batch it stores), and
/// its access records go to a store of their own (``DispatchServer/init(engine:configuration:logger:accessStore:)``).
public struct ReplicaServing: Sendable {
    /// The leader's address, named in the 503 that answers every command.
    public var leader: String
    /// How often the replica's head and its views' position are read again (the follower's commits
    /// are made by another process, which this one is not told of).
    public var pollInterval: Duration

    /// Serving a replica of `leader`'s log.
    public init(leader: String, pollInterval: Duration = .milliseconds(100)) {
        self.leader = leader
        self.pollInterval = pollInterval
    }
}
