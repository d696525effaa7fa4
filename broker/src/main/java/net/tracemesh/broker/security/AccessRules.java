package net.tracemesh.broker.security;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.tracemesh.message.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs each kind of principal gets, as pure functions of the topic prefix and the name. Every ACL allows one
 * operation on one literal topic or group, from any host; nothing else is allowed (the broker denies whatever no
 * ACL allows).
 *
 * <ul>
 *   <li>an agent writes its results ({@code hops}, {@code traces}, {@code pings}, {@code heartbeats},
 *       {@code errors}) and reads the definitions ({@code measurements}); it needs no group (its definitions
 *       consumer assigns partitions itself) and no cluster permission (Kafka lets a principal that may write a
 *       topic use an idempotent producer);</li>
 *   <li>the collector reads {@code hops} and {@code traces} in its consumer group and writes
 *       {@code dead-letter};</li>
 *   <li>the web reads {@code heartbeats}, {@code errors} and {@code measurements} without a group and writes
 *       {@code measurements}.</li>
 * </ul>
 */
public final class AccessRules {
    /** An agent id, as the agent accepts it; also the rule for service names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Topics an agent writes, relative to the prefix. */
    public static final List<String> AGENT_WRITES = List.of(Topics.HOPS, Topics.TRACES, Topics.PINGS,
            Topics.HEARTBEATS, Topics.ERRORS);
    /** Topics an agent reads. */
    public static final List<String> AGENT_READS = List.of(Topics.MEASUREMENTS);
    /** The collector's default consumer group. */
    public static final String DEFAULT_COLLECTOR_GROUP = "tracemesh-collector";
    static final List<String> COLLECTOR_READS = List.of(Topics.HOPS, Topics.TRACES);
    static final List<String> WEB_READS = List.of(Topics.HEARTBEATS, Topics.ERRORS, Topics.MEASUREMENTS);
    static final List<String> WEB_WRITES = List.of(Topics.MEASUREMENTS);

    private AccessRules() {
    }

    /** The principal of a SCRAM user. */
    public static String principal(String user) {
        return "User:" + user;
    }

    /**
     * Checks a name for an agent or service principal.
     *
     * @throws IllegalArgumentException if it is not an agent id or is reserved for the broker
     */
    public static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid name (letters, digits, '.', '_', '-',"
                    + " at most 64, starting with a letter or digit; an agent's name is its agent.id)");
        }
        if (BrokerSecurity.RESERVED_USERS.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for the broker");
        }
        return name;
    }

    /** An agent's ACLs. */
    public static List<AclBinding> agent(String prefix, String agentId) {
        String p = principal(requireName(agentId));
        List<AclBinding> acls = new ArrayList<>();
        topics(acls, prefix, AGENT_WRITES, p, AclOperation.WRITE, AclOperation.DESCRIBE);
        topics(acls, prefix, AGENT_READS, p, AclOperation.READ, AclOperation.DESCRIBE);
        return List.copyOf(acls);
    }

    /** The collector's ACLs, with its consumer group. */
    public static List<AclBinding> collector(String prefix, String name, String groupId) {
        String p = principal(requireName(name));
        List<AclBinding> acls = new ArrayList<>();
        topics(acls, prefix, COLLECTOR_READS, p, AclOperation.READ, AclOperation.DESCRIBE);
        ResourcePattern group = new ResourcePattern(ResourceType.GROUP, groupId, PatternType.LITERAL);
        acls.add(new AclBinding(group, allow(p, AclOperation.READ)));
        acls.add(new AclBinding(group, allow(p, AclOperation.DESCRIBE)));
        topics(acls, prefix, List.of(Topics.DEAD_LETTER), p, AclOperation.WRITE, AclOperation.DESCRIBE);
        return List.copyOf(acls);
    }

    /** The web's ACLs. */
    public static List<AclBinding> web(String prefix, String name) {
        String p = principal(requireName(name));
        List<AclBinding> acls = new ArrayList<>();
        topics(acls, prefix, WEB_READS, p, AclOperation.READ, AclOperation.DESCRIBE);
        topics(acls, prefix, WEB_WRITES, p, AclOperation.WRITE);
        return List.copyOf(acls);
    }

    /** Whether a principal's ACLs make it an agent under {@code prefix}: it may write the heartbeats topic. */
    public static boolean looksLikeAgent(String prefix, List<AclBinding> acls) {
        return acls.stream().anyMatch(a -> a.pattern().resourceType() == ResourceType.TOPIC
                && a.pattern().name().equals(prefix + Topics.HEARTBEATS)
                && a.entry().operation() == AclOperation.WRITE
                && a.entry().permissionType() == AclPermissionType.ALLOW);
    }

    /** Adds, for each topic in turn, an ALLOW of each operation to {@code principal}. */
    private static void topics(List<AclBinding> acls, String prefix, List<String> topics, String principal,
                               AclOperation... operations) {
        for (String topic : topics) {
            for (AclOperation operation : operations) {
                acls.add(topic(prefix + topic, principal, operation));
            }
        }
    }

    private static AclBinding topic(String name, String principal, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL),
                allow(principal, operation));
    }

    private static AccessControlEntry allow(String principal, AclOperation operation) {
        return new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW);
    }
}
