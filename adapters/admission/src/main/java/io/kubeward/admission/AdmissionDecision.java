package io.kubeward.admission;

import io.kubeward.engine.Finding;
import java.util.List;
import java.util.Map;

/**
 * The answer to one review, before it is written in the request's API version.
 *
 * @param code      the HTTP-style status code of a denial (403 for violations, 500 for an internal
 *                  error under {@code onError: deny}); 200 when allowed
 * @param reason    the status reason of a denial ({@code Forbidden}, {@code InternalError})
 * @param message   why it was denied: each violation with rule id, container and field
 * @param patch     the RFC 6902 JSON patch of the mutating webhook (plain JSON), or null
 * @param enforced  the findings that denied it (enforce mode)
 * @param warned    the findings returned as warnings (warn mode)
 * @param audited   the findings recorded for audit (audit mode)
 */
public record AdmissionDecision(
        String uid,
        boolean allowed,
        int code,
        String reason,
        String message,
        List<String> warnings,
        Map<String, String> auditAnnotations,
        String patch,
        AdmissionMetrics.Result result,
        List<Finding> enforced,
        List<Finding> warned,
        List<Finding> audited) {

    public AdmissionDecision {
        warnings = List.copyOf(warnings);
        auditAnnotations = Map.copyOf(auditAnnotations);
        enforced = List.copyOf(enforced);
        warned = List.copyOf(warned);
        audited = List.copyOf(audited);
    }

    static AdmissionDecision allow(String uid, AdmissionMetrics.Result result, List<String> warnings, Map<String, String> annotations) {
        return new AdmissionDecision(uid, true, 200, null, null, warnings, annotations, null, result, List.of(), List.of(), List.of());
    }
}
