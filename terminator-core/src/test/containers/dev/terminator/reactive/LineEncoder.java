package dev.terminator.reactive;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageEncoder;
import org.springframework.util.MimeType;

/**
 * Encodes strings as newline-delimited lines, {@code application/x-ndjson} declared a
 * streaming media type as Jackson's encoder declares it: Spring's
 * {@code EncoderHttpMessageWriter} then writes the body as it writes any NDJSON stream.
 */
final class LineEncoder implements HttpMessageEncoder<String> {

	@Override
	public boolean canEncode(ResolvableType elementType, MimeType mimeType) {
		return String.class.equals(elementType.toClass())
				&& (mimeType == null || MediaType.APPLICATION_NDJSON.isCompatibleWith(mimeType));
	}

	@Override
	public Flux<DataBuffer> encode(Publisher<? extends String> inputStream, DataBufferFactory bufferFactory,
			ResolvableType elementType, MimeType mimeType, Map<String, Object> hints) {
		return Flux.from(inputStream).map((line) -> encodeValue(line, bufferFactory, elementType, mimeType, hints));
	}

	@Override
	public DataBuffer encodeValue(String line, DataBufferFactory bufferFactory, ResolvableType valueType,
			MimeType mimeType, Map<String, Object> hints) {
		return bufferFactory.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public List<MimeType> getEncodableMimeTypes() {
		return List.of(MediaType.APPLICATION_NDJSON);
	}

	@Override
	public List<MediaType> getStreamingMediaTypes() {
		return List.of(MediaType.APPLICATION_NDJSON);
	}

}
