package net.tracemesh.web.http;

/** One group of API operations (queries, accounts, agents, measurements, live events), registered at start. */
public interface ApiModule {
    void register(ApiRouter api);
}
