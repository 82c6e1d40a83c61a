// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "caselog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "caselog", targets: ["caselog"]),
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "EventStore", targets: ["EventStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Event-log core types: envelopes, positions, expected versions, errors, canonical JSON, hash chain. No I/O.
        .target(
            name: "EventLog",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The transparency log's pure parts: RFC 6962 Merkle tree hashes and proofs, C2SP checkpoints,
        // signed notes (Ed25519), tlog-proof receipts, and a witness's cosignatures and checks. No I/O.
        .target(
            name: "TransparencyLog",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The PostgreSQL event store: migrations, group-commit writer, reads, chain verification.
        .target(
            name: "EventStore",
            dependencies: [
                "EventLog",
                "TransparencyLog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The domain with no I/O: access (users, roles, tokens); organizations, cases, activities, commitments,
        // follow-ups and themes as events, folds and command decisions; reference data.
        .target(
            name: "Domain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            exclude: [
                "Reference/community_areas.csv", "Reference/police_districts.csv", "Reference/neighbourhoods.csv",
                "Reference/README.md",
            ],
            swiftSettings: swiftSettings
        ),
        // Read-model rows folded from domain events, query filters and answers. No I/O.
        .target(
            name: "ReadModels",
            dependencies: ["Domain", "EventLog"],
            swiftSettings: swiftSettings
        ),
        // Projection workers (checkpoints, advisory locks, rebuilds) and read-model tables and queries in PostgreSQL.
        .target(
            name: "Projections",
            dependencies: [
                "ReadModels",
                "Domain",
                "EventLog",
                "EventStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The application: command, query and access services over the domain, the event log and the
        // read models, and the ports (`AdminBackend`, `ReadModelBackend`) the server wiring implements. No NIO.
        .target(
            name: "Application",
            dependencies: ["Domain", "EventLog", "ReadModels"],
            swiftSettings: swiftSettings
        ),
        // The admin protocol: RESP codec, command table and dispatch, the wire grammar of domain commands, auth;
        // the TCP server on SwiftNIO.
        .target(
            name: "AdminProtocol",
            dependencies: [
                "Application",
                "EventLog",
                "Domain",
                "ReadModels",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP face: the transparency log's tiles (C2SP tlog-tiles), read-only, on SwiftNIO's HTTP/1.1.
        .target(
            name: "HTTPFace",
            dependencies: [
                "Application",
                "TransparencyLog",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The composition root: one configuration from flags and environment, the services for one ServiceGroup.
        .target(
            name: "CaselogServer",
            dependencies: [
                "Application",
                "HTTPFace",
                "TransparencyLog",
                "EventStore",
                "AdminProtocol",
                "Domain",
                "Projections",
                "ReadModels",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A plain TCP client of the admin protocol, on the protocol's RESP value and codec types; the history
        // export and the CSV import of the command-line client.
        .target(
            name: "ProtocolClient",
            dependencies: [
                "AdminProtocol",
                "EventLog",
                "Domain",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The leadership report: read over the protocol client, rendered as one self-contained HTML page.
        .target(
            name: "Reports",
            dependencies: ["ProtocolClient", "AdminProtocol"],
            swiftSettings: swiftSettings
        ),
        // Throwaway databases for the tests and the benchmarks: created, migrated, dropped.
        .target(
            name: "DatabaseSupport",
            dependencies: [
                "EventStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The demo history generator: a seeded, realistic history through the protocol's commands.
        .target(
            name: "Demo",
            dependencies: ["CaselogServer", "Application", "AdminProtocol", "Domain", "EventLog", "EventStore"],
            swiftSettings: swiftSettings
        ),
        // The benchmarks and their raw-SQL baselines, measured side by side in the same run.
        .target(
            name: "Benchmarks",
            dependencies: [
                "CaselogServer",
                "TransparencyLog",
                "Application",
                "DatabaseSupport",
                "ProtocolClient",
                "AdminProtocol",
                "Domain",
                "EventLog",
                "EventStore",
                "Projections",
                "ReadModels",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: a real PostgreSQL database per test, from the environment,
        // and the real server on it.
        .target(
            name: "CaselogTesting",
            dependencies: [
                "Application",
                "EventStore",
                "DatabaseSupport",
                "CaselogServer",
                "HTTPFace",
                "ProtocolClient",
                "AdminProtocol",
                "Domain",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the pure test targets (no PostgreSQL, no server): seeded randomness.
        .target(name: "TestSupport", swiftSettings: swiftSettings),
        .executableTarget(
            name: "caselog",
            dependencies: [
                "Application",
                "TransparencyLog",
                "CaselogServer",
                "Demo",
                "Benchmarks",
                "AdminProtocol",
                "ProtocolClient",
                "Reports",
                "Domain",
                "EventLog",
                "EventStore",
                "HTTPFace",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ProtocolClientTests",
            dependencies: ["ProtocolClient", "AdminProtocol"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HTTPFaceTests",
            dependencies: ["HTTPFace", "Application", "EventLog", "TransparencyLog"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TransparencyLogTests", dependencies: ["TransparencyLog"], swiftSettings: swiftSettings),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "DomainTests", dependencies: ["Domain", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReadModelsTests", dependencies: ["ReadModels", "Domain"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ApplicationTests",
            dependencies: ["Application", "Domain", "EventLog"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: [
                "Projections",
                "Demo",
                "ReadModels",
                "Domain",
                "EventStore",
                "EventLog",
                "CaselogTesting",
                "AdminProtocol",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AdminProtocolTests",
            dependencies: [
                "AdminProtocol",
                "Domain",
                "Application",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            exclude: ["Corpus"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CaselogServerTests",
            dependencies: [
                "Application",
                "TransparencyLog",
                "CaselogServer",
                "AdminProtocol",
                "ProtocolClient",
                "CaselogTesting",
                "EventStore",
                "Domain",
                "ReadModels",
                "Projections",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DemoTests",
            dependencies: ["Demo", "CaselogTesting", "Domain", "EventLog", "EventStore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EventStoreTests",
            dependencies: [
                "EventStore",
                "TransparencyLog",
                "EventLog",
                "CaselogTesting",
                "DatabaseSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
