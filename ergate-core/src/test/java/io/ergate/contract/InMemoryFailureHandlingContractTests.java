package io.ergate.contract;

/**
 * The failure-handling contract on the in-memory queue and store.
 */
class InMemoryFailureHandlingContractTests extends FailureHandlingContract {

	@Override
	protected QueueBackend createBackend() {
		return new InMemoryQueueContractTests().createBackend();
	}

}
