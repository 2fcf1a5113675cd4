package io.kubeward.manifest;

import io.kubeward.engine.InputObject;
import java.util.ArrayList;
import java.util.List;

/** What a read produced: the objects, the errors (one per bad document or file), and how many files were read. */
public record ReadResult(List<InputObject> objects, List<InputError> errors, int files) {

    public ReadResult {
        objects = List.copyOf(objects);
        errors = List.copyOf(errors);
    }

    /** All results together, in order, copying each list once. */
    public static ReadResult concat(List<ReadResult> parts) {
        List<InputObject> o = new ArrayList<>();
        List<InputError> e = new ArrayList<>();
        int files = 0;
        for (ReadResult r : parts) {
            o.addAll(r.objects);
            e.addAll(r.errors);
            files += r.files;
        }
        return new ReadResult(o, e, files);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public ReadResult plus(ReadResult other) {
        List<InputObject> o = new ArrayList<>(objects);
        o.addAll(other.objects);
        List<InputError> e = new ArrayList<>(errors);
        e.addAll(other.errors);
        return new ReadResult(o, e, files + other.files);
    }
}
