-- tracemesh collector store, schema 8: one index of applied traces by destination serves both the traces of one
-- route (an agent's traces to one destination by one method, in time order) and the traces toward a destination
-- prefix (a range of destinations). Schema 1 and 4 kept an index for each: one more entry written per trace.
DROP INDEX IF EXISTS applied_traces_route;
DROP INDEX IF EXISTS applied_traces_destination;
CREATE INDEX applied_traces_destination ON applied_traces (dst_num, agent_id, method, started_at);
