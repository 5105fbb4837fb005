package io.ergate.autoconfigure.actuate;

import io.ergate.Ergate;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.autoconfigure.ErgateProperties;
import io.ergate.spring.ErgateWorker;
import io.ergate.spring.actuate.ErgateEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code ergate} Actuator endpoint, when Actuator is present and the
 * endpoint is available (enabled, and exposed over HTTP or JMX by the application).
 */
@AutoConfiguration(after = ErgateAutoConfiguration.class)
@ConditionalOnClass({ Ergate.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(Ergate.class)
public final class ErgateEndpointAutoConfiguration {

	ErgateEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	ErgateEndpoint ergateEndpoint(Ergate ergate, ErgateProperties properties, ObjectProvider<ErgateWorker> worker) {
		return new ErgateEndpoint(ergate, properties, worker.getIfUnique());
	}

}
