import Domain

/// What a lane has planned for later simulated days, earliest first (ties in the order planned).
struct DemoAgenda: Sendable {
    /// A subject a follow-up can be about, by its handle in the lane.
    enum Subject: Sendable {
        case `case`(Int)
        case commitment(Int)
        case activity(Int)
    }

    enum Action: Sendable {
        case noteCase(Int)
        case closeCase(Int)
        case reopenCase(Int)
        case correctActivity(Int)
        case retractActivity(Int)
        case commitFromActivity(Int)
        case scheduleFollowUp(Subject)
        case progress(Int, level: CompletionLevel)
        case redate(Int, byDays: Int)
        case fulfil(Int)
        case cancelCommitment(Int)
        case reopenCommitment(Int)
        case block(Int)
        case complete(Int)
        case cancelFollowUp(Int)
    }

    struct Entry: Sendable {
        let day: Int
        let order: Int
        let action: Action

        func precedes(_ other: Entry) -> Bool { (day, order) < (other.day, other.order) }
    }

    private var heap: [Entry] = []
    private var planned = 0

    var count: Int { heap.count }
    var first: Entry? { heap.first }

    mutating func plan(_ action: Action, on day: Int) {
        heap.append(Entry(day: day, order: planned, action: action))
        planned += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
