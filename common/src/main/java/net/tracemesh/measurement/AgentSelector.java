package net.tracemesh.measurement;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which agents run a measurement: every agent, or the agents whose id is listed or whose site label is listed
 * (exact, case-sensitive matches). In JSON: {@code {"all": true}} or {@code {"ids": [...], "labels": [...]}}.
 *
 * @param all    every agent; then {@code ids} and {@code labels} are empty
 * @param ids    agent ids, each {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}; never null
 * @param labels site labels, each 1..100 characters; never null
 */
public record AgentSelector(boolean all, List<String> ids, List<String> labels) {
    /** What an agent id looks like (the same rule as measurement ids). */
    public static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The longest site label. */
    public static final int MAX_LABEL_LENGTH = 100;

    private static final AgentSelector ALL = new AgentSelector(true, List.of(), List.of());

    public AgentSelector {
        ids = ids == null ? List.of() : List.copyOf(ids);
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (all && (!ids.isEmpty() || !labels.isEmpty())) {
            throw new IllegalArgumentException("all: cannot be combined with ids or labels");
        }
        if (!all && ids.isEmpty() && labels.isEmpty()) {
            throw new IllegalArgumentException("selects no agent (give \"all\": true, or ids or labels)");
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!AGENT_ID.matcher(ids.get(i)).matches()) {
                throw new IllegalArgumentException("ids[" + i + "]: '" + ids.get(i)
                        + "' is not an agent id (letters, digits, '.', '_', '-', at most 64, starting with a letter"
                        + " or digit)");
            }
        }
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("labels[" + i + "]: a label must be 1.." + MAX_LABEL_LENGTH
                        + " characters, got " + label.length());
            }
        }
    }

    /** Every agent. */
    public static AgentSelector everyAgent() {
        return ALL;
    }

    /** The agents with one of these ids or site labels. */
    public static AgentSelector of(List<String> ids, List<String> labels) {
        return new AgentSelector(false, ids, labels);
    }

    /**
     * Whether the agent with this id and site label runs the measurement.
     *
     * @param siteLabel the agent's site label; null or empty matches no label
     */
    public boolean matches(String agentId, String siteLabel) {
        return all || ids.contains(agentId) || (siteLabel != null && labels.contains(siteLabel));
    }
}
