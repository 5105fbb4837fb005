package io.ergate.autoconfigure;

import io.ergate.ComponentFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Creates {@code @Depends} providers the Spring way: the provider's bean when the context has one,
 * else a new instance created and autowired by the bean factory (constructor injection included).
 */
final class BeanComponentFactory implements ComponentFactory {

	private final ConfigurableListableBeanFactory beanFactory;

	BeanComponentFactory(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public <T> T getInstance(Class<T> type) {
		return this.beanFactory.getBeanProvider(type).getIfAvailable(() -> this.beanFactory.createBean(type));
	}

}
