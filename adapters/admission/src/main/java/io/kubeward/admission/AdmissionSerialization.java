package io.kubeward.admission;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.JsonParserSequence;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.SettableAnyProperty;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.introspect.AnnotatedMethod;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.util.TokenBuffer;

/**
 * fabric8's serialization with the objects of an AdmissionRequest ({@code object},
 * {@code oldObject}, {@code options}) read in one pass. fabric8 reads each of them into a JSON tree
 * to find its {@code apiVersion} and {@code kind}, then binds the tree to the model class: a
 * second walk over most of the review. Here the fields before both {@code apiVersion} and
 * {@code kind} are buffered (the API server writes them first, so usually nothing else), the class
 * comes from fabric8's own registry, and the rest binds straight from the request body. Anything
 * else (no kind, a non-string kind, not an object) takes fabric8's own path, and a kind fabric8
 * does not know becomes a {@link GenericKubernetesResource} as there: the same object either way,
 * and for a body it cannot read, the same message.
 */
final class AdmissionSerialization extends KubernetesSerialization {

    /** Set while the superclass constructor configures the mapper; no initializer, so it stays. */
    private ObjectMapper configured;
    /** Made on first use (making them builds Jackson's deserializers); a race only makes one twice. */
    private ObjectReader reviews;
    private ObjectWriter reviewWriter;

    AdmissionSerialization() {
        super();
    }

    @Override
    protected ObjectMapper configureMapper(ObjectMapper mapper) {
        configured = super.configureMapper(mapper).rebuild().addMixIn(AdmissionRequest.class, RequestObjects.class)
                .addModule(new SimpleModule("kubeward-any-setters").setDeserializerModifier(new DirectAnySetters())).build();
        return configured;
    }

    /** Reads an {@code admission.k8s.io/v1} AdmissionReview from JSON bytes. */
    AdmissionReview readReview(byte[] json) {
        ObjectReader r = reviews;
        if (r == null) {
            r = configured.readerFor(AdmissionReview.class);
            reviews = r;
        }
        return r.readValue(json);
    }

    /** Writes an AdmissionReview as JSON bytes. */
    byte[] writeReview(Object review) {
        ObjectWriter w = reviewWriter;
        if (w == null) {
            // as fabric8's asJson(...).getBytes(UTF_8): characters outside the BMP as UTF-8, not escaped
            w = configured.writer().with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
            reviewWriter = w;
        }
        return w.writeValueAsBytes(review);
    }

    /**
     * Mix-in: the request's embedded objects use {@link OnePassDeserializer}. On the setters, which
     * take precedence over fabric8's annotations on the fields.
     */
    abstract static class RequestObjects {
        @JsonDeserialize(using = OnePassDeserializer.class)
        abstract void setObject(Object object);

        @JsonDeserialize(using = OnePassDeserializer.class)
        abstract void setOldObject(Object oldObject);

        @JsonDeserialize(using = OnePassDeserializer.class)
        abstract void setOptions(Object options);
    }

    /**
     * Types an embedded object from its own {@code apiVersion} and {@code kind}, as fabric8's
     * {@link KubernetesDeserializer} does, without first reading it into a tree.
     */
    static final class OnePassDeserializer extends ValueDeserializer<Object> {

        /** fabric8's deserializer: its registry of kinds, and the path for everything else. */
        private volatile ValueDeserializer<Object> fabric8;
        private final Map<Class<?>, ValueDeserializer<Object>> byClass = new ConcurrentHashMap<>();

        @Override
        public void resolve(DeserializationContext ctxt) {
            fabric8 = ctxt.findRootValueDeserializer(ctxt.constructType(KubernetesResource.class));
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            ValueDeserializer<Object> generic = fabric8;
            if (generic == null) {
                resolve(ctxt);
                generic = fabric8;
            }
            if (!p.isExpectedStartObjectToken() || !((Object) generic instanceof KubernetesDeserializer registry)) {
                return generic.deserialize(p, ctxt);
            }
            int depth = p.streamReadContext().getNestingDepth();
            TokenBuffer head = ctxt.bufferForInputBuffering(p);
            head.writeStartObject();
            String apiVersion = null;
            String kind = null;
            boolean nonString = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                head.writeName(name);
                JsonToken value = p.nextToken();
                if ("apiVersion".equals(name) || "kind".equals(name)) {
                    if (value == JsonToken.VALUE_STRING) {
                        if ("kind".equals(name)) {
                            kind = p.getString();
                        } else {
                            apiVersion = p.getString();
                        }
                    } else {
                        nonString = true; // fabric8's own path decides what that means
                    }
                }
                head.copyCurrentStructure(p);
                if (apiVersion != null && kind != null && !nonString) {
                    break;
                }
            }
            if (t == JsonToken.END_OBJECT) {
                head.writeEndObject(); // the whole object is buffered
                JsonParser buffered = head.asParser(ctxt, p);
                buffered.nextToken();
                return generic.deserialize(buffered, ctxt);
            }
            if (t != JsonToken.PROPERTY_NAME) {
                // not reached with a well-formed body: the parser reports malformed JSON first
                throw DatabindException.from(p, "unexpected " + t + " in an object");
            }
            Class<? extends KubernetesResource> registered = registry.getRegisteredKind(apiVersion, kind);
            // a kind fabric8 does not know (a custom resource, an options object) is, as there, generic
            Class<?> type = registered != null ? registered : GenericKubernetesResource.class;
            JsonParser rest = JsonParserSequence.createFlattened(false, head.asParser(ctxt, p), p);
            rest.nextToken();
            // resolved once per class: finding a root deserializer through the context costs as
            // much as binding a small object
            ValueDeserializer<Object> typed = byClass.get(type);
            if (typed == null) {
                typed = ctxt.findRootValueDeserializer(ctxt.constructType(type));
                byClass.put(type, typed);
            }
            Object value;
            try {
                value = typed.deserialize(rest, ctxt);
            } catch (StreamReadException e) {
                throw atObject(p, e);
            } catch (RuntimeException e) {
                throw asFromTree(p, depth, e);
            }
            // a later duplicate of apiVersion or kind would have typed it otherwise in a tree
            if (value instanceof HasMetadata h && (!kind.equals(h.getKind()) || !apiVersion.equals(h.getApiVersion()))) {
                throw DatabindException.from(p, "apiVersion and kind are each given more than once, with different values");
            }
            return value;
        }

