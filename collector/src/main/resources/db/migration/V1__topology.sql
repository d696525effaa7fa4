-- tracemesh collector store, schema 1: applied traces and their hops, the merged topology graph, route history.
-- Written for both H2 (MODE=PostgreSQL) and PostgreSQL: standard types only (BYTEA is H2's alias of BINARY VARYING
-- and PostgreSQL's binary type), no MERGE / ON CONFLICT, no identity columns. Times are TIMESTAMP WITH TIME ZONE.
-- Node ends are (kind, key): kind is ADDRESS, AGENT or ANONYMOUS; link kind is DIRECT, INDIRECT or PLACEHOLDER.

-- One row per trace applied to the graph: the dedup key of the store (a trace is applied at most once). hops holds
-- the trace's hop records in HopsCodec's binary form; retention sets it to NULL (the row, and so dedup, stays).
-- Addresses also appear as numbers (*_num: the IPv4 address as an unsigned 32-bit value) for prefix ranges.
CREATE TABLE applied_traces (
    agent_id        VARCHAR(64)              NOT NULL,
    trace_id        VARCHAR(128)             NOT NULL,
    measurement_id  VARCHAR(64)              NOT NULL,
    method          VARCHAR(16)              NOT NULL,
    src             VARCHAR(15)              NOT NULL,
    dst             VARCHAR(15)              NOT NULL,
    dst_num         BIGINT                   NOT NULL,
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
    hop_records     INTEGER                  NOT NULL,
    hops            BYTEA,
    PRIMARY KEY (agent_id, trace_id)
);
CREATE INDEX applied_traces_route ON applied_traces (agent_id, dst, method, started_at);
CREATE INDEX applied_traces_started ON applied_traces (started_at);

-- Which traces saw which replying address (one row per address per trace, at its smallest TTL): the index of
-- "traces through address X or prefix P between T1 and T2". Pruned by retention with the hop records.
CREATE TABLE trace_addresses (
    addr_num     BIGINT                   NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    agent_id     VARCHAR(64)              NOT NULL,
    trace_id     VARCHAR(128)             NOT NULL,
    min_ttl      INTEGER                  NOT NULL,
    PRIMARY KEY (addr_num, started_at, agent_id, trace_id)
);
CREATE INDEX trace_addresses_started ON trace_addresses (started_at);

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
    destination_num BIGINT                 NOT NULL,
    route         VARCHAR(16384)           NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    observations  BIGINT                   NOT NULL,
    PRIMARY KEY (agent_id, destination, method, period_no)
);
CREATE INDEX route_periods_time ON route_periods (agent_id, destination, method, first_seen);
CREATE INDEX route_periods_destination ON route_periods (destination_num, last_seen);

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
