package io.arbiter.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.ClientVersion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seata's RM channel choice: exact client, then same app and IP, then same app, then (AT) any app. */
class RmDirectoryTest {
    private final RmDirectory directory = new RmDirectory();

    private EmbeddedChannel rm(String app, String ip, int port, String... resources) {
        EmbeddedChannel ch = new EmbeddedChannel();
        directory.add(
                ch,
                new ClientSession(ClientSession.Role.RM, ClientVersion.LATEST, app, "g", ip, port),
                List.of(resources));
        return ch;
    }

    @Test
    void choiceFollowsSeatasOrder() {
        EmbeddedChannel otherApp = rm("other", "10.0.0.1", 1, "db");
        EmbeddedChannel sameAppElsewhere = rm("app", "10.0.0.9", 2, "db");
        EmbeddedChannel sameAppSameIp = rm("app", "10.0.0.1", 3, "db");
        EmbeddedChannel exact = rm("app", "10.0.0.1", 4, "db");

        assertThat(directory.choose("db", "app:10.0.0.1:4", "app", false)).isSameAs(exact);
        exact.close();
        assertThat(directory.choose("db", "app:10.0.0.1:4", "app", false)).isSameAs(sameAppSameIp);
        sameAppSameIp.close();
        assertThat(directory.choose("db", "app:10.0.0.1:4", "app", false)).isSameAs(sameAppElsewhere);
        directory.remove(sameAppElsewhere);
        assertThat(directory.choose("db", "app:10.0.0.1:4", "app", false)).isNull();
        assertThat(directory.choose("db", "app:10.0.0.1:4", "app", true)).isSameAs(otherApp);
        assertThat(directory.choose("unknown", "app:10.0.0.1:4", "app", true)).isNull();
    }

    @Test
    void laterRegistrationsAddResources() {
        EmbeddedChannel ch = rm("app", "10.0.0.1", 1, "a");
        ClientSession session = directory.sessions().get(0);
        directory.add(ch, session, List.of("b"));
        assertThat(directory.choose("b", session.clientId(), "app", false)).isSameAs(ch);
        assertThat(directory.oneChannelPerResource()).containsOnlyKeys("a", "b");
    }
}
