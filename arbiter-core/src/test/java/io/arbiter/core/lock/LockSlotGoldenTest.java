package io.arbiter.core.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The slot of a row key and the row keys of a lock key are a contract between nodes and versions: every node must
 * route a row to the same fragment. If this test fails, the change needs a versioned migration, not a new golden
 * value.
 */
class LockSlotGoldenTest {

    @Test
    void slotOfIsPinned() {
        Map<String, Integer> golden = new LinkedHashMap<>();
        golden.put("jdbc:mysql://db:3306/shop^^^stock^^^1", 543);
        golden.put("jdbc:mysql://db:3306/shop^^^stock^^^2", 540);
        golden.put("r^^^t^^^pk", 1865);
        golden.put("a", 97);
        golden.put("", 0);
        golden.put("jdbc:pg/\u5e93\u5b58^^^\u5546\u54c1^^^\u4e3b\u952e-1", 1400); // CJK
        golden.put("ressource^^^tabl\u00e9^^^cl\u00e9\ud83d\ude00", 2769); // Latin-1 and a surrogate pair
        golden.put("r^^^^^^", 628); // empty table and pk
        golden.put("r^^^t^^^", 1036); // empty pk
        golden.put("^^^^^^", 13952); // empty resource, table and pk
        golden.put("jdbc:mysql://db:3306/shop^^^order_line^^^" + "x".repeat(300), 383);
        golden.put("jdbc:oracle:thin:@//h:1521/ORCL^^^T_ORDER^^^100000000000000000001", 15282);
        golden.forEach((row, slot) ->
                assertThat(LockTable.slotOf(row)).as("slot of %s", row).isEqualTo(slot));
        assertThat(LockTable.SLOTS).isEqualTo(16384);
    }

    @Test
    void rowKeysArePinned() {
        assertThat(LockKeys.rowKeys("jdbc:pg/db", "stock:1,2;orders:7,,8;;stock:1"))
                .containsExactly(
                        "jdbc:pg/db^^^stock^^^1",
                        "jdbc:pg/db^^^stock^^^2",
                        "jdbc:pg/db^^^orders^^^7",
                        "jdbc:pg/db^^^orders^^^8");
        assertThat(LockKeys.rowKeys("jdbc:pg/\u5e93", "\u8868:\u952e1,\u952e2"))
                .containsExactly("jdbc:pg/\u5e93^^^\u8868^^^\u952e1", "jdbc:pg/\u5e93^^^\u8868^^^\u952e2");
        assertThat(LockKeys.rowKeys("r", "t:a:b,c")).containsExactly("r^^^t^^^a:b", "r^^^t^^^c");
        assertThat(LockKeys.rowKeys("r", null)).isEmpty();
        assertThat(LockKeys.rowKeys("r", " ")).isEmpty();
    }
}
