package dev.conduit.web.audit;

import dev.conduit.core.audit.AuditAction;
import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a resource method whose every call, refused or not, leaves an audit record of this action. */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Audited {

    /** The action recorded; required on methods, ignored on the type (where it only binds the filter). */
    AuditAction value() default AuditAction.UPDATE;
}
