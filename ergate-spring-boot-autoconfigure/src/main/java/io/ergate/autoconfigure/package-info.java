/**
 * Spring Boot auto-configuration for Ergate: {@link io.ergate.autoconfigure.ErgateAutoConfiguration},
 * its {@code ergate.*} properties ({@link io.ergate.autoconfigure.ErgateProperties}) and the
 * {@link io.ergate.autoconfigure.ErgateCustomizer} callback.
 */
@NullMarked
package io.ergate.autoconfigure;

import org.jspecify.annotations.NullMarked;
