package net.tracemesh.collector.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.wire.Ipv4Address;

/**
 * A synthetic internetwork shared by every agent of the collector benchmark, built only from the benchmarking
 * ranges of RFC 2544 (never public addresses): infrastructure in 198.18.0.0/16, destinations in 198.19.0.0/16.
 *
 * <p>A path from an agent's site to a destination crosses, in order:
 * <ol>
 *   <li>the site: one of two gateways ({@code 198.18.S.1/.2}, an equal-cost pair), for a quarter of the sites a
 *       firewall ({@code .253}), and the site edge ({@code .254});</li>
 *   <li>the site's region (one of {@value #REGIONS}): one of two aggregation routers and one of two region
 *       borders ({@code 198.18.(100+R).x});</li>
 *   <li>the core: two parallel planes of a ring of {@value #CORE_POSITIONS} routers ({@code 198.18.200.x}); the
 *       flow picks the plane, the shorter way round the ring is taken (both ways are equal at the far side), and
 *       the routers of plane B at odd positions are MPLS label switches that quote their label stack;</li>
 *   <li>the destination side: one of the two provider edges at the ring position the destination's /24 block
 *       attaches to ({@code 198.18.210.x}), for some blocks one or two transit routers ({@code 198.18.23x.B},
 *       a third of them inside an MPLS tunnel), one of two metro routers shared by four blocks
 *       ({@code 198.18.220.x}), for some blocks a firewall ({@code 198.19.B.253}), the block's edge router
 *       ({@code 198.19.B.254}) and the destination ({@code 198.19.B.H}, hosts 1..{@value #HOSTS_PER_BLOCK}).</li>
 * </ol>
 * That is 9 to 19 positions, about 13 on average (traces toward silent destinations probe 5 TTLs further).
 *
 * <p>Equal-cost choices are made by hashing the flow, so a Paris trace (one flow) sees one consistent path while
 * classic traceroute (a new flow per probe) may see different branches at consecutive TTLs. Routes change between
 * rounds: a core router is down for a round now and then (flows move to the other plane), a block is reached
 * through another core position for a few rounds (its provider edge and core path change), and a site gateway is
 * under maintenance for a round (every flow of the site uses the other one). A few routers never answer probes.
 * Everything follows from the seed: the same seed builds the same network.
 */
final class SyntheticTopology {
    /** Destinations per /24 block. */
    static final int HOSTS_PER_BLOCK = 200;
    /** Blocks of 198.19.0.0/16 available to destinations. */
    static final int MAX_BLOCKS = 256;
    static final int MAX_DESTINATIONS = HOSTS_PER_BLOCK * MAX_BLOCKS;
    /** Sites are {@code 198.18.1.0/24} to {@code 198.18.99.0/24}. */
    static final int MAX_SITES = 99;
    static final int REGIONS = 6;
    static final int CORE_POSITIONS = 12;
    /** Ring distance at which both directions are equally short. */
    private static final int FAR_SIDE = CORE_POSITIONS / 2;

    private static final int INFRASTRUCTURE = Ipv4Address.parse("198.18.0.0");
    private static final int DESTINATION_NET = Ipv4Address.parse("198.19.0.0");
    private static final int REGION_OCTET = 100;
    private static final int CORE_OCTET = 200;
    private static final int PROVIDER_EDGE_OCTET = 210;
    private static final int METRO_OCTET = 220;
    private static final int TRANSIT_OCTET = 230;
    private static final int AGENT_HOST = 10;
    private static final int GATEWAY_HOST = 1;
    private static final int FIREWALL_HOST = 253;
    private static final int EDGE_HOST = 254;
    private static final int REGION_BORDER_HOST = 11;
    private static final int CORE_PLANE_STRIDE = 32;
    private static final int BLOCKS_PER_METRO = 4;
    private static final int MAX_TRANSIT_HOPS = 2;
    /** How many consecutive rounds a block stays re-homed once it is. */
    private static final int REHOME_ROUNDS = 3;

