package io.beeperkeeper.viewers;

/**
 * The parts of an HTTP request that identity depends on, so the viewers package does not depend
 * on the web server: the socket's peer address and the request headers.
 */
public interface IncomingRequest {
    /** The peer address of the TCP connection (an IP literal). */
    String socketAddress();

    /** A request header's value, or null when absent. */
    String header(String name);
}
