package net.tracemesh.agent.lab;

/** One veth pair of the lab: interface {@code aInterface} in {@code a} is cabled to {@code bInterface} in {@code b}. */
public record VethLink(Netns a, String aInterface, Netns b, String bInterface, int mtu) {

    public boolean connects(Netns x, Netns y) {
        return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
    }

    /** The far end seen from {@code side}, or null when {@code side} is not on this link. */
    public Netns peerOf(Netns side) {
        if (a.equals(side)) {
            return b;
        }
        return b.equals(side) ? a : null;
    }

    /** The interface name this link has inside {@code side}, or null when {@code side} is not on this link. */
    public String interfaceIn(Netns side) {
        if (a.equals(side)) {
            return aInterface;
        }
        return b.equals(side) ? bInterface : null;
    }
}
