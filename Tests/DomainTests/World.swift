import Domain
import Testing

/// People the tests act as.
extension Principal {
    static let admin = Principal(user: "ada", role: .admin, organization: nil)
    static let leadership = Principal(user: "lee", role: .leadership, organization: nil)
    static let auditor = Principal(user: "aud", role: .auditor, organization: nil)

    static func coordinator(_ organization: String) -> Principal {
        Principal(user: "cora", role: .coordinator, organization: organization)
    }
}

/// An in-memory log of streams that runs typed commands the way the protocol does: build, load the
/// target and related histories, decide, append.
struct World {
    /// What a test builds a command with: who runs it and the id a new entity gets.
    struct Call {
        let actor: Principal
        let newID: String
    }

    /// Builds one command.
    typealias Build = (Call) throws -> DomainCommand
    /// Builds one command, for tables of test cases.
    typealias SendableBuild = @Sendable (Call) throws -> DomainCommand

    var streams: [String: [EventPayload]] = [:]
    var today = ISODate(year: 2025, month: 3, day: 14)!
    private var issued = 0

    /// A world with organizations `cbo-one` and `cbo-two` (CBOs), `cpd` (police) and `cbo-old` (retired).
    static func standard() throws -> World {
        var world = World()
        try world.run {
            try OrganizationCommand.register(slug: "cbo-one", name: "Community One", kind: .cbo, actor: $0.actor)
        }
        try world.run {
            try OrganizationCommand.register(slug: "cbo-two", name: "Community Two", kind: .cbo, actor: $0.actor)
        }
        try world.run {
            try OrganizationCommand.register(
                slug: "cpd",
                name: "Chicago Police Department",
                kind: .police,
                actor: $0.actor
            )
        }
        try world.run {
            try OrganizationCommand.register(slug: "cbo-old", name: "Old Partner", kind: .cbo, actor: $0.actor)
        }
        try world.run { try OrganizationCommand.retire(slug: "cbo-old", reason: "contract ended", actor: $0.actor) }
        return world
    }

    /// Runs one command and returns the entity id.
    @discardableResult
    mutating func run(as actor: Principal = .admin, _ build: Build) throws -> String {
        try apply(as: actor, build).id
    }

    /// Runs one command; returns the entity id and the events appended.
    mutating func apply(as actor: Principal = .admin, _ build: Build) throws
        -> (id: String, events: [EventPayload])
    {
        let fresh = Self.id(issued + 1)
        let command = try build(Call(actor: actor, newID: fresh))
        if command.id == fresh { issued += 1 }
        var related: [String: [EventPayload]] = [:]
        for stream in command.related { related[stream] = streams[stream] ?? [] }
        let events = try command.decide(history: streams[command.stream] ?? [], related: related, today: today)
        streams[command.stream, default: []] += events
        return (command.id, events)
    }

    /// Runs a command expected to be refused; returns the error, and checks that nothing was appended.
    mutating func refusal(as actor: Principal = .admin, _ build: Build) -> DomainError? {
        let before = streams
        do {
            try run(as: actor, build)
        } catch {
            #expect(streams == before, "a refused command appends nothing")
            #expect(error is DomainError)
            return error as? DomainError
        }
        return nil
    }

    /// The snapshot of an entity.
    func snapshot(_ kind: String, _ id: String) throws -> EntitySnapshot {
        try DomainState.snapshot(kind: kind, id: id, history: streams[DomainState.stream(kind: kind, id: id)!] ?? [])
    }

    /// The events of a stream, by type.
    func types(_ stream: String) -> [String] { (streams[stream] ?? []).map(\.type) }

    /// A UUID that is new in this world: 00000000-0000-4000-8000-000000000001, …
    mutating func nextID() -> String {
        issued += 1
        return Self.id(issued)
    }

    private static func id(_ number: Int) -> String {
        let digits = String(number)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }
}

extension ISODate {
    /// A date written yyyy-mm-dd in a test.
    static func on(_ text: String) -> ISODate { (try? ISODate(parsing: text))! }
}
