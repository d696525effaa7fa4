-- tracemesh collector store, schema 9: a key's current route is its latest route period, and current_routes only
-- says which period that is. Schema 1 kept a copy of that period's route, times and count there too, so every trace
-- rewrote two rows of hundreds of bytes; now the row changes only when the route does. The copies were written with
-- their periods in the same transaction, so the periods hold all they held.
ALTER TABLE current_routes DROP COLUMN route;
ALTER TABLE current_routes DROP COLUMN first_seen;
ALTER TABLE current_routes DROP COLUMN last_seen;
ALTER TABLE current_routes DROP COLUMN observations;
