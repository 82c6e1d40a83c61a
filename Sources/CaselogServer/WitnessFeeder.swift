public import EventLog
public import EventStore
public import HTTPFace
public import Logging
public import ServiceLifecycle
import Synchronization
public import TransparencyLog

/// A C2SP tlog-witness the log sends its checkpoints to: its cosignature key and its URL (the
/// requests go to `<url>/add-checkpoint`).
public struct WitnessEndpoint: Sendable, Hashable {
    public let key: CosignatureVerifierKey
    public let url: HTTPEndpoint

    public init(key: CosignatureVerifierKey, url: HTTPEndpoint) {
        self.key = key
        self.url = url
    }
}

/// The witnesses the log sends its checkpoints to, and how many must cosign one for it to be
/// published: `CASELOG_WITNESSES` and `CASELOG_WITNESS_QUORUM`.
public struct WitnessPolicy: Sendable, Hashable {
    public let witnesses: [WitnessEndpoint]
    /// How many witnesses must cosign a checkpoint (k of n).
    public let quorum: Int

    /// `quorum` of `witnesses` (default: all); throws unless 1 ≤ quorum ≤ the number of witnesses.
    public init(witnesses: [WitnessEndpoint], quorum: Int? = nil) throws(CaselogServiceError) {
        let quorum = quorum ?? witnesses.count
        guard !witnesses.isEmpty, (1...witnesses.count).contains(quorum) else {
            throw CaselogServiceError(
                "CASELOG_WITNESS_QUORUM must be from 1 to the number of witnesses, \(witnesses.count); it is \(quorum)"
            )
        }
        self.witnesses = witnesses
        self.quorum = quorum
    }

    /// Reads `CASELOG_WITNESSES` (comma-separated `<cosignature verifier key>=<http url>`) and
    /// `CASELOG_WITNESS_QUORUM` (a number; nil or empty: all).
    public init(parsing list: String, quorum: String?) throws(CaselogServiceError) {
        var witnesses: [WitnessEndpoint] = []
        for entry in list.split(separator: ",") {
            let entry = entry.trimmingCharacters(in: .whitespaces)
            guard let separator = entry.range(of: "=http://") else {
                throw CaselogServiceError("CASELOG_WITNESSES: expected <witness key>=http://host:port, not \(entry)")
            }
            let key: CosignatureVerifierKey
            do {
                key = try CosignatureVerifierKey(parsing: String(entry[..<separator.lowerBound]))
            } catch {
                throw CaselogServiceError("CASELOG_WITNESSES: \(error.message)")
            }
            guard let url = HTTPEndpoint(url: String(entry[entry.index(after: separator.lowerBound)...])) else {
                throw CaselogServiceError("CASELOG_WITNESSES: the URL of \(key.name) is not http://host[:port][/path]")
            }
            witnesses.append(WitnessEndpoint(key: key, url: url))
        }
        let count: Int?
        if let quorum, !quorum.isEmpty {
            guard let number = Int(quorum) else {
                throw CaselogServiceError("CASELOG_WITNESS_QUORUM must be a number, not \(quorum)")
            }
            count = number
        } else {
            count = nil
        }
        try self.init(witnesses: witnesses, quorum: count)
    }
}

/// Sends each checkpoint the `TreeBuilder` signs to the witnesses of a `WitnessPolicy` and keeps
/// the latest checkpoint that a quorum of them cosigned: the signed note with their valid
/// cosignature lines appended. It stores that note in the database once it verifies (the log's
/// signature and a quorum of the policy's cosignatures), and answers the stored one, verified
/// again, until it has one of its own: so it survives a restart.
///
/// It runs beside the builder and never holds it up: a witness that fails or does not answer is
/// logged, and sent the next checkpoint. Each witness is sent `old` = the size it last cosigned
/// (0 at first, or the size a 409 answer reports, after which the request is sent once more).
public final class WitnessFeeder: Service, Sendable {
    /// Pacing; every value has a default.
    public struct Configuration: Sendable {
        /// How long one request to a witness may take.
        public var requestTimeout: Duration = .seconds(5)
        /// How long to wait before sending a checkpoint again that too few witnesses cosigned,
        /// when no newer one is signed.
        public var retryInterval: Duration = .seconds(5)

