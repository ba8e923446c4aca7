package dev.conduit.web.observe;

import dev.conduit.core.observe.LogFields;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Puts {@link LogFields} into Liberty's JSON logs as {@code ext_<name>} fields through Liberty's
 * {@code LogRecordContext} (a thread-local the log handler reads while it writes the record). Looked up reflectively,
 * so the WAR compiles without Liberty's API jar and runs unchanged elsewhere (the fields are then dropped).
 */
public final class LibertyLogFields implements LogFields.Scope {

    private static final Logger LOG = Logger.getLogger(LibertyLogFields.class.getName());
    private static final String CONTEXT = "com.ibm.websphere.logging.hpel.LogRecordContext";

    private final MethodHandle add;
    private final MethodHandle remove;

    private LibertyLogFields(MethodHandle add, MethodHandle remove) {
        this.add = add;
        this.remove = remove;
    }

    /** Liberty's scope when its LogRecordContext is visible, else {@link LogFields#PLAIN}. */
    public static LogFields.Scope create() {
        try {
            Class<?> context = Class.forName(CONTEXT, true, LibertyLogFields.class.getClassLoader());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return new LibertyLogFields(
                    lookup.findStatic(context, "addExtension", MethodType.methodType(void.class, String.class,
                            String.class)),
                    lookup.findStatic(context, "removeExtension", MethodType.methodType(boolean.class, String.class)));
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.fine(() -> "no LogRecordContext (" + e + "): log lines carry no system and ErrorCode fields");
            return LogFields.PLAIN;
        }
    }

    @Override
    public void around(Map<String, String> fields, Runnable log) {
        try {
            for (Map.Entry<String, String> field : fields.entrySet()) {
                add.invokeExact(field.getKey(), field.getValue());
            }
            log.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            log.run(); // the fields are a convenience: never lose the line for them
        } finally {
            for (String name : fields.keySet()) {
                try {
                    boolean removed = (boolean) remove.invokeExact(name);
                } catch (Throwable ignored) {
                    // nothing to undo
                }
            }
        }
    }
}
