package io.kubeward.manifest;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.engine.FieldLines;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.Source;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import tools.jackson.core.JacksonException;

/**
 * Reads Kubernetes manifests: YAML or JSON files, folders (recursively: {@code .yaml}, {@code .yml},
 * {@code .json}), multi-document streams, {@code kind: List} and {@code *List} objects, and stdin.
 *
 * <p>Every object keeps its file, document and the line of each of its fields. A bad document
 * (malformed YAML, no {@code kind}, a field of the wrong type) becomes an {@link InputError} naming
 * the file, document, line and field; the other documents and files are still read. Custom
 * resources and unknown kinds are read as generic objects. Thread-safe.
 */
public final class ManifestReader {

    /** Old API groups of workload kinds, read as their current version (the pod spec is the same). */
    private static final Map<String, String> LEGACY_API_VERSIONS = Map.of(
            "extensions/v1beta1", "apps/v1",
            "apps/v1beta1", "apps/v1",
            "apps/v1beta2", "apps/v1",
            "batch/v1beta1", "batch/v1",
            "batch/v2alpha1", "batch/v1");

    private static final java.util.Set<String> LEGACY_KINDS = java.util.Set.of(
            "Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "CronJob");

    private final ReaderLimits limits;
    private final KubernetesSerialization serialization;

    public ManifestReader() {
        this(ReaderLimits.DEFAULT);
    }

    public ManifestReader(ReaderLimits limits) {
        this.limits = limits;
        this.serialization = new KubernetesSerialization();
    }

    /** Reads several files or folders; {@code -} stands for standard input. */
    public ReadResult read(List<Path> paths, InputStream stdin) {
        List<ReadResult> parts = new ArrayList<>(paths.size());
        for (Path p : paths) {
            parts.add(p.toString().equals("-") ? read("-", stdin) : read(p));
        }
        return ReadResult.concat(parts);
    }

    /** Reads a file, or every manifest file below a folder. */
    public ReadResult read(Path path) {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(ManifestReader::isManifestFile)
                        .filter(f -> !isHidden(path, f))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                return failure(path.toString(), "cannot list the folder: " + e.getMessage());
            }
            // files are independent: read them in parallel, keep their order
            return ReadResult.concat(files.parallelStream().map(this::readFile).toList());
        }
        if (!Files.exists(path)) {
            return failure(path.toString(), "no such file or folder");
        }
        return readFile(path);
    }

    private static boolean isManifestFile(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static boolean isHidden(Path root, Path f) {
        for (Path part : root.relativize(f)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private ReadResult readFile(Path file) {
        String name = file.toString();
        try {
            long size = Files.size(file);
            if (size > limits.maxBytes()) {
                return failure(name, "the file has " + size + " bytes, over the limit of " + limits.maxBytes() + " bytes");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return read(name, in);
            }
        } catch (IOException e) {
            return failure(name, "cannot read the file: " + e.getMessage());
        }
    }

    /** Reads a stream (stdin, an upload) under a name used in errors and findings. */
    public ReadResult read(String name, InputStream in) {
        byte[] bytes;
        try {
            bytes = readLimited(in);
        } catch (IOException e) {
            return failure(name, e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return failure(name, "the input is not UTF-8 text");
        }
        return readString(name, text);
    }

    private byte[] readLimited(InputStream in) throws IOException {
        // one byte past the limit tells a stream at the limit from a larger one
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limits.maxBytes() + 1));
        if (bytes.length > limits.maxBytes()) {
            throw new IOException("the input is larger than the limit of " + limits.maxBytes() + " bytes");
        }
        return bytes;
    }

    /** Reads manifest text under a name used in errors and findings. */
    public ReadResult readString(String name, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<InputObject> objects = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        int document = 0;
        for (YamlDocuments.Chunk chunk : YamlDocuments.split(text)) {
            document++;
            readDocument(name, document, chunk, objects, errors);
        }
        return new ReadResult(objects, errors, 1);
    }

    /** How the full parser types plain scalars (its default schema), for the documents read without it. */
    private static final ScalarResolver SCALARS = LoadSettings.builder().build().getSchema().getScalarResolver();

    private void readDocument(String file, int document, YamlDocuments.Chunk chunk,
                              List<InputObject> objects, List<InputError> errors) {
        // the common block style is read straight from the text; the rest by the full parser
        BlockYamlReader.Result block = BlockYamlReader.read(chunk.text(), chunk.firstLine(), limits.maxValues(),
                limits.maxDepth(), SCALARS);
        if (block != null) {
            readValue(file, document, block.value(), block.line(), block.lines(), block.yaml11Booleans(), objects, errors);
            return;
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(limits.maxAliases())
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxBytes()))
                .setUseMarks(true)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(chunk.text());
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + chunk.firstLine()).orElse(chunk.firstLine());
            errors.add(new InputError(file, document, line, null, "malformed YAML: " + yamlProblem(e)));
            return;
        } catch (YamlEngineException e) {
            errors.add(new InputError(file, document, chunk.firstLine(), null, "malformed YAML: " + aliasHint(e.getMessage())));
            return;
        }
        if (root.isEmpty()) {
            return;
        }
        YamlTree tree = new YamlTree(chunk.firstLine(), limits.maxValues(), limits.maxDepth());
        Object value;
        try {
            value = tree.convert(root.get());
        } catch (YamlTree.TooLargeException e) {
            errors.add(new InputError(file, document, chunk.firstLine(), null, e.getMessage()));
            return;
        } catch (YamlTree.DuplicateKeyException e) {
            errors.add(new InputError(file, document, e.line, e.path, e.getMessage()));
            return;
        }
        int docLine = root.get().getStartMark().map(m -> m.getLine() + chunk.firstLine()).orElse(chunk.firstLine());
        if (value == null) {
            return;
        }
        readValue(file, document, value, docLine, tree.lines(), tree.yaml11Booleans(), objects, errors);
    }

    /** A document's value: one object, a List of them, or an error naming what it is instead. */
    private void readValue(String file, int document, Object value, int docLine, Map<String, Integer> lines,
                           Map<String, Boolean> yaml11Booleans, List<InputObject> objects, List<InputError> errors) {
        if (!(value instanceof Map<?, ?> map)) {
            errors.add(new InputError(file, document, docLine, null,
                    "the document is not a Kubernetes object (expected a mapping with apiVersion and kind, found "
                            + describe(value) + ")"));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> obj = (Map<String, Object>) map;
        Object kind = obj.get("kind");
        Object items = obj.get("items");
        if (kind instanceof String k && (k.equals("List") || k.endsWith("List")) && items instanceof List<?> list) {
            String itemKind = k.equals("List") ? null : k.substring(0, k.length() - "List".length());
            Object listApiVersion = obj.get("apiVersion");
            for (int i = 0; i < list.size(); i++) {
                String prefix = "items[" + i + "]";
                Object item = list.get(i);
                int itemLine = lines.getOrDefault(prefix, docLine);
                if (!(item instanceof Map<?, ?> im)) {
                    errors.add(new InputError(file, document, itemLine, prefix,
                            "a list item must be a Kubernetes object, found " + describe(item)));
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> itemMap = new LinkedHashMap<>((Map<String, Object>) im);
                if (itemKind != null) {
                    itemMap.putIfAbsent("kind", itemKind);
                    if (listApiVersion != null) {
                        itemMap.putIfAbsent("apiVersion", listApiVersion);
                    }
                }
                readObject(file, document, itemLine, prefix, itemMap, subLines(lines, prefix),
                        subLines(yaml11Booleans, prefix), objects, errors);
            }
            return;
        }
        readObject(file, document, docLine, null, obj, lines, yaml11Booleans, objects, errors);
    }

    private static <V> Map<String, V> subLines(Map<String, V> lines, String prefix) {
        if (lines instanceof FieldLines f) {
            @SuppressWarnings("unchecked")
            Map<String, V> under = (Map<String, V>) f.under(prefix);
            return under;
        }
        Map<String, V> out = new HashMap<>();
        String dot = prefix + ".";
        lines.forEach((path, line) -> {
            if (path.startsWith(dot)) {
                out.put(path.substring(dot.length()), line);
            }
        });
        return out;
    }

    private void readObject(String file, int document, int line, String prefix, Map<String, Object> obj,
                            Map<String, Integer> lines, Map<String, Boolean> yaml11Booleans,
                            List<InputObject> objects, List<InputError> errors) {
        String where = prefix == null ? "" : prefix + ".";
        Object kind = obj.get("kind");
        Object apiVersion = obj.get("apiVersion");
        if (!(kind instanceof String k) || k.isBlank()) {
            errors.add(new InputError(file, document, lines.getOrDefault("kind", line), where + "kind",
                    kind == null ? "the object has no kind" : "kind must be a string, found " + describe(kind)));
            return;
        }
        if (!(apiVersion instanceof String av) || av.isBlank()) {
            errors.add(new InputError(file, document, lines.getOrDefault("apiVersion", line), where + "apiVersion",
                    apiVersion == null ? "the " + k + " has no apiVersion" : "apiVersion must be a string, found " + describe(apiVersion)));
            return;
        }
        Object metadata = obj.get("metadata");
        if (metadata != null && !(metadata instanceof Map)) {
            errors.add(new InputError(file, document, lines.getOrDefault("metadata", line), where + "metadata",
                    "metadata must be a mapping, found " + describe(metadata)));
            return;
        }
        String readAs = LEGACY_KINDS.contains(k) ? LEGACY_API_VERSIONS.get(av) : null;
        if (readAs != null) {
            obj = new LinkedHashMap<>(obj);
            obj.put("apiVersion", readAs);
        }
        HasMetadata object;
        int coerced = 0;
        while (true) {
            try {
                // typed from the kind at hand, as fabric8's registry would, without its detour
                // through a JSON tree; a kind it does not know stays a generic resource
                Class<? extends KubernetesResource> type = serialization.getRegisteredKubernetesResource(
                        readAs != null ? readAs : av, k);
                Class<?> target = type != null ? type : GenericKubernetesResource.class;
                Object r = serialization.convertValue(obj, target);
                if (!(r instanceof HasMetadata hm)) {
                    errors.add(new InputError(file, document, line, where + "kind", "cannot read a " + k + " as a Kubernetes object"));
                    return;
                }
                object = hm;
                break;
            } catch (IllegalArgumentException | JacksonException e) {
                // convertValue wraps the mapping problem; unwrap it to name the field
                JacksonException je = e instanceof JacksonException j ? j : e.getCause() instanceof JacksonException j ? j : null;
                if (je == null) {
                    errors.add(new InputError(file, document, line, null, "cannot read the " + k + ": " + firstLine(e.getMessage())));
                    return;
                }
                String field = pathOf(je);
                if (field != null && yaml11Booleans.containsKey(field) && wantsBoolean(je) && coerced++ < yaml11Booleans.size()) {
                    // yes/no/on/off where a boolean belongs: Kubernetes' YAML reader takes YAML 1.1 booleans
                    obj = withValue(obj, field, yaml11Booleans.get(field));
                    continue;
                }
                int fieldLine = field == null ? line : nearestLine(lines, field, line);
                errors.add(new InputError(file, document, fieldLine, field == null ? null : where + field,
                        "wrong type: " + typeProblem(je)));
                return;
            } catch (IllegalStateException e) {
                errors.add(new InputError(file, document, line, null, "cannot read the " + k + ": " + firstLine(e.getMessage())));
                return;
            }
        }
        if (readAs != null) {
            object.setApiVersion(av);
        }
        if (object instanceof GenericKubernetesResource g && g.getKind() == null) {
            g.setKind(k);
        }
        objects.add(new InputObject(object, new Source(file, document, line, lines)));
    }

    private static boolean wantsBoolean(JacksonException e) {
        String problem = String.valueOf(e.getOriginalMessage());
        return problem.contains("java.lang.Boolean") || problem.contains("`boolean`");
    }

    /** A copy of the object with one value replaced, copying only the maps and lists along the path. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withValue(Map<String, Object> obj, String path, Object value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)\\]").matcher(path);
        List<Object> steps = new ArrayList<>();
        while (m.find()) {
            steps.add(m.group(1) != null ? m.group(1) : (Object) Integer.valueOf(m.group(2)));
        }
        Map<String, Object> root = new LinkedHashMap<>(obj);
        Object container = root;
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (container instanceof Map<?, ?> map && step instanceof String key) {
                Map<String, Object> mm = (Map<String, Object>) map;
                if (last) {
                    mm.put(key, value);
                } else {
                    Object next = copy(mm.get(key));
                    mm.put(key, next);
                    container = next;
                }
            } else if (container instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                List<Object> ll = (List<Object>) list;
                if (last) {
                    ll.set(index, value);
                } else {
                    Object next = copy(ll.get(index));
                    ll.set(index, next);
                    container = next;
                }
            } else {
                return obj;
            }
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object o) {
        if (o instanceof Map<?, ?> m) {
            return new LinkedHashMap<>((Map<String, Object>) m);
        }
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return o;
    }

    private static int nearestLine(Map<String, Integer> lines, String path, int fallback) {
        String p = path;
        while (p != null && !p.isEmpty()) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut <= 0 ? null : p.substring(0, cut);
        }
        return fallback;
    }

    private static String pathOf(JacksonException e) {
        Throwable t = e;
        List<JacksonException.Reference> refs = null;
        while (t != null) {
            if (t instanceof JacksonException je && je.getPath() != null && !je.getPath().isEmpty()) {
                refs = je.getPath();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        if (refs == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : refs) {
            if (r.getPropertyName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String typeProblem(JacksonException e) {
        String m = e.getOriginalMessage() == null ? e.getMessage() : e.getOriginalMessage();
        m = firstLine(m);
        // Jackson names Java types; say what a manifest author understands
        m = m.replaceAll("`java\\.lang\\.(Integer|Long)`", "an integer")
                .replaceAll("`java\\.lang\\.Boolean`", "a boolean (true or false)")
                .replaceAll("`java\\.lang\\.String`", "a string")
                .replaceAll("`java\\.util\\.(ArrayList|List)<[^`]*>`", "a list")
                .replaceAll("`(io\\.fabric8\\.[\\w.]+\\.)(\\w+)`", "a $2 object")
                .replaceAll("`int`", "an integer")
                .replaceAll("`boolean`", "a boolean (true or false)");
        return m;
    }

    private String yamlProblem(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        String text = (context.isEmpty() ? "" : context + ": ") + problem;
        return aliasHint(text.isBlank() ? firstLine(e.getMessage()) : text);
    }

    private String aliasHint(String message) {
        if (message != null && message.contains("aliases")) {
            return "too many YAML aliases (limit " + limits.maxAliases() + "): " + firstLine(message);
        }
        if (message != null && message.contains("code points")) {
            return "the document is larger than the limit of " + limits.maxBytes() + " characters";
        }
        return firstLine(message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String describe(Object value) {
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        return String.valueOf(value);
    }

    private static ReadResult failure(String file, String message) {
        return new ReadResult(List.of(), List.of(new InputError(file, 0, 0, null, message)), 1);
    }
}