        public init() {}
    }

    private let policy: WitnessPolicy
    private let store: EventStore
    private let builder: TreeBuilder
    private let configuration: Configuration
    private let logger: Logger
    private let cosigned = Mutex<(size: Int64, note: String)?>(nil)
    private let cosignedWatcher = HeadWatcher()

    public init(
        policy: WitnessPolicy,
        store: EventStore,
        builder: TreeBuilder,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        self.policy = policy
        self.store = store
        self.builder = builder
        self.configuration = configuration
        self.logger = logger
    }

    /// The latest checkpoint a quorum cosigned since this feeder started (or that it read back
    /// from the database): the log's signed note and the witnesses' lines.
    public var latestCosigned: String? { cosigned.withLock { $0?.note } }

    /// The latest checkpoint a quorum cosigned: `latestCosigned`, else the one stored in the
    /// database when it verifies against the log's key and this feeder's policy.
    public func cosignedCheckpoint() async throws(EventLogError) -> String? {
        if let note = latestCosigned { return note }
        return try await loadStored(reportingRefusal: false)
    }

    /// The quorum this feeder needs.
    public var quorum: Int { policy.quorum }

    /// Returns once a checkpoint of at least `size` events is cosigned by a quorum, or after
    /// `timeout`; answers the latest cosigned note then.
    public func waitForCosigned(covering size: Int64, timeout: Duration) async -> String? {
        await cosignedWatcher.wait(after: size - 1, timeout: timeout)
        return cosigned.withLock { $0.flatMap { $0.size >= size ? $0.note : nil } }
    }

