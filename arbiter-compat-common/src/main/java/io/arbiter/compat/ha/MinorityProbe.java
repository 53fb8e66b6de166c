package io.arbiter.compat.ha;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Tries, again and again, to begin and commit a global transaction on one node (with {@link RawTm}): run against
 * a node cut off from the majority, every attempt must fail or time out.
 *
 * <p>Threading: its own thread between {@link #start} and {@link #stop}.
 */
public final class MinorityProbe {
    /**
     * One attempt: when it began and ended, the XID if the begin was acknowledged, the status if the commit was,
     * and the error otherwise.
     */
    public record Attempt(long startNs, long endNs, String xid, String commitStatus, String error) {
        public boolean acknowledged() {
            return xid != null;
        }
    }

    private final String host;
    private final int port;
    private final Duration timeout;
    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    public MinorityProbe(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.thread = new Thread(this::loop, "minority-probe");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Asks the probe to stop after its current attempt (returns at once). */
    public void requestStop() {
        running = false;
    }

    /** Stops the probe and waits for its current attempt to end. */
    public void stop() throws InterruptedException {
        running = false;
        thread.join(timeout.toMillis() * 3 + 1000);
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    private void loop() {
        while (running) {
            long start = System.nanoTime();
            String xid = null;
            String status = null;
            String error = null;
            try (RawTm tm = new RawTm(host, port, timeout)) {
                // a short timeout: a begin that the node completes after the heal is rolled back soon
                xid = tm.begin(5_000, "ha-minority-probe");
                status = tm.commit(xid);
            } catch (Exception e) {
                error = Workload.chain(e);
            }
            attempts.add(new Attempt(start, System.nanoTime(), xid, status, error));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
