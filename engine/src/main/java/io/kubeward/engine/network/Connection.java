package io.kubeward.engine.network;

/** One connected ordered pair and what it allows. */
public record Connection(Peer source, Peer destination, ConnectionSet connections) {

    /** {@code src => dst : connections}, one connlist line. */
    public String line() {
        return source.display() + " => " + destination.display() + " : " + connections;
    }

    @Override
    public String toString() {
        return line();
    }
}
