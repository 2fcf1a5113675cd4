package io.kubeward.engine.psp;

import static io.kubeward.engine.psp.Fixtures.object;
import static io.kubeward.engine.psp.Fixtures.policy;
import static io.kubeward.engine.psp.Fixtures.policyYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.model.Workload;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonPatchTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void addsReplacesAndRemovesWithEscapedPointers() {
        JsonNode from = JSON.readTree("{\"a\":1,\"b\":{\"c\":[1,2]},\"gone\":true,\"x/y\":{\"t~\":1},\"list\":[1]}");
        JsonNode to = JSON.readTree("{\"a\":2,\"b\":{\"c\":[1,3],\"d\":\"new\"},\"x/y\":{\"t~\":2},\"list\":[1,2]}");
        JsonPatch patch = JsonPatch.diff(from, to);
        assertEquals("[{\"op\":\"remove\",\"path\":\"/gone\"},{\"op\":\"replace\",\"path\":\"/a\",\"value\":2},"
                + "{\"op\":\"replace\",\"path\":\"/b/c/1\",\"value\":3},{\"op\":\"add\",\"path\":\"/b/d\",\"value\":\"new\"},"
                + "{\"op\":\"replace\",\"path\":\"/x~1y/t~0\",\"value\":2},{\"op\":\"replace\",\"path\":\"/list\",\"value\":[1,2]}]",
                patch.toJson());
        assertEquals(to, patch.applyTo(from));
        assertTrue(JsonPatch.diff(from, from).isEmpty());
        assertEquals("[]", JsonPatch.EMPTY.toJson());
    }

    @Test
    void thePatchOfADefaultedDeploymentAddsTheContainersSecurityContext() {
        Workload w = Workload.of(object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop, labels: {app: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginx
                        resources: {limits: {cpu: 500m, memory: 128Mi}}
                        ports: [{containerPort: 8080}]
                """).object(), null).orElseThrow();
        PolicyDefaults.Defaulted d = PolicyDefaults.apply(policy(policyYaml("p", "").replace("runAsUser: {rule: RunAsAny}",
                "runAsUser: {rule: MustRunAs, ranges: [{min: 2, max: 10}]}")), w);
        JsonPatch patch = JsonPatch.diff(w.getObject(), d.object());
        assertEquals("[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/securityContext\",\"value\":{\"runAsUser\":2}}]",
                patch.toJson());
        assertEquals(JsonPatch.tree(d.object()), patch.applyTo(JsonPatch.tree(w.getObject())));
    }

    @Test
    void aPatchThatDoesNotFitIsRefused() {
        JsonPatch patch = JsonPatch.diff(JSON.readTree("{\"a\":{\"b\":1}}"), JSON.readTree("{\"a\":{\"b\":2}}"));
        assertThrows(IllegalArgumentException.class, () -> patch.applyTo(JSON.readTree("{\"z\":1}")));
    }
}
