package io.kubeward.engine.psp;

/** An inclusive range of user or group ids of a PodSecurityPolicy rule. */
public record IdRange(long min, long max) {

    public boolean contains(long id) {
        return id >= min && id <= max;
    }

    public boolean overlaps(IdRange other) {
        return min <= other.max && other.min <= max;
    }

    @Override
    public String toString() {
        return min == max ? Long.toString(min) : min + "-" + max;
    }
}
