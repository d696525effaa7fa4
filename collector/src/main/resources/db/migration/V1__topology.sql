-- tracemesh collector store, schema 1: applied traces and their hops, the merged topology graph, route history.
-- Written for both H2 (MODE=PostgreSQL) and PostgreSQL: standard types only (BYTEA is H2's alias of BINARY VARYING
-- and PostgreSQL's binary type), no MERGE / ON CONFLICT, no identity columns. Times are TIMESTAMP WITH TIME ZONE.
-- Node ends are (kind, key): kind is ADDRESS, AGENT or ANONYMOUS; link kind is DIRECT, INDIRECT or PLACEHOLDER.

-- One row per trace applied to the graph: the dedup key of the store (a trace is applied at most once).
CREATE TABLE applied_traces (
    agent_id        VARCHAR(64)              NOT NULL,
    trace_id        VARCHAR(128)             NOT NULL,
    measurement_id  VARCHAR(64)              NOT NULL,
    method          VARCHAR(16)              NOT NULL,
    src             VARCHAR(15)              NOT NULL,
    dst             VARCHAR(15)              NOT NULL,
    sport           INTEGER,
    dport           INTEGER,
    round_start     TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at        TIMESTAMP WITH TIME ZONE,
    stop_reason     VARCHAR(16),
    stop_icmp_code  INTEGER,
    stop_ttl        INTEGER,
    path_mtu        INTEGER,
    hop_count       INTEGER                  NOT NULL,
    complete        BOOLEAN                  NOT NULL,
    closure         VARCHAR(16)              NOT NULL,
    closed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (agent_id, trace_id)
);
CREATE INDEX applied_traces_route ON applied_traces (agent_id, dst, method, started_at);
CREATE INDEX applied_traces_started ON applied_traces (started_at);

-- The raw hop records of applied traces (pruned by retention; the graph keeps its summaries).
CREATE TABLE trace_hops (
    agent_id     VARCHAR(64)              NOT NULL,
    trace_id     VARCHAR(128)             NOT NULL,
    seq          INTEGER                  NOT NULL,
    ttl          INTEGER                  NOT NULL,
    probe        INTEGER                  NOT NULL,
    addr         VARCHAR(15)              NOT NULL,
    rtt_ms       DOUBLE PRECISION         NOT NULL,
    icmp_type    INTEGER,
    icmp_code    INTEGER,
    tcp_flags    VARCHAR(16),
    reply_ttl    INTEGER                  NOT NULL,
    mtu          INTEGER,
    mpls         VARCHAR(1024),
    observed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (agent_id, trace_id, seq),
    FOREIGN KEY (agent_id, trace_id) REFERENCES applied_traces (agent_id, trace_id) ON DELETE CASCADE
);
CREATE INDEX trace_hops_addr ON trace_hops (addr, observed_at);
CREATE INDEX trace_hops_observed ON trace_hops (observed_at);

CREATE TABLE nodes (
    node_kind     VARCHAR(16)              NOT NULL,
    node_key      VARCHAR(256)             NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    observations  BIGINT                   NOT NULL,
    destination   BOOLEAN                  NOT NULL,
    rtt           BYTEA,
    min_mtu       INTEGER,
    reply_types   VARCHAR(1024)            NOT NULL,
    mpls          VARCHAR(4096)            NOT NULL,
    PRIMARY KEY (node_kind, node_key)
);

CREATE TABLE node_agents (
    node_kind     VARCHAR(16)              NOT NULL,
    node_key      VARCHAR(256)             NOT NULL,
    agent_id      VARCHAR(64)              NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    observations  BIGINT                   NOT NULL,
    PRIMARY KEY (node_kind, node_key, agent_id),
    FOREIGN KEY (node_kind, node_key) REFERENCES nodes (node_kind, node_key)
);
CREATE INDEX node_agents_agent ON node_agents (agent_id);

CREATE TABLE links (
    from_kind               VARCHAR(16)              NOT NULL,
    from_key                VARCHAR(256)             NOT NULL,
    to_kind                 VARCHAR(16)              NOT NULL,
    to_key                  VARCHAR(256)             NOT NULL,
    link_kind               VARCHAR(16)              NOT NULL,
    first_seen              TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen               TIMESTAMP WITH TIME ZONE NOT NULL,
    observations            BIGINT                   NOT NULL,
    ambiguous_observations  BIGINT                   NOT NULL,
    min_gap                 INTEGER                  NOT NULL,
    max_gap                 INTEGER                  NOT NULL,
    rtt                     BYTEA,
    mtu                     INTEGER,
    PRIMARY KEY (from_kind, from_key, to_kind, to_key, link_kind),
    FOREIGN KEY (from_kind, from_key) REFERENCES nodes (node_kind, node_key),
    FOREIGN KEY (to_kind, to_key) REFERENCES nodes (node_kind, node_key)
);
CREATE INDEX links_to ON links (to_kind, to_key);

CREATE TABLE link_agents (
    from_kind     VARCHAR(16)              NOT NULL,
    from_key      VARCHAR(256)             NOT NULL,
    to_kind       VARCHAR(16)              NOT NULL,
    to_key        VARCHAR(256)             NOT NULL,
    link_kind     VARCHAR(16)              NOT NULL,
    agent_id      VARCHAR(64)              NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    observations  BIGINT                   NOT NULL,
    PRIMARY KEY (from_kind, from_key, to_kind, to_key, link_kind, agent_id),
    FOREIGN KEY (from_kind, from_key, to_kind, to_key, link_kind)
        REFERENCES links (from_kind, from_key, to_kind, to_key, link_kind)
);
CREATE INDEX link_agents_agent ON link_agents (agent_id);

-- The route each (agent, destination, method) follows now; period_no names its row in route_periods.
CREATE TABLE current_routes (
    agent_id      VARCHAR(64)              NOT NULL,
    destination   VARCHAR(15)              NOT NULL,
    method        VARCHAR(16)              NOT NULL,
    route         VARCHAR(16384)           NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    observations  BIGINT                   NOT NULL,
    period_no     INTEGER                  NOT NULL,
    PRIMARY KEY (agent_id, destination, method)
);

-- Every distinct route in turn (period 1, 2, ...), with when it was first and last observed.
CREATE TABLE route_periods (
    agent_id      VARCHAR(64)              NOT NULL,
    destination   VARCHAR(15)              NOT NULL,
    method        VARCHAR(16)              NOT NULL,
    period_no     INTEGER                  NOT NULL,
    route         VARCHAR(16384)           NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    observations  BIGINT                   NOT NULL,
    PRIMARY KEY (agent_id, destination, method, period_no)
);
CREATE INDEX route_periods_time ON route_periods (agent_id, destination, method, first_seen);

-- A change from period period_no - 1 to period_no.
CREATE TABLE route_changes (
    agent_id          VARCHAR(64)              NOT NULL,
    destination       VARCHAR(15)              NOT NULL,
    method            VARCHAR(16)              NOT NULL,
    period_no         INTEGER                  NOT NULL,
    changed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    old_route         VARCHAR(16384)           NOT NULL,
    old_first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    old_last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    new_route         VARCHAR(16384)           NOT NULL,
    divergence_ttl    INTEGER                  NOT NULL,
    last_common_ttl   INTEGER                  NOT NULL,
    last_common_hop   VARCHAR(1024),
    PRIMARY KEY (agent_id, destination, method, period_no)
);
CREATE INDEX route_changes_time ON route_changes (changed_at);