    private static final double SITE_FIREWALL_SHARE = 0.25;
    private static final double BLOCK_FIREWALL_SHARE = 0.15;
    private static final double TRANSIT_BLOCK_SHARE = 0.3;
    private static final double MPLS_TRANSIT_SHARE = 0.35;
    private static final double SILENT_ROUTER_SHARE = 0.04;
    private static final double LINUX_ROUTER_SHARE = 0.3;
    private static final double CORE_FAILURE_PER_ROUND = 0.04;
    private static final double REHOME_PER_EPOCH = 0.05;
    private static final double GATEWAY_MAINTENANCE_PER_ROUND = 0.03;

    /** Initial TTLs of router replies: most routers start at 255, Linux-based ones at 64. */
    static final int ROUTER_INITIAL_TTL = 255;
    static final int HOST_INITIAL_TTL = 64;

    private static final int FIRST_MPLS_LABEL = 16;
    private static final int MPLS_LABEL_SPACE = 1 << 20;
    private static final int MPLS_QUOTED_TTL = 1;

    // salts of the independent hash decisions
    private static final long SALT_GATEWAY = 1;
    private static final long SALT_AGGREGATION = 2;
    private static final long SALT_BORDER = 3;
    private static final long SALT_PLANE = 4;
    private static final long SALT_DIRECTION = 5;
    private static final long SALT_EDGE = 6;
    private static final long SALT_METRO = 7;
    private static final long SALT_ATTACH = 8;
    private static final long SALT_REHOME = 9;
    private static final long SALT_FAILURE = 10;
    private static final long SALT_MAINTENANCE = 11;
    private static final long SALT_SILENT = 12;
    private static final long SALT_LINUX = 13;
    private static final long SALT_FIREWALL = 14;
    private static final long SALT_TRANSIT = 15;
    private static final long SALT_DELAY = 16;
    private static final long SALT_REGION_DELAY = 17;

    private final long seed;
    private final int sites;
    private final int destinations;

    /**
     * @param seed         seed of every choice
     * @param sites        agent sites, 1..{@value #MAX_SITES}
     * @param destinations destinations, 1..{@link #MAX_DESTINATIONS}
     */
    SyntheticTopology(long seed, int sites, int destinations) {
        if (sites < 1 || sites > MAX_SITES) {
            throw new IllegalArgumentException("sites must be 1.." + MAX_SITES + ", got " + sites);
        }
        if (destinations < 1 || destinations > MAX_DESTINATIONS) {
            throw new IllegalArgumentException("destinations must be 1.." + MAX_DESTINATIONS + ", got "
                    + destinations);
        }
        this.seed = seed;
        this.sites = sites;
        this.destinations = destinations;
    }

    int sites() {
        return sites;
    }

    int destinations() {
        return destinations;
    }

    /** Number of /24 blocks the destinations fill. */
    int blocks() {
        return (destinations + HOSTS_PER_BLOCK - 1) / HOSTS_PER_BLOCK;
    }

    /** The agent's source address at site {@code site} (0-based). */
    int agentAddress(int site) {
        return infra(site + 1, AGENT_HOST);
    }

    /** Destination {@code index} (0-based): host {@code index % 200 + 1} of block {@code index / 200}. */
    int destination(int index) {
        if (index < 0 || index >= destinations) {
            throw new IllegalArgumentException("destination index " + index + " is outside 0.." + (destinations - 1));
        }
        return DESTINATION_NET | (index / HOSTS_PER_BLOCK) << 8 | (index % HOSTS_PER_BLOCK + 1);
    }

    /** The /24 block of destination {@code index}. */
    static int blockOf(int index) {
        return index / HOSTS_PER_BLOCK;
    }

    /** The network address of block {@code block}. */
    static int blockNetwork(int block) {
        return DESTINATION_NET | block << 8;
    }

    /** The routers of the core ring, both planes. */
    List<Integer> coreRouters() {
        List<Integer> out = new ArrayList<>();
        for (int plane = 0; plane < 2; plane++) {
            for (int pos = 0; pos < CORE_POSITIONS; pos++) {
                out.add(coreRouter(plane, pos));
            }
        }
        return out;
    }

