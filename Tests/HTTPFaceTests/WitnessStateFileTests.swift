import Foundation
import HTTPFace
import Testing
import TransparencyLog

/// The witness's state file: absent before the first cosignature, then the last checkpoint,
/// replaced whole.
@Suite struct WitnessStateFileTests {
    @Test func holdsTheLastCheckpointReplacedWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "witness-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = WitnessStateFile(path: directory.appending(path: "state").path)
        #expect(try state.read() == nil)

        let first = Checkpoint(origin: "example.org/log", size: 3, root: TreeHash.leaf([1]))
        let second = Checkpoint(origin: "example.org/log", size: 12, root: TreeHash.leaf([2]))
        try state.store(first)
        try state.store(second)
        #expect(try state.read() == second)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state"],
            "no temporary file left"
        )

        try Data("not a checkpoint\n".utf8).write(to: URL(fileURLWithPath: state.path))
        #expect(throws: WitnessStateError.self) { try state.read() }
    }
}
