package net.tracemesh.agent.route;

/** No way to send to a destination: no route, a reject route, or a next hop that does not answer ARP. */
public class NoRouteException extends RuntimeException {
    public NoRouteException(String message) {
        super(message);
    }
}
