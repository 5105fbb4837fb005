/**
 * Ergate health support for Spring applications: the beans the auto-configuration declares.
 */
@NullMarked
package io.ergate.spring.health;

import org.jspecify.annotations.NullMarked;
