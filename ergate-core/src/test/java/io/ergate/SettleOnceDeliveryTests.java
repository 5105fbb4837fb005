package io.ergate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The settle-once rule every queue's delivery follows through {@link SettleOnceDelivery}.
 */
class SettleOnceDeliveryTests {

	private final List<String> acts = new ArrayList<>();

	private boolean failHandOver;

	private boolean hasDeadLetters;

	private final SettleOnceDelivery delivery = new SettleOnceDelivery(Job.builder("w").id("j1").build()) {

		@Override
		protected void handOver(Job newState, StateStore stateStore) {
			if (SettleOnceDeliveryTests.this.failHandOver) {
				throw new IllegalStateException("store down");
			}
			SettleOnceDeliveryTests.this.acts.add("hand over " + newState.status());
		}

		@Override
		protected void acknowledged() {
			SettleOnceDeliveryTests.this.acts.add("acknowledge");
		}

		@Override
		protected void released(Duration delay) {
			SettleOnceDeliveryTests.this.acts.add("release " + delay.toMillis());
		}

		@Override
		protected boolean deadLettered(String reason) {
			if (SettleOnceDeliveryTests.this.hasDeadLetters) {
				SettleOnceDeliveryTests.this.acts.add("dead-letter " + reason);
			}
			return SettleOnceDeliveryTests.this.hasDeadLetters;
		}

	};

	@Test
	void aDeliverySettlesOnce() {
		this.delivery.complete(this.delivery.job().toBuilder().status(JobStatus.COMPLETED).build(), (job) -> {
		});
		assertThatIllegalStateException().isThrownBy(this.delivery::acknowledge).withMessageContaining("j1")
			.withMessageContaining("already");
		assertThatIllegalStateException().isThrownBy(() -> this.delivery.releaseLater(Duration.ofSeconds(1)));
		assertThat(this.acts).containsExactly("hand over COMPLETED");
	}

	@Test
	void aHandOverThatFailsLeavesTheDeliveryToBeReleased() {
		this.failHandOver = true;
		assertThatIllegalStateException().isThrownBy(() -> this.delivery.complete(this.delivery.job(), (job) -> {
		})).withMessage("store down");
		this.delivery.releaseLater(Duration.ofMillis(250));
		assertThat(this.acts).containsExactly("release 250");
	}

	@Test
	void withoutDeadLettersTheDeliveryStaysOpenForTheFailedState() {
		assertThat(this.delivery.deadLetter("unknown workflow")).isFalse();
		this.delivery.complete(this.delivery.job().toBuilder().status(JobStatus.FAILED).build(), (job) -> {
		});
		assertThat(this.acts).containsExactly("hand over FAILED");
	}

	@Test
	void aDeadLetteredDeliveryIsSettled() {
		this.hasDeadLetters = true;
		assertThat(this.delivery.deadLetter("poison")).isTrue();
		assertThatIllegalStateException().isThrownBy(this.delivery::release);
		assertThat(this.acts).containsExactly("dead-letter poison");
	}

}
