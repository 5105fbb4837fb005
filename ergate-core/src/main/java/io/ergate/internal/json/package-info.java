/**
 * The job JSON codec: not API; use a Jackson {@code JsonMapper} and {@link io.ergate.JobJsonFormat}.
 */
@NullMarked
package io.ergate.internal.json;

import org.jspecify.annotations.NullMarked;
