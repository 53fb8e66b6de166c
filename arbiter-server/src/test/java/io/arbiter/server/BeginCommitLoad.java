package io.arbiter.server;

import static org.awaitility.Awaitility.await;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A begin + commit loop of one registered TM on one node, in a thread of its own, counting what committed and what
 * did not (with the reason) until closed: the load the cluster tests keep running through membership changes.
 */
final class BeginCommitLoad implements AutoCloseable {
    final AtomicInteger committed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    BeginCommitLoad(ArbiterNode entry) {
        thread = new Thread(
                () -> {
                    try (RawSeataClient tm = RawSeataClient.tm(entry.port())) {
                        while (running.get()) {
                            GlobalBeginResponse b = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "p"));
                            GlobalCommitResponse c = b.resultCode() == ResultCode.Success
                                    ? (GlobalCommitResponse) tm.call(new GlobalCommitRequest(b.xid()))
                                    : null;
                            if (c != null && c.globalStatus() == GlobalStatus.Committed) {
                                committed.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                failures.add(
                                        b.resultCode() + " " + b.msg() + (c == null ? "" : " " + c.globalStatus()));
                            }
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        failures.add(e.toString());
                    }
                },
                "placement-load");
        thread.start();
    }

    void awaitProgress(int more) {
        int from = committed.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> committed.get() >= from + more);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
