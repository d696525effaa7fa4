package net.tracemesh.web.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Server-Sent Events text of each event: its name, one line of snake_case JSON, a blank line. */
class LiveEventFormatTest {
    private static final Instant T = Instant.parse("2026-11-23T10:15:30Z");

    @Test
    void traces() {
        assertThat(LiveRoutes.format(LiveEvent.traces(3, T)))
                .isEqualTo("event: traces\ndata: {\"merged\":3,\"latest\":\"2026-11-23T10:15:30Z\"}\n\n");
    }

    @Test
    void routeChange() {
        assertThat(LiveRoutes.format(LiveEvent.routeChange(new LiveEvent.RouteChange("fra1", "198.18.9.9",
                "udp-paris", T, 4)))).isEqualTo("event: route-change\ndata: {\"agent_id\":\"fra1\","
                + "\"destination\":\"198.18.9.9\",\"method\":\"udp-paris\",\"time\":\"2026-11-23T10:15:30Z\","
                + "\"divergence_ttl\":4}\n\n");
    }

    @Test
    void agents() {
        assertThat(LiveRoutes.format(LiveEvent.agents(2, 5))).isEqualTo("event: agents\ndata: {\"online\":2,"
                + "\"total\":5}\n\n");
    }
}
