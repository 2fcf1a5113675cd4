package io.kubeward.engine.psp;

/** An inclusive range of host ports a PodSecurityPolicy allows. */
public record PortRange(int min, int max) {

    public boolean contains(int port) {
        return port >= min && port <= max;
    }

    public boolean overlaps(PortRange other) {
        return min <= other.max && other.min <= max;
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
