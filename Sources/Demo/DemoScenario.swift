public import Domain

/// The demo's history as commands, pure and seeded: the setup an admin runs (organizations,
/// themes), then one lane per organization run by its coordinator.
///
/// The same seed, size and last day give the same commands, so the same events per stream.
public struct DemoScenario: Sendable {
    /// The first simulated day: the initiative's listening sessions began in November 2024.
    public static let firstDay = ISODate(year: 2024, month: 11, day: 1)!
    /// The most events a demo appends.
    public static let maximumEvents = 1_000_000
    /// The admin who registers the organizations.
    public static let adminUser = "demo-admin"
    /// Themes the admin adds to the seed vocabulary.
    public static let addedThemes = ["language-access", "victim-services"]

    public let seed: UInt64
    /// The events to append at least.
    public let events: Int
    /// The last simulated day; no date in the history is later.
    public let lastDay: ISODate
    public let organizations = DemoOrganization.all

    /// A scenario of at least `events` events (1 to `maximumEvents`) from `firstDay` to `lastDay`.
    public init(seed: UInt64, events: Int, lastDay: ISODate) throws(DemoError) {
        guard (1...Self.maximumEvents).contains(events) else {
            throw DemoError("events: must be from 1 to \(Self.maximumEvents)")
        }
        guard lastDay > Self.firstDay else { throw DemoError("the last day must be after \(Self.firstDay)") }
        self.seed = seed
        self.events = events
        self.lastDay = lastDay
    }

    /// The admin's principal for the setup commands.
    public static var admin: Principal { Principal(user: adminUser, role: .admin, organization: nil) }

    /// `ORG REGISTER` for every organization, as the admin runs them.
    public var registrations: [DemoStep] {
        organizations.map { organization in
            DemoStep(
                day: Self.firstDay,
                arguments: [
                    "ORG", "REGISTER", organization.slug, "NAME", organization.name, "KIND", organization.kind.rawValue,
                    "EXPECT", "-1",
                ]
            )
        }
    }

    /// Events each lane appends: what remains of `events` after the setup, shared out evenly.
    public var laneQuota: Int {
        let setup = organizations.count + Self.addedThemes.count
        let remaining = max(0, events - setup)
        return (remaining + organizations.count - 1) / organizations.count
    }

    /// One fresh lane per organization.
    public func lanes() -> [DemoLane] {
        organizations.enumerated().map { index, organization in
            DemoLane(
                index: index,
                organization: organization,
                seed: seed,
                quota: laneQuota,
                firstDay: Self.firstDay,
                lastDay: lastDay
            )
        }
    }
}

/// The demo cannot run as asked (bad options, a log that already holds it, a database gone).
public struct DemoError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
