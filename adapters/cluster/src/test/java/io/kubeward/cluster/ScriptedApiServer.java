package io.kubeward.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * fabric8's CRUD mock API server (real HTTPS on localhost) with what its CRUD mode lacks: lists
 * answered in pages ({@code limit} and {@code continue}, as the API server does), a log of the
 * requests, and hooks that answer chosen requests differently (a 403, a 410, a stall).
 */
final class ScriptedApiServer implements AutoCloseable {

    /** Answers a request, or returns null to let the CRUD server answer it. */
    interface Hook extends Function<RecordedRequest, MockResponse> {
    }

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Hook> hooks = new CopyOnWriteArrayList<>();
    private final KubernetesMockServer server;

    ScriptedApiServer() {
        Dispatcher dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request.getMethod() + " " + request.getPath());
                for (Hook h : hooks) {
                    MockResponse r = h.apply(request);
                    if (r != null) {
                        return r;
                    }
                }
                if ("GET".equals(request.getMethod()) && isPagedList(request.getPath())) {
                    return page(request.getPath());
                }
                return crud.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, true);
        server.init();
    }

    /** A new client of this server (the caller closes it). */
    KubernetesClient newClient() {
        return server.createClient();
    }

    /** A connection to this server with these time limits (the caller closes it). */
    ClusterConnection connect(String name, ConnectionSettings settings) {
        try (KubernetesClient c = server.createClient()) {
            return ClusterConnection.open(c.getConfiguration(), name, settings);
        }
    }

    KubernetesMockServer server() {
        return server;
    }

    void hook(Hook hook) {
        hooks.add(hook);
    }

    void clearHooks() {
        hooks.clear();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }

    /** A JSON Status response as the API server sends it. */
    static MockResponse status(int code, String reason, String message) {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + JSON.asJson(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    @Override
    public void close() {
        server.destroy();
    }

    private static boolean isPagedList(String path) {
        Map<String, String> q = query(path);
        return q.containsKey("limit") && !"true".equals(q.get("watch"));
    }

    /** The CRUD server's full list, cut at {@code continue} (an offset here) and {@code limit}. */
    @SuppressWarnings("unchecked")
    private MockResponse page(String path) {
        Map<String, String> q = query(path);
        int limit = Integer.parseInt(q.get("limit"));
        int offset = q.containsKey("continue") ? Integer.parseInt(q.get("continue").substring("offset-".length())) : 0;
        q.remove("limit");
        q.remove("continue");
        String base = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        StringBuilder rest = new StringBuilder();
        q.forEach((k, v) -> rest.append(rest.length() == 0 ? "?" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        MockResponse full = crud.handleGet(base + rest);
        if (full.code() != 200) {
            return full;
        }
        Map<String, Object> list = JSON.unmarshal(new String(full.getBody().getBytes(), StandardCharsets.UTF_8), Map.class);
        List<Object> items = (List<Object>) list.getOrDefault("items", List.of());
        if (items == null) {
            items = List.of();
        }
        int end = Math.min(items.size(), offset + limit);
        list.put("items", new ArrayList<>(items.subList(Math.min(offset, items.size()), end)));
        Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) list.getOrDefault("metadata", Map.of()));
        if (end < items.size()) {
            meta.put("continue", "offset-" + end);
            meta.put("remainingItemCount", items.size() - end);
        } else {
            meta.remove("continue");
        }
        list.put("metadata", meta);
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(JSON.asJson(list));
    }

    static Map<String, String> query(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = path.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String kv : path.substring(q + 1).split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
