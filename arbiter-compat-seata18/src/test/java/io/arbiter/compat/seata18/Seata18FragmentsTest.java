package io.arbiter.compat.seata18;

import io.arbiter.compat.scenario.SharedCoordinator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;

/**
 * The Seata client against one node whose state is split into four fragments (Raft groups). The AT, TCC and XA scenarios share that coordinator and one client
 * ({@link SharedCoordinator}); XA runs last.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class Seata18FragmentsTest {
    @BeforeAll
    static void start() throws Exception {
        SharedCoordinator.openInProcess(new Seata18Client(), Map.of("arbiter.fragments", "4"));
    }

    @AfterAll
    static void stop() throws Exception {
        SharedCoordinator.close();
    }

    @Nested
    @Order(1)
    class At extends Seata18AtTest {}

    @Nested
    @Order(2)
    class TmTcc extends Seata18TmTccTest {}

    @Nested
    @Order(3)
    class Xa extends Seata18XaTest {}
}
