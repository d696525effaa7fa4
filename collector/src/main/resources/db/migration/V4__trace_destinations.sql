-- tracemesh collector store, schema 4: the traces toward a destination prefix (applied_traces.dst_num in a range),
-- whose placeholders are the only ones a prefix-filtered map shows.
CREATE INDEX applied_traces_destination ON applied_traces (dst_num);
