package dev.terminator.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Adds the application's listeners to the terminator: readiness and the application
 * events first, so that the application's listeners see the application refusing traffic
 * already, then every {@link TerminationListener} bean in its order (the endpoint and the
 * meter binder included). They are added once every singleton exists, and removed when
 * the context closes, so that a terminator that outlives the context tells no bean that
 * went away. A listener bean the application also adds by hand is still called once per
 * step.
 */
class TerminationListenerBeans implements SmartInitializingSingleton, DisposableBean {

	private final HttpTerminator terminator;

	private final ApplicationEventPublisher publisher;

	private final ObjectProvider<TerminationListener> listenerBeans;

	private final List<TerminationListener> added = new ArrayList<>();

	TerminationListenerBeans(HttpTerminator terminator, ApplicationEventPublisher publisher,
			ObjectProvider<TerminationListener> listenerBeans) {
		this.terminator = terminator;
		this.publisher = publisher;
		this.listenerBeans = listenerBeans;
	}

	@Override
	public void afterSingletonsInstantiated() {
		add(new ReadinessOnTermination(this.publisher));
		add(new TerminationEvents(this.terminator, this.publisher));
		this.listenerBeans.orderedStream().forEach(this::add);
	}

	private void add(TerminationListener listener) {
		this.terminator.addListener(listener);
		this.added.add(listener);
	}

	@Override
	public void destroy() {
		this.added.forEach(this.terminator::removeListener);
		this.added.clear();
	}

}
