-- tracemesh collector store, schema 6: placeholders keep no per-agent rows. A placeholder (a silent TTL of one trace)
-- and its links are seen by that trace's agent alone, the first part of the placeholder's key (agent/trace/ttl), with
-- every observation of their own rows: their node_agents and link_agents rows repeated those rows, at about two
-- fifths of the rows the collector writes per trace.
DELETE FROM link_agents WHERE link_kind = 'PLACEHOLDER';
DELETE FROM node_agents WHERE node_kind = 'ANONYMOUS';
