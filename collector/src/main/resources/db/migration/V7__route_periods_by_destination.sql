-- tracemesh collector store, schema 7: the route periods toward a destination prefix are found by destination alone.
-- The index of schema 1 held last_seen too, which every trace of a period changes: each trace moved its period's
-- entry in the index (and kept PostgreSQL from updating the row in place). A prefix's periods are read from this
-- index and their times checked on the rows, as before.
DROP INDEX route_periods_destination;
CREATE INDEX route_periods_destination ON route_periods (destination_num);
