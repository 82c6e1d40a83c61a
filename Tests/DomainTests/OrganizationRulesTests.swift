import Domain
import Testing

@Suite struct OrganizationRulesTests {
    @Test func registerRenameRetire() throws {
        var world = World()
        try world.run("ORG REGISTER cbo-one NAME 'Community One' KIND CBO")
        try world.run("ORG RENAME cbo-one NAME 'Community One Chicago'")
        try world.run("ORG RETIRE cbo-one REASON 'merged into cbo-two'")
        #expect(world.types("org-cbo-one") == ["OrganizationRegistered", "OrganizationRenamed", "OrganizationRetired"])
        #expect(
            try world.snapshot("org", "cbo-one")
                == EntitySnapshot([
                    ("id", .text("cbo-one")), ("status", .text("retired")), ("name", .text("Community One Chicago")),
                    ("kind", .text("cbo")), ("retirement_reason", .text("merged into cbo-two")),
                ])
        )
        #expect(world.streams["org-cbo-one"]?.first?.data == #"{"kind":"cbo","name":"Community One","schema":1}"#)
    }

    static let refused: [(String, Principal, DomainError)] = [
        ("ORG REGISTER cpd NAME Again KIND police", .admin, .conflict("org", "cpd is already registered")),
        (
            "ORG REGISTER cpd NAME 'Chicago Police Department' KIND police", .admin,
            .conflict("org", "cpd is already registered")
        ),
        ("ORG RENAME nobody NAME x", .admin, .notFound("org", "nobody does not exist")),
        ("ORG RETIRE nobody", .admin, .notFound("org", "nobody does not exist")),
        ("ORG RENAME cbo-old NAME 'New Name'", .admin, .invalid("status", "a retired organization cannot be renamed")),
        ("ORG RETIRE cbo-old", .admin, .invalid("status", "the organization is already retired")),
        (
            "ORG RENAME cpd NAME 'Chicago Police Department'", .admin,
            .invalid("name", "is already the organization's name")
        ),
        (
            "ORG REGISTER new-org NAME x KIND cbo", .coordinator("cbo-one"),
            .noPermission("role", "only admins manage organizations")
        ),
        (
            "ORG RENAME cbo-one NAME x", .coordinator("cbo-one"),
            .noPermission("role", "only admins manage organizations")
        ),
        ("ORG RETIRE cpd", .leadership, .noPermission("role", "only admins manage organizations")),
    ]

    @Test(arguments: refused)
    func refusals(line: String, actor: Principal, expected: DomainError) throws {
        var world = try World.standard()
        #expect(world.refusal(line, as: actor) == expected)
    }
}
