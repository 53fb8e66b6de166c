package io.arbiter.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code seata_exception} on {@code /metrics}: errors logged with an exception (through SLF4J and the real Logback
 * backend) count per exception class in Seata's labels; warnings and errors without an exception do not; each scrape
 * starts a new window; a node that stopped counts nothing more.
 */
class ErrorLogMeterTest {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorLogMeterTest.class);

    private static double sample(String text, String exceptionClass, String statistic) {
        Matcher m = Pattern.compile(
                        "^seata_exception\\{applicationId=\"" + Pattern.quote(exceptionClass)
                                + "\",meter=\"summary\",role=\"tc\",statistic=\"" + statistic + "\"} (\\S+) (\\d+)$",
                        Pattern.MULTILINE)
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void errorsLoggedWithAnExceptionCountPerClassInSeatasSeries() {
        AtomicLong now = new AtomicLong(1_000_000);
        try (NodeMetrics metrics = new NodeMetrics(now::get)) {
            assertThat(metrics.scrape()).as("no error yet: no family").doesNotContain("seata_exception");

            LOG.error("test error one", new IllegalStateException("boom"));
            LOG.error("test error two", new IllegalStateException("boom again"));
            LOG.error("test error three", new java.io.UncheckedIOException(new java.io.IOException("io")));
            LOG.warn("a warning with an exception does not count", new IllegalArgumentException("warn"));
            LOG.error("an error without an exception does not count");
            now.addAndGet(2_000);

            String first = metrics.scrape();
            assertThat(first).contains("# TYPE seata_exception untyped");
            assertThat(sample(first, "java.lang.IllegalStateException", "count"))
                    .isEqualTo(2.0);
            assertThat(sample(first, "java.lang.IllegalStateException", "total"))
                    .isEqualTo(2.0);
            assertThat(sample(first, "java.lang.IllegalStateException", "tps")).isEqualTo(1.0);
            assertThat(sample(first, "java.io.UncheckedIOException", "count")).isEqualTo(1.0);
            assertThat(first).doesNotContain("java.lang.IllegalArgumentException");

            String second = metrics.scrape();
            assertThat(sample(second, "java.lang.IllegalStateException", "count"))
                    .as("a new window")
                    .isZero();

            metrics.close();
            LOG.error("after the node stopped", new IllegalStateException("late"));
            assertThat(sample(metrics.scrape(), "java.lang.IllegalStateException", "count"))
                    .isZero();
        }
    }

    /** Past the cap, errors of further exception classes count under "other" (a flood cannot grow the series). */
    @Test
    void classesPastTheCapCountUnderOther() {
        ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        ch.qos.logback.classic.Logger logger = context.getLogger("capped");
        ErrorLogMeter meter = new ErrorLogMeter(() -> 5_000, 2);
        meter.setContext(context);
        meter.start();
        for (Throwable t : List.of(
                new IllegalStateException(),
                new IllegalArgumentException(),
                new ArithmeticException(),
                new UnsupportedOperationException(),
                new IllegalStateException())) {
            meter.doAppend(new ch.qos.logback.classic.spi.LoggingEvent(
                    getClass().getName(), logger, ch.qos.logback.classic.Level.ERROR, "boom", t, null));
        }
        StringBuilder out = new StringBuilder();
        meter.write(out);
        String text = out.toString();
        assertThat(sample(text, "java.lang.IllegalStateException", "count")).isEqualTo(2.0);
        assertThat(sample(text, "java.lang.IllegalArgumentException", "count")).isEqualTo(1.0);
        assertThat(sample(text, ErrorLogMeter.OTHER, "count")).isEqualTo(2.0);
        assertThat(text).doesNotContain("ArithmeticException", "UnsupportedOperationException");
    }
}
