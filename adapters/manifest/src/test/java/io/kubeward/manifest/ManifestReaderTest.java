package io.kubeward.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.SourceLocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    final ManifestReader reader = new ManifestReader();

    static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: kubia-hostport
            spec:
              containers:
                - image: luksa/kubia
                  name: kubia
                  ports:
                    - containerPort: 8080
                      hostPort: 9000
            """;

    @Test
    void readsOnePodWithTheLineOfEveryField() {
        ReadResult r = reader.readString("pod.yaml", POD);
        assertEquals(List.of(), r.errors());
        InputObject o = r.objects().get(0);
        Pod pod = assertInstanceOf(Pod.class, o.object());
        assertEquals(9000, pod.getSpec().getContainers().get(0).getPorts().get(0).getHostPort());
        assertEquals(new SourceLocation("pod.yaml", 1, 11), o.locate("spec.containers[0].ports[0].hostPort"));
        assertEquals(new SourceLocation("pod.yaml", 1, 7), o.locate("spec.containers[0]"));
        // a field that is not written falls back to the nearest written parent
        assertEquals(new SourceLocation("pod.yaml", 1, 10), o.locate("spec.containers[0].ports[0].protocol"));
    }

    @Test
    void multiDocumentStreamsCountOnlyDocumentsWithContent() {
        String text = "---\n# only a comment\n---\n" + POD + "---\n\n---\n" + POD.replace("kubia-hostport", "second");
        ReadResult r = reader.readString("multi.yaml", text);
        assertEquals(List.of(), r.errors());
        assertEquals(2, r.objects().size());
        assertEquals(1, r.objects().get(0).source().document());
        assertEquals(2, r.objects().get(1).source().document());
        assertEquals("second", r.objects().get(1).object().getMetadata().getName());
        // line numbers are those of the whole stream
        assertEquals(18, r.objects().get(1).source().line());
    }

    @Test
    void aMalformedDocumentDoesNotHideTheOthers() {
        String text = POD + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n---\n" + POD.replace("kubia-hostport", "after");
        ReadResult r = reader.readString("mixed.yaml", text);
        assertEquals(2, r.objects().size());
        assertEquals(1, r.errors().size());
        InputError e = r.errors().get(0);
        assertEquals("mixed.yaml", e.file());
        assertEquals(2, e.document());
        assertTrue(e.line() >= 13 && e.line() <= 17, "line of the broken document: " + e.line());
        assertTrue(e.message().startsWith("malformed YAML"), e.message());
    }

    @Test
    void aDocumentWithoutKindIsAnErrorNamingTheField() {
        ReadResult r = reader.readString("nokind.yaml", "apiVersion: v1\nmetadata:\n  name: x\n");
        assertEquals(0, r.objects().size());
        InputError e = r.errors().get(0);
        assertEquals("kind", e.field());
        assertEquals(1, e.document());
        assertTrue(e.display().contains("nokind.yaml"), e.display());
        assertTrue(e.message().contains("no kind"), e.message());
    }

    @Test
    void aFieldOfTheWrongTypeNamesFieldAndLine() {
        String bad = POD.replace("containerPort: 8080", "containerPort: eighty");
        ReadResult r = reader.readString("wrongtype.yaml", bad);
        assertEquals(0, r.objects().size());
        InputError e = r.errors().get(0);
        assertEquals("spec.containers[0].ports[0].containerPort", e.field());
        assertEquals(10, e.line());
        assertTrue(e.message().contains("integer"), e.message());
        assertTrue(!e.message().contains("java."), "no Java type names for manifest authors: " + e.message());
    }

    @Test
    void aBooleanFieldWithAWordIsAnError() {
        ReadResult r = reader.readString("bool.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: maybe\n  containers: []\n");
        assertEquals(1, r.errors().size(), r.errors().toString());
        assertEquals("spec.hostNetwork", r.errors().get(0).field());
        assertEquals(5, r.errors().get(0).line());
    }

    @Test
    void yaml11BooleanWordsAreBooleansWhereABooleanBelongs() {
        String text = """
                apiVersion: v1
                kind: PodList
                items:
                  - metadata: {name: p}
                    spec:
                      hostNetwork: yes
                      hostPID: Off
                      containers:
                        - name: c
                          image: i
                          env: [{name: DEBUG, value: yes}]
                          securityContext: {privileged: ON, readOnlyRootFilesystem: n}
                """;
        ReadResult r = reader.readString("yaml11.yaml", text);
        assertEquals(List.of(), r.errors());
        Pod pod = assertInstanceOf(Pod.class, r.objects().get(0).object());
        assertEquals(Boolean.TRUE, pod.getSpec().getHostNetwork());
        assertEquals(Boolean.FALSE, pod.getSpec().getHostPID());
        assertEquals(Boolean.TRUE, pod.getSpec().getContainers().get(0).getSecurityContext().getPrivileged());
        assertEquals(Boolean.FALSE, pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem());
        // a string field keeps the word
        assertEquals("yes", pod.getSpec().getContainers().get(0).getEnv().get(0).getValue());
        // the line of the field is kept
        assertEquals(6, r.objects().get(0).locate("spec.hostNetwork").line());

        // quoted, it is a string, which a boolean field refuses as the API server does
        ReadResult quoted = reader.readString("quoted.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: \"yes\"\n  containers: []\n");
        assertEquals(1, quoted.errors().size(), quoted.errors().toString());
        assertEquals("spec.hostNetwork", quoted.errors().get(0).field());
    }

    @Test
    void listKindsAreExpandedAndItemsInheritTheirKind() {
        String text = """
                apiVersion: v1
                kind: PodList
                items:
                  - metadata:
                      name: a
                    spec:
                      containers: [{name: c, image: i}]
                  - apiVersion: v1
                    kind: Pod
                    metadata:
                      name: b
                    spec:
                      hostNetwork: true
                      containers: [{name: c, image: i}]
                """;
        ReadResult r = reader.readString("podlist.yaml", text);
        assertEquals(List.of(), r.errors());
        assertEquals(2, r.objects().size());
        assertInstanceOf(Pod.class, r.objects().get(0).object());
        assertEquals(4, r.objects().get(0).source().line());
        assertEquals(new SourceLocation("podlist.yaml", 1, 13), r.objects().get(1).locate("spec.hostNetwork"));
    }

    @Test
    void genericListAndJson() {
        String json = """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                   "spec": {"type": "NodePort", "ports": [{"port": 80, "targetPort": 8080, "nodePort": 30123}]}},
                  {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"},
                   "spec": {"selector": {}, "template": {"spec": {"containers": []}}}}
                ]}
                """;
        ReadResult r = reader.readString("list.json", json);
        assertEquals(List.of(), r.errors());
        Service s = assertInstanceOf(Service.class, r.objects().get(0).object());
        assertEquals(30123, s.getSpec().getPorts().get(0).getNodePort());
        assertEquals(8080, s.getSpec().getPorts().get(0).getTargetPort().getIntVal());
        assertInstanceOf(DaemonSet.class, r.objects().get(1).object());
    }

    @Test
    void customResourcesPassThroughAsGenericObjects() {
        ReadResult r = reader.readString("cr.yaml", "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s}\nspec: {replicas: 2}\n");
        assertEquals(List.of(), r.errors());
        GenericKubernetesResource g = assertInstanceOf(GenericKubernetesResource.class, r.objects().get(0).object());
        assertEquals("Prometheus", g.getKind());
    }

    @Test
    void legacyWorkloadApiVersionsAreReadAsTheirCurrentVersion() {
        String text = """
                apiVersion: extensions/v1beta1
                kind: Deployment
                metadata: {name: old}
                spec:
                  replicas: 2
                  template:
                    spec:
                      hostNetwork: true
                      containers: [{name: c, image: i}]
                """;
        ReadResult r = reader.readString("old.yaml", text);
        assertEquals(List.of(), r.errors());
        Deployment d = assertInstanceOf(Deployment.class, r.objects().get(0).object());
        assertEquals("extensions/v1beta1", d.getApiVersion());
        assertTrue(d.getSpec().getTemplate().getSpec().getHostNetwork());
    }

    @Test
    void mergeKeysAreResolved() {
        String text = """
                apiVersion: v1
                kind: Pod
                metadata: {name: merged}
                spec:
                  containers:
                    - &base {name: a, image: i, ports: [{containerPort: 80, hostPort: 8080}]}
                    - <<: *base
                      name: b
                """;
        ReadResult r = reader.readString("merge.yaml", text);
        assertEquals(List.of(), r.errors());
        Pod p = (Pod) r.objects().get(0).object();
        assertEquals("b", p.getSpec().getContainers().get(1).getName());
        assertEquals(8080, p.getSpec().getContainers().get(1).getPorts().get(0).getHostPort());
    }

    @Test
    void aliasBombsAreRefusedWithAClearMessage() {
        StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            sb.append("  a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ",").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        ReadResult r = reader.readString("bomb.yaml", sb.toString());
        assertEquals(0, r.objects().size());
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().contains("alias"), r.errors().get(0).message());
    }

    @Test
    void expansionBeyondTheValueBudgetIsRefused() {
        ManifestReader small = new ManifestReader(new ReaderLimits(1 << 20, 100, 50, 200));
        StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  base: &b [1,2,3,4,5,6,7,8,9,10]\n  copies: [*b, *b, *b, *b, *b]\n");
        ReadResult r = small.readString("wide.yaml", sb.toString());
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().contains("more than 50 values"), r.errors().get(0).message());
    }

    @Test
    void oversizedInputIsRefusedWithTheLimit() {
        ManifestReader small = new ManifestReader(new ReaderLimits(100, 100, 1000, 200));
        ReadResult r = small.read("-", new ByteArrayInputStream(POD.getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, r.objects().size());
        assertTrue(r.errors().get(0).message().contains("limit of 100 bytes"), r.errors().get(0).message());
    }

    @Test
    void stdinIsNamedDash() {
        ReadResult r = reader.read(List.of(Path.of("-")), new ByteArrayInputStream(POD.getBytes(StandardCharsets.UTF_8)));
        assertEquals("-", r.objects().get(0).source().file());
    }

    @Test
    void scalarDocumentsAreNotObjects() {
        ReadResult r = reader.readString("scalar.yaml", "just a string\n");
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().contains("not a Kubernetes object"), r.errors().get(0).message());
    }

    @Test
    void foldersAreWalkedRecursivelyAndBadFilesDoNotStopTheOthers(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/pod.yaml"), POD);
        Files.writeString(dir.resolve("a/pod.yml"), POD.replace("kubia-hostport", "second"));
        Files.writeString(dir.resolve("broken.yaml"), "kind: Pod\n  bad: [indent\n");
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/config.yaml"), "kind: [");
        ReadResult r = reader.read(dir);
        assertEquals(3, r.files());
        assertEquals(2, r.objects().size());
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).file().endsWith("broken.yaml"));
    }

    @Test
    void aMissingPathIsAnError() {
        ReadResult r = reader.read(Path.of("does/not/exist.yaml"));
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().contains("no such file"));
        assertNull(r.errors().get(0).field());
    }

    @Test
    void duplicateKeysAreAnError() {
        ReadResult r = reader.readString("dup.yaml", "apiVersion: v1\nkind: Pod\nkind: Service\nmetadata: {name: x}\n");
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().toLowerCase().contains("duplicate"), r.errors().get(0).message());
    }
}
