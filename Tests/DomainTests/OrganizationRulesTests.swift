import Domain
import Testing

@Suite struct OrganizationRulesTests {
    @Test func registerRenameRetire() throws {
        var world = World()
        try world.run {
            try OrganizationCommand.register(slug: "cbo-one", name: "Community One", kind: .cbo, actor: $0.actor)
        }
        try world.run {
            try OrganizationCommand.rename(slug: "cbo-one", name: "Community One Chicago", actor: $0.actor)
        }
        try world.run {
            try OrganizationCommand.retire(slug: "cbo-one", reason: "merged into cbo-two", actor: $0.actor)
        }
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

    static let refused: [(String, World.SendableBuild, Principal, DomainError)] = [
        (
            "register again",
            { try OrganizationCommand.register(slug: "cpd", name: "Again", kind: .police, actor: $0.actor) },
            .admin, .conflict("org", "cpd is already registered")
        ),
        (
            "register the same again",
            {
                try OrganizationCommand.register(
                    slug: "cpd",
                    name: "Chicago Police Department",
                    kind: .police,
                    actor: $0.actor
                )
            }, .admin, .conflict("org", "cpd is already registered")
        ),
        (
            "rename a missing one", { try OrganizationCommand.rename(slug: "nobody", name: "x", actor: $0.actor) },
            .admin,
            .notFound("org", "nobody does not exist")
        ),
        (
            "retire a missing one", { try OrganizationCommand.retire(slug: "nobody", actor: $0.actor) }, .admin,
            .notFound("org", "nobody does not exist")
        ),
        (
            "rename a retired one",
            { try OrganizationCommand.rename(slug: "cbo-old", name: "New Name", actor: $0.actor) },
            .admin, .invalid("status", "a retired organization cannot be renamed")
        ),
        (
            "retire a retired one", { try OrganizationCommand.retire(slug: "cbo-old", actor: $0.actor) }, .admin,
            .invalid("status", "the organization is already retired")
        ),
        (
            "rename to the same name",
            { try OrganizationCommand.rename(slug: "cpd", name: "Chicago Police Department", actor: $0.actor) }, .admin,
            .invalid("name", "is already the organization's name")
        ),
        (
            "register as a coordinator",
            { try OrganizationCommand.register(slug: "new-org", name: "x", kind: .cbo, actor: $0.actor) },
            .coordinator("cbo-one"), .noPermission("role", "only admins manage organizations")
        ),
        (
            "rename as a coordinator", { try OrganizationCommand.rename(slug: "cbo-one", name: "x", actor: $0.actor) },
            .coordinator("cbo-one"), .noPermission("role", "only admins manage organizations")
        ),
        (
            "retire as leadership", { try OrganizationCommand.retire(slug: "cpd", actor: $0.actor) }, .leadership,
            .noPermission("role", "only admins manage organizations")
        ),
    ]

    @Test(arguments: refused)
    func refusals(
        name: String,
        command: World.SendableBuild,
        actor: Principal,
        expected: DomainError
    ) throws {
        var world = try World.standard()
        #expect(world.refusal(as: actor, command) == expected, "\(name)")
    }
}
