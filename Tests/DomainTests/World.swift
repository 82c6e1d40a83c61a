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

/// An in-memory log of streams that runs commands the way the protocol does: parse, load the target
/// and related histories, decide, append.
struct World {
    var streams: [String: [EventPayload]] = [:]
    var today = ISODate(year: 2025, month: 3, day: 14)!
    private var issued = 0

    /// A world with organizations `cbo-one` and `cbo-two` (CBOs), `cpd` (police) and `cbo-old` (retired).
    static func standard() throws -> World {
        var world = World()
        try world.run("ORG REGISTER cbo-one NAME 'Community One' KIND cbo")
        try world.run("ORG REGISTER cbo-two NAME 'Community Two' KIND cbo")
        try world.run("ORG REGISTER cpd NAME 'Chicago Police Department' KIND police")
        try world.run("ORG REGISTER cbo-old NAME 'Old Partner' KIND cbo")
        try world.run("ORG RETIRE cbo-old REASON 'contract ended'")
        return world
    }

    /// Runs one command line (words split on spaces, `'…'` quoting) and returns the entity id.
    @discardableResult
    mutating func run(_ line: String, as actor: Principal = .admin) throws(DomainError) -> String {
        try run(Self.words(line), as: actor).id
    }

    /// Runs one command from its words; returns the command and the events appended.
    mutating func run(_ words: [String], as actor: Principal = .admin) throws(DomainError)
        -> (id: String, events: [EventPayload])
    {
        guard words.count >= 2 else { throw .invalid("command", "needs a noun and a verb") }
        let command = try DomainCommand.parse(
            noun: words[0],
            verb: words[1],
            arguments: Array(words.dropFirst(2)),
            actor: actor,
            newID: { nextID() }
        )
        var related: [String: [EventPayload]] = [:]
        for stream in command.related { related[stream] = streams[stream] ?? [] }
        let events = try command.decide(history: streams[command.stream] ?? [], related: related, today: today)
        streams[command.stream, default: []] += events
        return (command.id, events)
    }

    /// Runs a command expected to be refused; returns the error, and checks that nothing was appended.
    mutating func refusal(_ line: String, as actor: Principal = .admin) -> DomainError? {
        let before = streams
        do {
            try run(line, as: actor)
        } catch {
            #expect(streams == before, "a refused command appends nothing")
            return error
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
        let digits = String(issued)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// Splits on spaces; `'…'` keeps spaces inside one word (and may be empty).
    static func words(_ line: String) -> [String] {
        guard line.contains("'") else { return line.split(separator: " ").map(String.init) }
        var words: [String] = []
        var word = ""
        var quoted = false
        var started = false
        for character in line {
            if character == "'" && (quoted || !started) {
                quoted.toggle()
                started = true
            } else if character == " " && !quoted {
                if started { words.append(word) }
                word = ""
                started = false
            } else {
                word.append(character)
                started = true
            }
        }
        if started { words.append(word) }
        return words
    }
}
