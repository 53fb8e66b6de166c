package io.arbiter.core;

import io.arbiter.core.command.RequestId;
import io.arbiter.core.result.Result;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers of recently applied requests, so that a retried request is applied once. Bounded: the oldest entries
 * leave first, deterministically (same history, same contents, on every replica).
 */
final class Deduplicator {
    private final int capacity;
    private final LinkedHashMap<RequestId, Result> answers = new LinkedHashMap<>();

    Deduplicator(int capacity) {
        this.capacity = capacity;
    }

    Result answerOf(RequestId id) {
        return answers.get(id);
    }

    void remember(RequestId id, Result result) {
        answers.put(id, result);
        if (answers.size() > capacity) {
            var oldest = answers.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    Map<RequestId, Result> entries() {
        return answers;
    }
}