    /**
     * The path that flow {@code flow} from site {@code site} to destination {@code destIndex} takes in round
     * {@code round}.
     */
    NetworkPath path(int site, int destIndex, long flow, int round) {
        int block = blockOf(destIndex);
        PathBuilder b = new PathBuilder();
        int siteOctet = site + 1;

        boolean gatewayAway = FlowHash.chance(FlowHash.of(seed, SALT_MAINTENANCE, site, round),
                GATEWAY_MAINTENANCE_PER_ROUND);
        int gateway = gatewayAway ? 1 : FlowHash.pick(FlowHash.of(flow, SALT_GATEWAY), 2);
        b.hop(infra(siteOctet, GATEWAY_HOST + gateway), 250 + site % 5 * 60, null);
        if (FlowHash.chance(FlowHash.of(seed, SALT_FIREWALL, site), SITE_FIREWALL_SHARE)) {
            b.hop(infra(siteOctet, FIREWALL_HOST), 80, null);
        }
        b.hop(infra(siteOctet, EDGE_HOST), 150, null);

        int region = site * REGIONS / Math.max(sites, REGIONS) % REGIONS;
        int regionOctet = REGION_OCTET + region;
        int regionDelay = 800 + FlowHash.pick(FlowHash.of(seed, SALT_REGION_DELAY, site), 3_200);
        int aggregation = 1 + (site % 2) * 2 + FlowHash.pick(FlowHash.of(flow, SALT_AGGREGATION), 2);
        b.hop(infra(regionOctet, aggregation), regionDelay, null);
        b.hop(infra(regionOctet, REGION_BORDER_HOST + FlowHash.pick(FlowHash.of(flow, SALT_BORDER), 2)), 300, null);

        int entry = region * (CORE_POSITIONS / REGIONS);
        int exit = attachment(block, round);
        int[] ring = ringWalk(entry, exit, flow);
        int plane = FlowHash.pick(FlowHash.of(flow, SALT_PLANE), 2);
        if (anyDown(plane, ring, round)) {
            plane = 1 - plane;
        }
        for (int pos : ring) {
            int router = coreRouter(plane, pos);
            List<MplsLabel> stack = plane == 1 && pos % 2 == 1
                    ? List.of(label(FlowHash.of(seed, router, exit), true)) : null;
            b.hop(router, 1_500 + FlowHash.pick(FlowHash.of(seed, SALT_DELAY, router), 3_500), stack);
        }

        b.hop(infra(PROVIDER_EDGE_OCTET, exit * 4 + 1 + FlowHash.pick(FlowHash.of(flow, SALT_EDGE), 2)), 400, null);
        long transit = FlowHash.of(seed, SALT_TRANSIT, block);
        if (FlowHash.chance(transit, TRANSIT_BLOCK_SHARE)) {
            int hops = 1 + FlowHash.pick(FlowHash.mix(transit), MAX_TRANSIT_HOPS);
            boolean tunnel = FlowHash.chance(FlowHash.mix(transit + 1), MPLS_TRANSIT_SHARE);
            for (int i = 0; i < hops; i++) {
                int router = infra(TRANSIT_OCTET + i, block);
                List<MplsLabel> stack = tunnel ? List.of(label(FlowHash.of(seed, router), false),
                        label(FlowHash.of(seed, block), true)) : null;
                b.hop(router, 300 + FlowHash.pick(FlowHash.of(seed, SALT_DELAY, router), 1_700), stack);
            }
        }
        int metro = block / BLOCKS_PER_METRO;
        b.hop(infra(METRO_OCTET, metro * 2 + 1 + FlowHash.pick(FlowHash.of(flow, SALT_METRO), 2)), 500, null);
        int blockNet = blockNetwork(block);
        if (FlowHash.chance(FlowHash.of(seed, SALT_FIREWALL, block, 1), BLOCK_FIREWALL_SHARE)) {
            b.hop(blockNet | FIREWALL_HOST, 60, null);
        }
        b.hop(blockNet | EDGE_HOST, 250, null);
        b.hop(destination(destIndex), 200, null);
        return b.build();
    }

