package net.tracemesh.collector.history;

/**
 * Where two routes part.
 *
 * @param ttl           the first TTL at which they differ: two known, different hops; one route ended and the other
 *                      goes on; or, when every hop matches but they ended differently, the stop TTL
 * @param lastCommonTtl the last TTL before {@code ttl} at which both routes have the same known hop; 0 when there is
 *                      none (they differ from the vantage point on)
 * @param lastCommonHop the hop at {@code lastCommonTtl}, or null when that is 0
 */
public record Divergence(int ttl, int lastCommonTtl, RouteHop lastCommonHop) {
    public Divergence {
        if (ttl < 1 || lastCommonTtl < 0 || lastCommonTtl >= ttl) {
            throw new IllegalArgumentException("need 0 <= last common ttl < divergence ttl, got " + lastCommonTtl
                    + ", " + ttl);
        }
        if ((lastCommonTtl == 0) != (lastCommonHop == null) || (lastCommonHop != null && lastCommonHop.isSilent())) {
            throw new IllegalArgumentException("a known last common hop is given exactly when its TTL is not 0");
        }
    }
}
