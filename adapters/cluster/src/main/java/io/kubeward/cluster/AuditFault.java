package io.kubeward.cluster;

/**
 * Something that kept an audit from seeing the whole cluster, or a watch from staying current:
 * the API server unreachable or too slow, credentials refused, a kind the account may not list.
 * An audit with any fault is partial.
 *
 * @param reason   what kind of failure
 * @param resource the kind it concerns, or null when it concerns the whole audit
 * @param httpCode the API server's HTTP status, 0 when there was no answer
 * @param message  a sentence for people: what failed, what it means for the audit, what to do
 */
public record AuditFault(Reason reason, ResourceKind resource, int httpCode, String message) {

    public enum Reason {
        /** No connection to the API server (refused, unknown host, TLS failure, dropped). */
        UNREACHABLE,
        /** The API server did not answer within the request timeout. */
        TIMEOUT,
        /** 401: the credentials were refused. */
        UNAUTHORIZED,
        /** 403: the account may not list or watch this kind (missing RBAC). */
        FORBIDDEN,
        /** 410: a list's continue token or a watch's resource version expired. */
        EXPIRED,
        /** 404: the API server does not serve this kind. */
        NOT_SERVED,
        /** 400/422: the API server refused the request (a malformed label selector, say). */
        REJECTED,
        /** 5xx, 429 or anything else the API server answered with. */
        SERVER_ERROR,
        /** Kinds not read because the audit stopped after an earlier fault. */
        NOT_READ
    }

    /** The message: it names the kind itself when there is one. */
    public String display() {
        return message;
    }

    @Override
    public String toString() {
        return reason + (resource == null ? "" : " " + resource.display()) + ": " + message;
    }
}
