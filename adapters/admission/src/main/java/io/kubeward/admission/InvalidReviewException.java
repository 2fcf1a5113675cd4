package io.kubeward.admission;

/**
 * The body is not an AdmissionReview kubeward can answer: malformed JSON, a missing
 * {@code request} or {@code uid}, an object of the wrong shape. The server answers HTTP 400 with
 * the message, which names the field at fault.
 */
public class InvalidReviewException extends RuntimeException {

    public InvalidReviewException(String message) {
        super(message);
    }

    public InvalidReviewException(String message, Throwable cause) {
        super(message, cause);
    }
}
