/**
 * Ergate actuate support for Spring applications: the beans the auto-configuration declares.
 */
@NullMarked
package io.ergate.spring.actuate;

import org.jspecify.annotations.NullMarked;
