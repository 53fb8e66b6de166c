package io.arbiter.compat.seata25;

import io.arbiter.compat.scenario.SharedCoordinator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;

/**
 * The Seata client against one node in this JVM with its default single fragment. The AT, TCC and XA scenarios share
 * that node and one client ({@link SharedCoordinator}); XA runs last. Also run with the 2.1-2.3 clients by
 * arbiter-compat-seata2x.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class Seata25OneNodeTest {
    @BeforeAll
    static void start() throws Exception {
        SharedCoordinator.openInProcess(new Seata25Client(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        SharedCoordinator.close();
    }

    @Nested
    @Order(1)
    class At extends Seata25AtTest {}

    @Nested
    @Order(2)
    class TmTcc extends Seata25TmTccTest {}

    @Nested
    @Order(3)
    class Xa extends Seata25XaTest {}
}
