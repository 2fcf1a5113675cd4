package io.kubeward.cli;

import java.io.FilterOutputStream;
import java.io.FilterWriter;
import java.io.OutputStream;
import java.io.IOException;
import java.io.Writer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Pretty JSON of plain maps and lists. One mapper for the process: it is thread-safe and costly to build. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /**
     * A generator that writes to {@code out} exactly as {@link #write} formats (same pretty printer);
     * closing it flushes {@code out} but leaves it open, as it may be standard output.
     */
    /** As {@link #generator(Writer)}, in UTF-8 bytes: a report file is written without a character encoder between. */
    static JsonGenerator generator(OutputStream out) {
        return MAPPER.createGenerator(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        });
    }

    static JsonGenerator generator(Writer out) {
        return MAPPER.createGenerator(new FilterWriter(out) {
            @Override
            public void close() throws IOException {
                flush();
            }
        });
    }
}
