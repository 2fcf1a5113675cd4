package io.kubeward.engine.network;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.Source;
import java.util.ArrayList;
import java.util.List;

/** Test input: YAML documents (separated by {@code ---} lines) read with fabric8's serialization. */
final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    static List<InputObject> parse(String yaml) {
        List<InputObject> out = new ArrayList<>();
        int document = 0;
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            document++;
            if (doc.isBlank()) {
                continue;
            }
            HasMetadata o = SERIALIZATION.unmarshal(doc);
            out.add(new InputObject(o, Source.of("test.yaml", document, 1)));
        }
        return out;
    }

    static Connectivity analyze(String yaml) {
        return NetworkPolicyAnalyzer.analyze(parse(yaml));
    }

    /** A Deployment with pod labels given as {@code k=v,k2=v2} and optional container ports {@code name:number/PROTO}. */
    static String deployment(String namespace, String name, String labels, String... ports) {
        StringBuilder sb = new StringBuilder();
        sb.append("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ").append(name).append('\n');
        if (namespace != null) {
            sb.append("  namespace: ").append(namespace).append('\n');
        }
        sb.append("spec:\n  selector: {}\n  template:\n    metadata:\n      labels:\n");
        for (String kv : labels.split(",")) {
            String[] p = kv.split("=", 2);
            sb.append("        ").append(p[0]).append(": \"").append(p[1]).append("\"\n");
        }
        sb.append("    spec:\n      containers:\n      - name: main\n        image: nginx\n");
        if (ports.length > 0) {
            sb.append("        ports:\n");
            for (String port : ports) {
                String[] nameRest = port.split(":", 2);
                String[] numProto = nameRest[1].split("/", 2);
                sb.append("        - name: ").append(nameRest[0]).append("\n          containerPort: ").append(numProto[0]).append('\n');
                if (numProto.length > 1) {
                    sb.append("          protocol: ").append(numProto[1]).append('\n');
                }
            }
        }
        return sb.append("---\n").toString();
    }

    static String namespace(String name, String labels) {
        StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n");
        if (labels != null && !labels.isEmpty()) {
            sb.append("  labels:\n");
            for (String kv : labels.split(",")) {
                String[] p = kv.split("=", 2);
                sb.append("    ").append(p[0]).append(": \"").append(p[1]).append("\"\n");
            }
        }
        return sb.append("---\n").toString();
    }
}
