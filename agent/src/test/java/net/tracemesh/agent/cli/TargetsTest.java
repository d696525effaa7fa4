package net.tracemesh.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.tracemesh.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {
    private static final InputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

    @TempDir
    Path dir;

    private static List<String> parse(String... arguments) {
        return format(Targets.parse(List.of(arguments), null, NO_STDIN));
    }

    private static List<String> format(int[] addresses) {
        return Arrays.stream(addresses).mapToObj(Ipv4Address::format).toList();
    }

    @Test
    void addressesAsGiven() {
        assertThat(parse("198.18.0.1", "198.18.9.2", "198.18.0.1")).containsExactly("198.18.0.1", "198.18.9.2",
                "198.18.0.1");
    }

    @Test
    void prefixesExpandToTheirHostAddresses() {
        assertThat(parse("198.18.4.0/30")).containsExactly("198.18.4.1", "198.18.4.2");
        assertThat(parse("198.18.4.0/31")).containsExactly("198.18.4.0", "198.18.4.1");
        assertThat(parse("198.18.4.7/32")).containsExactly("198.18.4.7");
        assertThat(parse("198.18.4.0/29")).containsExactly("198.18.4.1", "198.18.4.2", "198.18.4.3", "198.18.4.4",
                "198.18.4.5", "198.18.4.6");
        assertThat(parse("198.18.4.0/24")).hasSize(254).startsWith("198.18.4.1").endsWith("198.18.4.254");
    }

    @Test
    void hostBitsOfAPrefixAreIgnored() {
        assertThat(parse("198.18.4.6/30")).containsExactly("198.18.4.5", "198.18.4.6");
    }

    @Test
    void theLargestPrefixAllowedIsASlash12() {
        int[] all = Targets.parse(List.of("198.16.0.0/12"), null, NO_STDIN);
        assertThat(all).hasSize((1 << 20) - 2);
        assertThat(Ipv4Address.format(all[0])).isEqualTo("198.16.0.1");
        assertThat(Ipv4Address.format(all[all.length - 1])).isEqualTo("198.31.255.254");
    }

    @Test
    void widerPrefixesAreRefused() {
        for (String prefix : List.of("10.0.0.0/8", "198.16.0.0/11", "0.0.0.0/0")) {
            assertThatThrownBy(() -> parse(prefix)).isInstanceOf(UsageException.class)
                    .hasMessage("prefix length of '" + prefix + "' must be 12..32 (argument)");
        }
    }

    @Test
    void noMoreThanTheMostTargets() {
        assertThatThrownBy(() -> parse("198.16.0.0/12", "10.0.0.0/12"))
                .isInstanceOf(UsageException.class).hasMessage("more than 1048576 targets");
    }

    @Test
    void filesSkipCommentsAndBlankLines() throws IOException {
        Path file = Files.writeString(dir.resolve("targets.txt"), """
                # lab targets
                198.18.0.1

                   \t
                198.18.0.4/31   # two of them
                  198.18.0.9#no space before the comment
                ### the end
                """);

        assertThat(format(Targets.parse(List.of("198.18.9.9"), file.toString(), NO_STDIN)))
                .containsExactly("198.18.9.9", "198.18.0.1", "198.18.0.4", "198.18.0.5", "198.18.0.9");
    }

    @Test
    void aDashReadsStandardInput() {
        InputStream stdin = new ByteArrayInputStream("198.18.0.1\r\n198.18.0.2/32\n".getBytes(StandardCharsets.UTF_8));
        assertThat(format(Targets.parse(List.of(), "-", stdin))).containsExactly("198.18.0.1", "198.18.0.2");
    }

    @Test
    void mistakesNameTheirPlace() throws IOException {
        Path file = Files.writeString(dir.resolve("t.txt"), "198.18.0.1\n\n198.18.0.300\n");
        assertThatThrownBy(() -> Targets.parse(List.of(), file.toString(), NO_STDIN))
                .isInstanceOf(UsageException.class).hasMessage("bad address '198.18.0.300' (" + file + " line 3)");
        assertThatThrownBy(() -> parse("198.18.0.0/x")).hasMessage("bad prefix '198.18.0.0/x' (argument)");
        assertThatThrownBy(() -> parse("under_score")).hasMessage("bad address 'under_score' (argument)");
        assertThatThrownBy(() -> parse("-leading.dash")).hasMessage("bad address '-leading.dash' (argument)");
    }

    @Test
    void nothingAtAllIsAMistake() {
        assertThatThrownBy(() -> Targets.parse(List.of(), null, NO_STDIN)).isInstanceOf(UsageException.class)
                .hasMessage("no target given (name one, or use --targets FILE)");
    }
}
