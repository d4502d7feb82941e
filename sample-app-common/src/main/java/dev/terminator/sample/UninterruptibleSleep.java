package dev.terminator.sample;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A handler stuck in code that swallows interruption, as some blocking clients do: the
 * drain's cut cannot end it, and the JVM must exit without waiting for it.
 */
final class UninterruptibleSleep {

	private UninterruptibleSleep() {
	}

	static void sleep(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
			try {
				TimeUnit.NANOSECONDS.sleep(left);
			}
			catch (InterruptedException ex) {
				// Ignored on purpose.
			}
		}
	}

}
