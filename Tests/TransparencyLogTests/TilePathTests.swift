import Testing
import TransparencyLog

/// The C2SP tlog-tiles paths.
@Suite struct TilePathTests {
    @Test func pathsReadAndWriteAsTheSpecWritesThem() {
        let cases: [(String, TilePath)] = [
            ("/checkpoint", .checkpoint),
            ("/tile/0/000", .tile(level: 0, index: 0, width: 256)),
            ("/tile/0/005.p/17", .tile(level: 0, index: 5, width: 17)),
            ("/tile/2/x001/x234/067", .tile(level: 2, index: 1_234_067, width: 256)),
            ("/tile/entries/x001/000.p/3", .entries(index: 1000, width: 3)),
        ]
        for (path, resource) in cases {
            #expect(TilePath(path) == resource, "\(path)")
            #expect(resource.path == path)
        }
    }

    @Test func malformedPathsAreRefused() {
        for path in [
            "/tile/0/5", "/tile/0/0005", "/tile/0/x000/005", "/tile/0/001/002", "/tile/8/000", "/tile/00/000",
            "/tile/0/000.p/0", "/tile/0/000.p/256", "/tile/0/000.p/07", "/tile/0", "/tiles/0/000", "checkpoint",
            "/tile/-1/000",
        ] {
            #expect(TilePath(path) == nil, "\(path)")
        }
    }
}
