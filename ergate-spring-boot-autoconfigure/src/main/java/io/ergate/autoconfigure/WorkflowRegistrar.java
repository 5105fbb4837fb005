package io.ergate.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.ergate.Ergate;
import io.ergate.ErgateWorkflow;
import io.ergate.InvalidDefinitionException;
import io.ergate.Workflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Registers with the engine every {@link Workflow} bean and every bean annotated
 * {@link ErgateWorkflow}, once all singletons exist (so that workflow beans may themselves use the
 * engine or the client). Two workflows of one name fail the startup, naming their beans.
 */
final class WorkflowRegistrar implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(WorkflowRegistrar.class);

	private final ConfigurableListableBeanFactory beanFactory;

	private final Ergate ergate;

	WorkflowRegistrar(ConfigurableListableBeanFactory beanFactory, Ergate ergate) {
		this.beanFactory = beanFactory;
		this.ergate = ergate;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<String, List<Definition>> byName = new LinkedHashMap<>();
		for (Definition definition : definitions()) {
			byName.computeIfAbsent(definition.workflow().name(), (name) -> new ArrayList<>()).add(definition);
		}
		List<String> duplicates = new ArrayList<>();
		byName.forEach((name, definitions) -> {
			if (definitions.size() > 1) {
				duplicates.add("\"" + name + "\" by beans " + definitions.stream()
					.map((definition) -> "'" + definition.beanName() + "'")
					.collect(Collectors.joining(" and ")));
			}
		});
		if (!duplicates.isEmpty()) {
			throw new ErgateConfigurationException("Two or more Ergate workflows share a name: "
					+ String.join("; ", duplicates), "workflow names must be unique: rename all but one");
		}
		for (List<Definition> definitions : byName.values()) {
			Definition definition = definitions.get(0);
			Workflow workflow = definition.workflow();
			if (this.ergate.workflow(workflow.name()).orElse(null) == workflow) {
				continue;
			}
			try {
				this.ergate.registerWorkflow(workflow);
			}
			catch (InvalidDefinitionException ex) {
				throw new InvalidDefinitionException("Ergate workflow \"" + workflow.name() + "\" of bean '"
						+ definition.beanName() + "' cannot be registered: " + ex.getMessage(), ex);
			}
			logger.debug("Registered Ergate workflow {} from bean '{}'", workflow, definition.beanName());
		}
	}

	private List<Definition> definitions() {
		List<Definition> definitions = new ArrayList<>();
		for (String beanName : this.beanFactory.getBeanNamesForType(Workflow.class)) {
			definitions.add(new Definition(beanName, this.beanFactory.getBean(beanName, Workflow.class)));
		}
		for (String beanName : this.beanFactory.getBeanNamesForAnnotation(ErgateWorkflow.class)) {
			Object bean = this.beanFactory.getBean(beanName);
			try {
				definitions.add(new Definition(beanName, Workflow.from(bean)));
			}
			catch (InvalidDefinitionException ex) {
				throw new InvalidDefinitionException("Bean '" + beanName + "' is not a valid Ergate workflow: "
						+ ex.getMessage(), ex);
			}
		}
		return definitions;
	}

	private record Definition(String beanName, Workflow workflow) {
	}

}