    /// Sends each new checkpoint until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var sizes = [Int64](repeating: 0, count: self.policy.witnesses.count)
            var sent: Int64 = 0
            do {
                _ = try await self.loadStored(reportingRefusal: true)
                sent = self.cosigned.withLock { $0?.size ?? 0 }
            } catch {
                self.logger.warning("cannot read the stored cosigned checkpoint: \(error)")
            }
            while !Task.isCancelled {
                _ = await self.builder.waitForCheckpoint(covering: sent + 1, timeout: .seconds(1))
                let checkpoint: StoredCheckpoint?
                do {
                    checkpoint = try await self.store.latestCheckpoint()
                } catch {
                    self.logger.warning("cannot read the checkpoint to send to the witnesses: \(error)")
                    try? await Task.sleep(for: self.configuration.retryInterval)
                    continue
                }
                guard let checkpoint, checkpoint.size > sent else { continue }
                if await self.feed(checkpoint, sizes: &sizes) {
                    sent = checkpoint.size
                } else {
                    try? await Task.sleep(for: self.configuration.retryInterval)
                }
            }
        }
    }

    /// Sends `checkpoint` to every witness at once; publishes it when a quorum cosigned it.
    /// `sizes` holds what each witness cosigned last, as far as known.
    private func feed(_ checkpoint: StoredCheckpoint, sizes: inout [Int64]) async -> Bool {
        let results = await withTaskGroup(of: (Int, Int64, String?).self) { tasks in
            for (index, witness) in policy.witnesses.enumerated() {
                let known = sizes[index]
                tasks.addTask {
                    let (size, line) = await self.send(checkpoint, to: witness, old: known)
                    return (index, size, line)
                }
            }
            var results: [(Int, Int64, String?)] = []
            for await result in tasks { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
        for (index, size, _) in results { sizes[index] = size }
        let lines = results.compactMap(\.2)
        guard lines.count >= policy.quorum else {
            logger.warning(
                "too few witnesses cosigned the checkpoint",
                metadata: ["size": "\(checkpoint.size)", "cosigned": "\(lines.count)", "quorum": "\(policy.quorum)"]
            )
            return false
        }
        let note = checkpoint.note + lines.joined()
        guard verifiedSize(of: note) == checkpoint.size else {
            logger.error("the cosigned checkpoint does not verify", metadata: ["size": "\(checkpoint.size)"])
            return false
        }
        do {
            try await store.storeCosignedCheckpoint(size: checkpoint.size, note: note)
        } catch {
            logger.warning("cannot store the cosigned checkpoint: \(error)", metadata: ["size": "\(checkpoint.size)"])
        }
        publish(note, size: checkpoint.size)
        logger.debug("checkpoint cosigned", metadata: ["size": "\(checkpoint.size)", "cosigned": "\(lines.count)"])
        return true
    }

    /// Keeps `note` as the latest cosigned checkpoint unless one of its size or larger is kept.
    private func publish(_ note: String, size: Int64) {
        let published = cosigned.withLock { latest in
            guard size > latest?.size ?? 0 else { return false }
            latest = (size, note)
            return true
        }
        if published { cosignedWatcher.advance(to: size) }
    }

    /// Reads the stored cosigned checkpoint and keeps it when it verifies; answers it then.
    /// Logs a stored note that does not verify when `reportingRefusal` (once, at start).
    private func loadStored(reportingRefusal: Bool) async throws(EventLogError) -> String? {
        guard let stored = try await store.cosignedCheckpoint() else { return nil }
        guard verifiedSize(of: stored.note) == stored.size else {
            guard reportingRefusal else { return nil }
            logger.error(
                "the stored cosigned checkpoint does not verify against the log's key and the witness policy",
                metadata: ["size": "\(stored.size)"]
            )
            return nil
        }
        publish(stored.note, size: stored.size)
        return stored.note
    }

    /// The size of `note` when it is a checkpoint signed by the log's key and cosigned by a quorum
    /// of the policy's witnesses; nil otherwise.
    private func verifiedSize(of note: String) -> Int64? {
        guard let checkpoint = try? Checkpoint.open(note, verifiedBy: builder.verifier),
            let body = try? SignedNote(parsing: note).text
        else { return nil }
        let cosigners = policy.witnesses.filter { $0.key.cosignatureLine(in: note, on: body) != nil }
        return cosigners.count >= policy.quorum ? checkpoint.size : nil
    }

    /// Sends `checkpoint` to `witness` with the consistency proof from `old`, once more from the
    /// size a 409 reports; answers the size the witness has cosigned and its valid cosignature line.
    private func send(_ checkpoint: StoredCheckpoint, to witness: WitnessEndpoint, old: Int64) async -> (
        Int64, String?
    ) {
        let metadata: Logger.Metadata = ["witness": "\(witness.key.name)", "url": "\(witness.url)"]
        var old = old
        for attempt in 1...2 {
            guard old <= checkpoint.size else { return (old, nil) }
            let response: HTTPResponse
            do {
                let proof =
                    old == 0 || old == checkpoint.size
                    ? []
                    : try await store.withStoredTree {
                        $0.consistencyProof(oldSize: old, newSize: checkpoint.size)
                    }
                let request = AddCheckpointRequest(oldSize: old, proof: proof, note: checkpoint.note)
                response = try await HTTPClient.post(
                    Array(request.body.utf8),
                    to: witness.url.appending("add-checkpoint"),
                    timeout: configuration.requestTimeout
                )
            } catch {
                logger.warning("cannot send the checkpoint to a witness: \(error)", metadata: metadata)
                return (old, nil)
            }
            let answer = String(decoding: response.body, as: UTF8.self)
            switch response.status {
            case 200:
                guard let body = try? SignedNote(parsing: checkpoint.note).text,
                    let line = witness.key.cosignatureLine(in: answer, on: body)
                else {
                    logger.warning("the witness answered no valid cosignature", metadata: metadata)
                    return (old, nil)
                }
                return (checkpoint.size, line)
            case 409 where attempt == 1:
                guard response.header("content-type") == "text/x.tlog.size",
                    let size = Int64(answer.trimmingCharacters(in: .newlines)), size >= 0
                else {
                    logger.warning("the witness's 409 answer has no size: \(answer)", metadata: metadata)
                    return (old, nil)
                }
                old = size
            default:
                logger.warning(
                    "the witness refused the checkpoint",
                    metadata: metadata.merging(["status": "\(response.status)", "reason": "\(answer)"]) { $1 }
                )
                return (old, nil)
            }
        }
        return (old, nil)
    }
}