        /** Malformed JSON inside the object: reported at the object, as when it is read as a tree. */
        private static StreamReadException atObject(JsonParser p, StreamReadException e) {
            return new StreamReadException(p, e.getOriginalMessage(), e.getLocation(), e);
        }

        /**
         * A binding error, reported as reading the object as a tree first would have: malformed JSON
         * further on in the object comes first, and the location is the end of the object.
         */
        private static RuntimeException asFromTree(JsonParser p, int depth, RuntimeException e) {
            try {
                while (p.streamReadContext().getNestingDepth() >= depth && p.nextToken() != null) {
                    p.skipChildren();
                }
            } catch (StreamReadException malformed) {
                return atObject(p, malformed);
            }
            if (!(e instanceof JacksonException j)) {
                return e;
            }
            // where reading the object as a tree leaves the parser: at its closing brace, or, for
            // a problem Jackson wrapped (a setter's exception), just after it
            boolean wrapped = j.getCause() != null && !(j.getCause() instanceof JacksonException);
            JacksonException moved = new AtObjectEnd(p, j.getOriginalMessage(),
                    wrapped ? p.currentLocation() : p.currentTokenLocation(), e);
            List<JacksonException.Reference> path = j.getPath();
            for (int i = path.size() - 1; i >= 0; i--) {
                moved.prependPath(path.get(i));
            }
            return moved;
        }
    }

    /** A binding error placed where reading the object as a tree would have placed it. */
    static final class AtObjectEnd extends DatabindException {
        AtObjectEnd(JsonParser p, String message, TokenStreamLocation location, Throwable cause) {
            super(p, message, location, cause);
        }
    }

    /**
     * Jackson 3.2 calls a method any-setter (fabric8's {@code setAdditionalProperty}, for every
     * field a model class does not name: a managed field's {@code fieldsV1}, an options object)
     * through {@code MethodHandle.bindTo} and {@code invokeWithArguments}, building handles on
     * each call: about 2 us a field, a fifth of reading a typical review. This calls the same
     * public setter, with the same arguments, through one handle made once.
     */
    static final class DirectAnySetters extends ValueDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription.Supplier bean,
                BeanDeserializerBuilder builder) {
            SettableAnyProperty any = builder.getAnySetter();
            // Jackson's own method any-setter (its class is not public)
            if (any != null && any.isSetterType() && any.getClass().getEnclosingClass() == SettableAnyProperty.class
                    && !any.hasValueDeserializer() && any.getProperty().getMember() instanceof AnnotatedMethod method
                    && DirectAnySetter.fits(method, any.getType())) {
                builder.setAnySetter(null); // replacing is refused, clearing first is not
                builder.setAnySetter(new DirectAnySetter(any.getProperty(), method, any.getType(), null,
                        DirectAnySetter.handle(method)));
            }
            return builder;
        }
    }

    /** A method any-setter {@code void set(String name, Object value)}, public, of a public class. */
    static final class DirectAnySetter extends SettableAnyProperty {
        private static final MethodType SHAPE = MethodType.methodType(void.class, Object.class, Object.class, Object.class);
        private final MethodHandle setter;

        DirectAnySetter(BeanProperty property, AnnotatedMethod method, JavaType type, ValueDeserializer<Object> values, MethodHandle setter) {
            // no key deserializer: a String key is the property name itself; no type deserializer: plain Object values
            super(property, method, type, null, values, null);
            this.setter = setter;
        }

        static boolean fits(AnnotatedMethod method, JavaType type) {
            Method m = method.getAnnotated();
            return m.getParameterCount() == 2 && m.getParameterTypes()[0] == String.class && type.hasRawClass(Object.class)
                    && Modifier.isPublic(m.getModifiers()) && Modifier.isPublic(m.getDeclaringClass().getModifiers())
                    && !Modifier.isStatic(m.getModifiers()) && !method.hasAnnotation(JsonTypeInfo.class);
        }

        static MethodHandle handle(AnnotatedMethod method) {
            try {
                return MethodHandles.publicLookup().unreflect(method.getAnnotated()).asType(SHAPE);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("public setter not accessible: " + method, e);
            }
        }

        @Override
        protected void _set(DeserializationContext ctxt, Object instance, Object name, Object value) throws Exception {
            try {
                setter.invokeExact(instance, name, value);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public SettableAnyProperty withValueDeserializer(ValueDeserializer<Object> values) {
            return new DirectAnySetter(_property, (AnnotatedMethod) _setter, _type, values, setter);
        }
    }
}
