package net.tracemesh.agent.config;

import java.nio.file.Path;
import net.tracemesh.measurement.AgentSelector;

/**
 * Who the agent is ({@code agent:} in agent.yaml).
 *
 * @param id      the agent's id, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, or null: the daemon then generates one
 *                and keeps it in the data directory [null]
 * @param site    a label for people ("Frankfurt DC1"), at most 100 characters, matched by measurements' agent
 *                labels ["" ]
 * @param dataDir where the agent keeps its state (generated id, spool) [./tracemesh-agent-data]
 */
public record IdentityConfig(String id, String site, Path dataDir) {
    public static final Path DEFAULT_DATA_DIR = Path.of("./tracemesh-agent-data");
    public static final int MAX_SITE_LENGTH = AgentSelector.MAX_LABEL_LENGTH;

    public IdentityConfig {
        if (id != null && !AgentSelector.AGENT_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("agent.id: '" + id + "' is not an agent id (letters, digits, '.', '_',"
                    + " '-', at most 64, starting with a letter or digit)");
        }
        if (site == null) {
            site = "";
        }
        if (site.length() > MAX_SITE_LENGTH) {
            throw new IllegalArgumentException("agent.site: at most " + MAX_SITE_LENGTH + " characters, got "
                    + site.length());
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("agent.data-dir: is missing");
        }
    }
}
