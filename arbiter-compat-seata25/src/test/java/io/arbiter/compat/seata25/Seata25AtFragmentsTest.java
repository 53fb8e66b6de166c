package io.arbiter.compat.seata25;

import static io.arbiter.compat.db.Schemas.addStock;
import static io.arbiter.compat.db.Schemas.putStock;
import static io.arbiter.compat.db.Schemas.stock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.SlotMap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The same scenarios against a node whose state is split into four fragments (Raft groups), plus retiring a
 * fragment that owns lock slots while a row of its slots is held ({@code docs/LOCKS.md} "Moving slots").
 */
class Seata25AtFragmentsTest extends Seata25AtTest {
    private static final int RETIRED = 2;

    @Override
    protected Map<String, String> serverSettings() {
        // slots in every fragment: the retire below moves the slots of one that is not the first
        return Map.of("arbiter.fragments", "4", "arbiter.lock-fragments", "4");
    }

    @Test
    void aRowHeldWhileTheFragmentOwningItRetiresStaysHeldUntilItsTransactionCommits() throws Exception {
        SlotMap initial = SlotMap.spread(List.of(0, 1, 2, 3));
        int pk = 5_000;
        while (initial.ownerOf(LockKeys.rowKeys(atResource(), "stock:" + pk).get(0)) != RETIRED) {
            pk++;
        }
        putStock(atRaw(), pk, 100);
        GlobalTx holder = beginOutside(RETIRED);
        assertThat(addStock(at(), pk, -1)).isEqualTo(1);
        holder.suspend();
        String row = "stock:" + pk;
        assertThat(client().lockQuery(atResource(), null, row)).isFalse();

        post("/api/v1/fragments/retire?fragment=" + RETIRED);
        within(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(fragmentIds()).isNotEmpty().doesNotContain(RETIRED));

        // its slots went to another fragment with the held row: still held there
        assertThat(client().lockQuery(atResource(), null, row)).isFalse();
        GlobalTx rival = client().begin("compat-at-rival-after-move", 30_000);
        int rowOf = pk;
        Throwable failure = catchThrowable(() -> addStock(at(), rowOf, -5));
        assertThat(client().isLockConflict(failure))
                .as("lock conflict: %s", failure)
                .isTrue();
        assertThat(rival.rollback()).isEqualTo("Rollbacked");
        client().unbind();

        assertThat(holder.commit()).isEqualTo("Committed");
        within(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(client().lockQuery(atResource(), null, row)).isTrue());
        GlobalTx next = client().begin("compat-at-after-move", 30_000);
        assertThat(addStock(at(), pk, -1)).isEqualTo(1);
        assertThat(next.commit()).isEqualTo("Committed");
        assertThat(stock(atRaw(), pk)).isEqualTo(98);
    }

    private static ConditionFactory within(Duration d) {
        return Awaitility.await().atMost(d).pollInterval(Duration.ofMillis(200));
    }

    /** A transaction of any fragment but {@code fragment} (those begun there on the way end at once). */
    private GlobalTx beginOutside(int fragment) throws Exception {
        for (int i = 0; i < 50; i++) {
            GlobalTx tx = client().begin("compat-at-holder", 60_000);
            String xid = tx.xid();
            if (FragmentIds.fragmentOfId(Long.parseLong(xid.substring(xid.lastIndexOf(':') + 1))) != fragment) {
                return tx;
            }
            tx.rollback();
            client().unbind();
        }
        throw new AssertionError("every begin landed in fragment " + fragment);
    }

    private List<Integer> fragmentIds() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(send("GET", "/api/v1/fragments"));
        List<Integer> ids = new java.util.ArrayList<>();
        doc.path("fragments").forEach(f -> ids.add(f.path("id").asInt()));
        return ids;
    }

    private void post(String path) throws Exception {
        send("POST", path);
    }

    private String send(String method, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc().httpPort() + path))
                .timeout(Duration.ofSeconds(30));
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        method.equals("GET")
                                ? b.GET().build()
                                : b.POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
        return r.body();
    }
}