    /**
     * Whether router {@code address} never answers probes (it drops or rate-limits them all). Block firewalls
     * never answer.
     */
    boolean silent(int address) {
        if ((address & 0xFF) == FIREWALL_HOST && (address & 0xFFFF0000) == DESTINATION_NET) {
            return true;
        }
        return FlowHash.chance(FlowHash.of(seed, SALT_SILENT, address), SILENT_ROUTER_SHARE);
    }

    /** The IP TTL a router's replies start with. */
    int initialTtl(int address) {
        return FlowHash.chance(FlowHash.of(seed, SALT_LINUX, address), LINUX_ROUTER_SHARE)
                ? HOST_INITIAL_TTL : ROUTER_INITIAL_TTL;
    }

    /** The core position block {@code block} attaches to in round {@code round}. */
    int attachment(int block, int round) {
        int home = FlowHash.pick(FlowHash.of(seed, SALT_ATTACH, block), CORE_POSITIONS);
        if (FlowHash.chance(FlowHash.of(seed, SALT_REHOME, block, round / REHOME_ROUNDS), REHOME_PER_EPOCH)) {
            return (home + 1 + FlowHash.pick(FlowHash.of(seed, SALT_REHOME, block), CORE_POSITIONS - 1))
                    % CORE_POSITIONS;
        }
        return home;
    }

    /** The ring positions from {@code entry} to {@code exit}, both included, the shorter way round. */
    private static int[] ringWalk(int entry, int exit, long flow) {
        int forward = Math.floorMod(exit - entry, CORE_POSITIONS);
        int step;
        int distance;
        if (forward < FAR_SIDE) {
            step = 1;
            distance = forward;
        } else if (forward > FAR_SIDE) {
            step = -1;
            distance = CORE_POSITIONS - forward;
        } else {
            step = FlowHash.pick(FlowHash.of(flow, SALT_DIRECTION), 2) == 0 ? 1 : -1;
            distance = FAR_SIDE;
        }
        int[] walk = new int[distance + 1];
        for (int i = 0; i <= distance; i++) {
            walk[i] = Math.floorMod(entry + i * step, CORE_POSITIONS);
        }
        return walk;
    }

    private boolean anyDown(int plane, int[] ring, int round) {
        for (int pos : ring) {
            if (FlowHash.chance(FlowHash.of(seed, SALT_FAILURE, coreRouter(plane, pos), round),
                    CORE_FAILURE_PER_ROUND)) {
                return true;
            }
        }
        return false;
    }

    private static int coreRouter(int plane, int pos) {
        return infra(CORE_OCTET, plane * CORE_PLANE_STRIDE + pos + 1);
    }

    private static int infra(int thirdOctet, int host) {
        return INFRASTRUCTURE | thirdOctet << 8 | host;
    }

    private static MplsLabel label(long hash, boolean bottom) {
        return new MplsLabel(FIRST_MPLS_LABEL + FlowHash.pick(hash, MPLS_LABEL_SPACE - FIRST_MPLS_LABEL), 0, bottom,
                MPLS_QUOTED_TTL);
    }

    /** Collects positions with their cumulative one-way delay. */
    private static final class PathBuilder {
        private final int[] addresses = new int[32];
        private final int[] delays = new int[32];
        private final List<List<MplsLabel>> stacks = new ArrayList<>(32);
        private int n;
        private int total;

        void hop(int address, int delayMicros, List<MplsLabel> stack) {
            total += delayMicros;
            addresses[n] = address;
            delays[n] = total;
            stacks.add(stack);
            n++;
        }

        NetworkPath build() {
            return new NetworkPath(Arrays.copyOf(addresses, n), Arrays.copyOf(delays, n), stacks);
        }
    }
}
