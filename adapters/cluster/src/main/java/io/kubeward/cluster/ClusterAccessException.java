package io.kubeward.cluster;

/**
 * The cluster cannot be used at all: no usable kubeconfig, an unknown context, a report kind the
 * cluster does not serve. The message says what is wrong and what to do; it is meant for people.
 */
public class ClusterAccessException extends RuntimeException {

    public ClusterAccessException(String message) {
        super(message);
    }

    public ClusterAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
