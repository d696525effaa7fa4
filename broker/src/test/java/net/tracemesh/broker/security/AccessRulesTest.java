package net.tracemesh.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;

/** The ACL sets of agents and services: exactly what each needs, literal resources, allow only. */
class AccessRulesTest {
    /** Each ACL as {@code TYPE:name OPERATION}. */
    private static Set<String> rules(List<AclBinding> acls) {
        return acls.stream().map(a -> a.pattern().resourceType() + ":" + a.pattern().name() + " "
                + a.entry().operation()).collect(Collectors.toSet());
    }

    @Test
    void anAgentWritesItsResultsAndOnlyReadsDefinitions() {
        List<AclBinding> acls = AccessRules.agent("tm.", "fra1-a");
        assertThat(rules(acls)).containsExactlyInAnyOrder(
                "TOPIC:tm.hops WRITE", "TOPIC:tm.hops DESCRIBE",
                "TOPIC:tm.traces WRITE", "TOPIC:tm.traces DESCRIBE",
                "TOPIC:tm.pings WRITE", "TOPIC:tm.pings DESCRIBE",
                "TOPIC:tm.heartbeats WRITE", "TOPIC:tm.heartbeats DESCRIBE",
                "TOPIC:tm.errors WRITE", "TOPIC:tm.errors DESCRIBE",
                "TOPIC:tm.measurements READ", "TOPIC:tm.measurements DESCRIBE");
        assertThat(acls).allSatisfy(a -> {
            assertThat(a.entry().principal()).isEqualTo("User:fra1-a");
            assertThat(a.entry().host()).isEqualTo("*");
            assertThat(a.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            assertThat(a.pattern().patternType()).isEqualTo(PatternType.LITERAL);
        });
        assertThat(AccessRules.looksLikeAgent("tm.", acls)).isTrue();
    }

    @Test
    void theCollectorReadsPathsInItsGroupAndWritesDeadLetters() {
        assertThat(rules(AccessRules.collector("tm.", "collector", "tm-collector"))).containsExactlyInAnyOrder(
                "TOPIC:tm.hops READ", "TOPIC:tm.hops DESCRIBE", "TOPIC:tm.traces READ", "TOPIC:tm.traces DESCRIBE",
                "GROUP:tm-collector READ", "GROUP:tm-collector DESCRIBE",
                "TOPIC:tm.dead-letter WRITE", "TOPIC:tm.dead-letter DESCRIBE");
        assertThat(AccessRules.looksLikeAgent("tm.", AccessRules.collector("tm.", "c", "g"))).isFalse();
    }

    @Test
    void theWebReadsStatusAndDefinitionsAndIsTheOnlyDefinitionsWriter() {
        assertThat(rules(AccessRules.web("tm.", "web"))).containsExactlyInAnyOrder(
                "TOPIC:tm.heartbeats READ", "TOPIC:tm.heartbeats DESCRIBE", "TOPIC:tm.errors READ",
                "TOPIC:tm.errors DESCRIBE", "TOPIC:tm.measurements READ", "TOPIC:tm.measurements DESCRIBE",
                "TOPIC:tm.measurements WRITE");
        assertThat(AccessRules.looksLikeAgent("tm.", AccessRules.web("tm.", "web"))).isFalse();
    }

    @Test
    void namesAreAgentIdsAndNotTheBrokersOwn() {
        assertThatThrownBy(() -> AccessRules.agent("tm.", "tracemesh-admin")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> AccessRules.agent("tm.", "tracemesh-controller")).hasMessageContaining("reserved");
        for (String bad : new String[] {"", "-a", "a b", "a/b", "User:x", "x".repeat(65)}) {
            assertThatThrownBy(() -> AccessRules.agent("tm.", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AccessRules.agent("tm.", "a".repeat(64))).isNotEmpty();
    }
}
