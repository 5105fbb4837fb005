/**
 * Ergate observation support for Spring applications: the beans the auto-configuration declares.
 */
@NullMarked
package io.ergate.spring.observation;

import org.jspecify.annotations.NullMarked;
