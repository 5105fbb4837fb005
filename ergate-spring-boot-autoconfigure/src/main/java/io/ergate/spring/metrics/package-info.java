/**
 * Ergate metrics support for Spring applications: the beans the auto-configuration declares.
 */
@NullMarked
package io.ergate.spring.metrics;

import org.jspecify.annotations.NullMarked;
