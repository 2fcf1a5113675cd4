package io.kubeward.engine.model;

import java.util.Objects;

/**
 * One entry of a list or map field of an object, with the full path a finding reports:
 * a sysctl ({@code spec.securityContext.sysctls[0].name}, name {@code net.ipv4.tcp_syncookies}),
 * an annotation ({@code metadata.annotations.<key>}), a capability added, the host of a probe.
 * Rules match entries with {@code from}, so the model hands them over null-free.
 *
 * @param path  the full path of the field in the original object
 * @param name  the entry's name: the annotation key, the sysctl name, the capability or the handler
 * @param value the value found ("" when the field holds none)
 */
public final class FieldValue {

    private final String path;
    private final String name;
    private final String value;

    public FieldValue(String path, String name, String value) {
        this.path = Objects.requireNonNull(path, "path");
        this.name = name == null ? "" : name;
        this.value = value == null ? "" : value;
    }

    public String getPath() {
        return path;
    }

    public String getName() {
        return name;
    }

    public String getValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldValue f && f.path.equals(path) && f.name.equals(name) && f.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, name, value);
    }

    @Override
    public String toString() {
        return path + "=" + value;
    }
}
