package dev.terminator.sample;

import java.util.Collection;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A {@link SpanExporter} that writes each span to the application's log, one line: name,
 * duration, attributes and events, each event at its offset from the span's start.
 * OpenTelemetry's own logging exporters write through {@code java.util.logging}, whose
 * shutdown hook removes its handlers while the application context is still closing: the
 * spans the context flushes last, the termination's among them, would be lost. This one
 * logs through Spring's logging, which Spring Boot shuts down after the context.
 */
class SpanLog implements SpanExporter {

	private static final Log logger = LogFactory.getLog(SpanLog.class);

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		for (SpanData span : spans) {
			logger.info(describe(span));
		}
		return CompletableResultCode.ofSuccess();
	}

	private static String describe(SpanData span) {
		StringJoiner events = new StringJoiner(", ", "[", "]");
		for (EventData event : span.getEvents()) {
			events.add(event.getName() + " +" + millis(event.getEpochNanos() - span.getStartEpochNanos()) + " ms");
		}
		return "Span '" + span.getName() + "' " + span.getKind() + " "
				+ millis(span.getEndEpochNanos() - span.getStartEpochNanos()) + " ms, trace " + span.getTraceId()
				+ ", span " + span.getSpanId() + ", attributes " + span.getAttributes().asMap() + ", events " + events;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	@Override
	public CompletableResultCode flush() {
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public CompletableResultCode shutdown() {
		return CompletableResultCode.ofSuccess();
	}

}
