package dev.terminator.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of a termination, its key names and its events.
 */
public enum TerminationObservationDocumentation implements ObservationDocumentation {

	/**
	 * A termination of the embedded web server, from the start of its lame-duck delay (or
	 * of its drain, without a delay) to the last connection closed.
	 */
	TERMINATION {

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTerminationObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

		@Override
		public Observation.Event[] getEvents() {
			return Events.values();
		}

	};

	/**
	 * The name of the termination's observation, also that of the meters Micrometer's
	 * default handler derives from it.
	 */
	static final String NAME = "terminator.termination";

	/**
	 * Low cardinality key names of the termination's observation.
	 */
	public enum LowCardinalityKeys implements KeyName {

		/**
		 * The server terminated: {@code tomcat}, {@code jetty}, {@code undertow},
		 * {@code netty}.
		 */
		SERVER {
			@Override
			public String asString() {
				return "server";
			}
		},

		/**
		 * How the drain ended: {@code drained}, or {@code forced} if a connection was
		 * cut.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/**
	 * The steps of a termination, in the order they happen. Their names are relative to
	 * the observation's: Micrometer's meter handler counts each as
	 * {@code terminator.termination.<event>}.
	 */
	public enum Events implements Observation.Event {

		/**
		 * The lame-duck delay began.
		 */
		LAME_DUCK_STARTED {
			@Override
			public String getName() {
				return "lame-duck.started";
			}

			@Override
			public String getContextualName() {
				return "lame duck started";
			}
		},

		/**
		 * The lame-duck delay ended; its contextual name says why: {@code elapsed},
		 * {@code quiet} or {@code maximum}.
		 */
		LAME_DUCK_ENDED {
			@Override
			public String getName() {
				return "lame-duck.ended";
			}

			@Override
			public String getContextualName() {
				return "lame duck ended: %s";
			}
		},

		/**
		 * The drain began: the listen sockets are closed.
		 */
		DRAIN_STARTED {
			@Override
			public String getName() {
				return "drain.started";
			}

			@Override
			public String getContextualName() {
				return "drain started";
			}
		},

		/**
		 * No idle connection is left open.
		 */
		IDLE_CONNECTIONS_CLOSED {
			@Override
			public String getName() {
				return "idle-connections.closed";
			}

			@Override
			public String getContextualName() {
				return "idle connections closed";
			}
		},

		/**
		 * The timeout passed: the connections still open are cut; the contextual name
		 * says how many.
		 */
		CONNECTIONS_CUT {
			@Override
			public String getName() {
				return "connections.cut";
			}

			@Override
			public String getContextualName() {
				return "%d connection(s) cut";
			}
		},

		/**
		 * Every connection is closed.
		 */
		DRAIN_FINISHED {
			@Override
			public String getName() {
				return "drain.finished";
			}

			@Override
			public String getContextualName() {
				return "drain finished";
			}
		}

	}

}
