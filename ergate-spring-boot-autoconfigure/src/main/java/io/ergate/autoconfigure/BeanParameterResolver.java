package io.ergate.autoconfigure;

import java.lang.reflect.Parameter;
import java.util.function.Supplier;

import io.ergate.ParameterResolver;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.core.MethodParameter;

/**
 * Supplies step and provider parameters that are not {@code @Input}, {@code @Context},
 * {@code @Depends} or {@code Job} with Spring beans, resolved once when the workflow is registered
 * (with {@code @Qualifier}, {@code @Primary}, generics, {@code Optional} and {@code ObjectProvider}
 * as for any injection point). A parameter no bean can supply fails the registration, and so the
 * application's startup.
 */
final class BeanParameterResolver implements ParameterResolver {

	private final ConfigurableListableBeanFactory beanFactory;

	BeanParameterResolver(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public @Nullable Supplier<?> resolve(Parameter parameter) {
		MethodParameter methodParameter = MethodParameter.forParameter(parameter);
		DependencyDescriptor descriptor = new DependencyDescriptor(methodParameter, true);
		Object value;
		// Thrown without the bean factory's exception as cause: the engine adds the workflow, the step
		// and the parameter to the message, and the failure analysis shows that message, not a bean lookup.
		try {
			value = this.beanFactory.resolveDependency(descriptor, null);
		}
		catch (NoUniqueBeanDefinitionException ex) {
			throw new ErgateConfigurationException("it matches " + ex.getNumberOfBeansFound() + " beans "
					+ ex.getBeanNamesFound(), "mark one @Primary or add a @Qualifier to the parameter");
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new ErgateConfigurationException(
					"there is no bean of type " + parameter.getParameterizedType().getTypeName(),
					"declare such a bean, or annotate the parameter @Input, @Context or @Depends(Provider.class)");
		}
		return () -> value;
	}

}
