-- tracemesh collector store, schema 2: what the web's live feed polls every second while a browser watches,
-- "traces merged since the last poll" (applied_traces.closed_at > cursor). Route changes since the cursor already
-- have route_changes_time.
CREATE INDEX applied_traces_closed ON applied_traces (closed_at);
