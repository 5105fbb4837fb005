package io.ergate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter of a step (or dependency provider) that receives the step's input: the value
 * the previous step returned, or the job's {@code initial_input_value} for the first step executed.
 * The value is converted to the parameter's type with Jackson; mutable values are a deep copy, so a
 * step cannot change what an earlier step returned.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Input {

}
