import Foundation
public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
public import TransparencyLog

#if canImport(Glibc)
    import Glibc
#endif

/// The file where a witness keeps the checkpoint it cosigned last: the checkpoint's body, or no
/// file before the first cosignature. Replaced atomically (a temporary file, fsync, rename,
/// fsync of the directory), so a crash leaves the old checkpoint or the new one.
public struct WitnessStateFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The latest cosigned checkpoint; nil when the file does not exist.
    public func read() throws(WitnessStateError) -> Checkpoint? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WitnessStateError("cannot read the witness state \(path)")
        }
        do {
            return try Checkpoint(body: text)
        } catch {
            throw WitnessStateError("the witness state \(path) is not a checkpoint: \(error.message)")
        }
    }

    /// Replaces the state by `checkpoint`, durably, before returning.
    public func store(_ checkpoint: Checkpoint) throws(WitnessStateError) {
        let temporary = path + ".new"
        let bytes = Array(checkpoint.body.utf8)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw WitnessStateError("cannot write \(temporary): \(Self.reason())") }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = Self.reason()
            unlink(temporary)
            throw WitnessStateError("cannot replace the witness state \(path): \(reason)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let directory = open(folder, O_RDONLY)
        guard directory >= 0, fsync(directory) == 0 else {
            if directory >= 0 { close(directory) }
            throw WitnessStateError("cannot sync the folder of the witness state \(path): \(Self.reason())")
        }
        close(directory)
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}

/// The witness's state file cannot be used.
public struct WitnessStateError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Answers `POST /add-checkpoint` for a `Witness`, one request at a time: checking a request
/// against the latest cosigned checkpoint and storing the new one are one step, so two requests
/// cannot roll the state back.
actor WitnessResponder {
    private let witness: Witness
    private let state: WitnessStateFile
    private var latest: Checkpoint?
    private let logger: Logger

    init(witness: Witness, state: WitnessStateFile, logger: Logger) throws(WitnessStateError) {
        self.witness = witness
        self.state = state
        self.latest = try state.read()
        self.logger = logger
    }

    func response(method: String, target: String, body: [UInt8]) -> HTTPResponse {
        guard target.prefix(while: { $0 != "?" }) == "/add-checkpoint" else { return .text(404, "no such resource") }
        guard method == "POST" else { return .text(405, "only POST") }
        let cosigned: Witness.Cosigned
        do {
            cosigned = try witness.addCheckpoint(body, latest: latest, time: Int64(Date().timeIntervalSince1970))
        } catch {
            logger.info("checkpoint refused", metadata: ["status": "\(error.status)", "reason": "\(error.message)"])
            if let size = error.latestSize {
                return HTTPResponse(
                    status: 409,
                    headers: [("content-type", "text/x.tlog.size")],
                    body: Array("\(size)\n".utf8)
                )
            }
            return .text(error.status, error.message)
        }
        do {
            try state.store(cosigned.checkpoint)
        } catch {
            logger.error("cannot store the cosigned checkpoint", metadata: ["error": "\(error)"])
            return .text(500, "the witness cannot store its state")
        }
        latest = cosigned.checkpoint
        return HTTPResponse(
            status: 200,
            headers: [("content-type", "text/plain; charset=utf-8")],
            body: Array(cosigned.cosignature.utf8)
        )
    }
}

/// A C2SP tlog-witness over HTTP/1.1, run as a `Service`: `POST /add-checkpoint` cosigns the
/// log's checkpoints that are signed by the log's key and consistent with what it cosigned before.
public final class WitnessServer: Service, Sendable {
    private let server: HTTPServer

    /// A witness of the log `logKey` signing with `key`, its state in `state`; throws when the
    /// state file exists and cannot be read as a checkpoint.
    public init(
        configuration: HTTPServerConfiguration,
        logKey: NoteVerifierKey,
        key: CosignatureSignerKey,
        state: WitnessStateFile,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (_ port: Int) -> Void = { _ in }
    ) throws(WitnessStateError) {
        let responder = try WitnessResponder(
            witness: Witness(logKey: logKey, key: key),
            state: state,
            logger: logger
        )
        server = HTTPServer(
            configuration: configuration,
            name: "witness",
            maximumBody: 16 * 1024,
            logger: logger,
            group: group,
            onListening: onListening
        ) { method, target, body in
            await responder.response(method: method, target: target, body: body)
        }
    }

    public func run() async throws {
        try await server.run()
    }
}
