package io.arbiter.server.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * Seata's {@code seata_exception} summary: every ERROR log event that carries an exception counts once under the
 * exception's class name, as Seata's server counts them with a Logback appender. The appender is added to the root
 * logger of the process's Logback context when the node starts (whatever Logback configuration is in use) and
 * removed when it stops; with several nodes in one process each counts every node's errors.
 *
 * <p>At most {@link #MAX_CLASSES} class names get a series of their own; errors of further classes count under
 * {@link #OTHER}, so a flood of distinct exceptions cannot grow the exposition without bound.
 *
 * <p>Threading: {@link #append} from any logging thread (a map look-up and adders); {@link #write} from the scraping
 * thread.
 */
final class ErrorLogMeter extends AppenderBase<ILoggingEvent> {
    static final int MAX_CLASSES = 100;
    static final String OTHER = "other";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Map<String, SeataSummary> byClass = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final int maxClasses;
    private Logger root;

    ErrorLogMeter(LongSupplier clock) {
        this(clock, MAX_CLASSES);
    }

    ErrorLogMeter(LongSupplier clock, int maxClasses) {
        this.clock = clock;
        this.maxClasses = maxClasses;
        setName("arbiter-seata-exception-" + INSTANCES.incrementAndGet());
    }

    /** Starts counting the process's error log events (nothing happens when Logback is not the logging backend). */
    void attach() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            setContext(context);
            start();
            root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.addAppender(this);
        }
    }

    /** Stops counting. */
    void detach() {
        if (root != null) {
            root.detachAppender(this);
            root = null;
        }
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown == null || !event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            return;
        }
        String name = thrown.getClassName();
        SeataSummary summary = byClass.get(name);
        if (summary == null) {
            String key = byClass.size() < maxClasses ? name : OTHER;
            summary = byClass.computeIfAbsent(key, k -> new SeataSummary(clock.getAsLong()));
        }
        summary.increase(1);
    }

    /** Appends the series, if any error was logged since the node started (each scrape starts a new window). */
    void write(StringBuilder out) {
        if (byClass.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        SeataExposition e = SeataExposition.exceptions(out, now);
        new TreeMap<>(byClass).forEach((name, summary) -> e.exception(name, summary.drain(now)));
    }
}
