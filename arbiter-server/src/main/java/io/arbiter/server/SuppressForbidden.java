package io.arbiter.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets one method or class use an API the build's forbidden-API check refuses elsewhere (the forbiddenapis plugin
 * honours any annotation of this name). Every use says why in {@link #reason}.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.TYPE, ElementType.FIELD})
public @interface SuppressForbidden {
    /** Why the API is needed here and why it is safe. */
    String reason();
}
