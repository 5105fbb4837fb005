/**
 * Ergate in a Spring application: {@link io.ergate.spring.ErgateClient} to submit jobs,
 * {@link io.ergate.spring.ErgateWorker} to run them as a managed lifecycle bean, and the job
 * lifecycle published as Spring application events ({@link io.ergate.spring.ErgateJobEvent} and its
 * subclasses).
 */
@NullMarked
package io.ergate.spring;

import org.jspecify.annotations.NullMarked;
