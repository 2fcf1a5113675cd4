package io.kubeward.manifest;

/**
 * Guards against input that would exhaust memory: the size of one file or stream, the number of
 * aliases to collections in one document (the "billion laughs" attack), and the number of values
 * a document may expand to once aliases are resolved.
 */
public record ReaderLimits(long maxBytes, int maxAliases, int maxValues, int maxDepth) {

    public static final ReaderLimits DEFAULT = new ReaderLimits(64L * 1024 * 1024, 100, 2_000_000, 200);

    public ReaderLimits {
        if (maxBytes <= 0 || maxAliases < 0 || maxValues <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException("reader limits must be positive");
        }
    }
}
