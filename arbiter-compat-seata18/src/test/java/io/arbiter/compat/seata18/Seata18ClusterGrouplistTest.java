package io.arbiter.compat.seata18;

import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.scenario.ClusterTc;
import io.arbiter.compat.scenario.SharedCoordinator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;

/**
 * The Seata client against three node processes with eight fragments, found through a grouplist of every node. The AT, TCC and XA scenarios share that coordinator and one client
 * ({@link SharedCoordinator}); XA runs last.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class Seata18ClusterGrouplistTest {
    @BeforeAll
    static void start() throws Exception {
        SharedCoordinator.open(
                new Seata18Client(),
                Map.of(),
                settings -> ClusterTc.start("grouplist", 3, 8, Discovery.STATIC_GROUPLIST, settings));
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
