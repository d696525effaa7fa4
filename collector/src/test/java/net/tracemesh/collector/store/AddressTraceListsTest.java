package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressTraceListsTest {
    private static final Instant HOUR = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aListHoldsTracesOfOneHourInStartOrder() {
        List<TraceAtAddress> traces = new ArrayList<>(List.of(
                new TraceAtAddress(HOUR.plusSeconds(3_600), "fra1", "f-3", 2),
                new TraceAtAddress(HOUR.minusNanos(1_000), "fra1", "f-0", 2),
                new TraceAtAddress(HOUR.plusSeconds(3_599), "fra1", "f-2", 2),
                new TraceAtAddress(HOUR, "fra1", "f-1", 2)));
        List<AddressTraceLists.Row> rows = new ArrayList<>();
        AddressTraceLists.addRows(7, traces, rows);
        assertThat(rows).extracting(r -> r.traces().stream().map(TraceAtAddress::traceId).toList())
                .containsExactly(List.of("f-0"), List.of("f-1", "f-2"), List.of("f-3"));
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.addrNum()).isEqualTo(7);
            assertThat(r.lastStarted()).isBefore(r.firstStarted().plus(AddressTraceLists.SPAN));
        });
    }

    @Test
    void aBusyAddressGetsSeveralLists() {
        List<TraceAtAddress> traces = new ArrayList<>();
        for (int i = 0; i < AddressTraceLists.MAX_TRACES * 2 + 1; i++) {
            traces.add(new TraceAtAddress(HOUR.plusNanos(i * 1_000L), "fra1", "f-" + i, 1));
        }
        List<AddressTraceLists.Row> rows = new ArrayList<>();
        AddressTraceLists.addRows(7, traces, rows);
        assertThat(rows).extracting(r -> r.traces().size())
                .containsExactly(AddressTraceLists.MAX_TRACES, AddressTraceLists.MAX_TRACES, 1);
    }

    @Test
    void timesAreKeptToTheMicrosecondAsTheStoreKeepsThem() {
        assertThat(AddressTraceLists.toMicros(HOUR.plusNanos(1_499))).isEqualTo(HOUR.plusNanos(1_000));
        assertThat(AddressTraceLists.toMicros(HOUR.plusNanos(1_500))).isEqualTo(HOUR.plusNanos(2_000));
        assertThat(AddressTraceLists.toMicros(HOUR.plusNanos(999_999_999))).isEqualTo(HOUR.plusSeconds(1));
        assertThat(AddressTraceLists.toMicros(HOUR)).isEqualTo(HOUR);
    }
}
