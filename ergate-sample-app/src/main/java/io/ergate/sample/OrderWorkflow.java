package io.ergate.sample;

import java.util.List;

import io.ergate.Context;
import io.ergate.Depends;
import io.ergate.ErgateWorkflow;
import io.ergate.Input;
import io.ergate.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A workflow in the annotation style that uses a bean ({@link PriceCatalog}), a dependency
 * ({@link TaxRateProvider}) and the job's user context ({@link OrderContext}). Input: the list of
 * items ordered, such as {@code ["book", "pen"]}.
 */
@Component
@ErgateWorkflow("order_workflow")
class OrderWorkflow {

	private static final Logger logger = LoggerFactory.getLogger(OrderWorkflow.class);

	@Step(order = 1, name = "price_items")
	double priceItems(@Input List<String> items, PriceCatalog catalog) {
		return items.stream().mapToDouble(catalog::price).sum();
	}

	@Step(order = 2, name = "add_tax")
	double addTax(@Input double subtotal, @Depends(TaxRateProvider.class) double taxRate) {
		return Math.round(subtotal * (1 + taxRate) * 100) / 100.0;
	}

	@Step(order = 3, name = "send_receipt")
	String sendReceipt(@Input double total, @Context OrderContext order) {
		String receipt = "Receipt for " + order.customer() + ": " + String.format("%.2f", total) + " "
				+ order.currency();
		logger.info("Sending \"{}\"", receipt);
		return receipt;
	}

}
