package dev.terminator.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/2 connection on a raw socket, to see every GOAWAY the server sends and when it
 * closes: h2 over TLS (ALPN) or h2c with prior knowledge. Unlike a real client, it never
 * closes the connection itself, whatever the server sends, so an open connection after
 * GOAWAY is the server's doing.
 *
 * <p>
 * A reader thread collects the frames; it acknowledges SETTINGS and PING, as a client
 * must. Requests are GETs without a body, their headers encoded as HPACK literals (no
 * Huffman, no dynamic table); of a response, only the {@code :status} (when the server
 * sends it from HPACK's static table, as 200 is) and the body are read.
 */
public final class RawHttp2Connection implements AutoCloseable {

	/**
	 * The last stream id of a graceful GOAWAY: "stop opening streams soon", before the
	 * final one.
	 */
	public static final int GRACEFUL_LAST_STREAM_ID = Integer.MAX_VALUE;

	private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final int DATA = 0x0;

	private static final int HEADERS = 0x1;

	private static final int RST_STREAM = 0x3;

	private static final int SETTINGS = 0x4;

	private static final int PING = 0x6;

	private static final int GOAWAY = 0x7;

	private static final int END_STREAM = 0x1;

	private static final int ACK = 0x1;

	private static final int END_HEADERS = 0x4;

	private static final int PADDED = 0x8;

	private static final int PRIORITY = 0x20;

	// HPACK static table entries 8 to 14 are :status 200, 204, 206, 304, 400, 404, 500.
	private static final int[] STATIC_STATUS = { 200, 204, 206, 304, 400, 404, 500 };

	private final Socket socket;

	private final OutputStream out;

	private final boolean tls;

	private final String authority;

	private final List<GoAway> goAways = new CopyOnWriteArrayList<>();

	private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();

	private final AtomicInteger pingAcks = new AtomicInteger();

	private volatile boolean closedByServer;

	private int nextStreamId = 1;

	private RawHttp2Connection(Socket socket, boolean tls, int port) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		this.tls = tls;
		this.authority = "localhost:" + port;
		write(PREFACE);
		writeFrame(SETTINGS, 0, 0, new byte[0]);
		DataInputStream in = new DataInputStream(socket.getInputStream());
		Thread reader = new Thread(() -> read(in), "raw-h2-reader");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Open an HTTP/2 connection: h2 through ALPN if the server uses TLS, h2c with prior
	 * knowledge otherwise.
	 * @param server the server
	 * @return the connection, its preface and SETTINGS sent
	 * @throws IOException if the connection fails, or the server does not agree to h2
	 */
	public static RawHttp2Connection open(ServerAddress server) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
		if (server.isTls()) {
			SSLSocket sslSocket = (SSLSocket) server.clientTls()
				.getSocketFactory()
				.createSocket(socket, "localhost", server.port(), true);
			SSLParameters parameters = sslSocket.getSSLParameters();
			parameters.setApplicationProtocols(new String[] { "h2" });
			sslSocket.setSSLParameters(parameters);
			sslSocket.startHandshake();
			if (!"h2".equals(sslSocket.getApplicationProtocol())) {
				sslSocket.close();
				throw new IOException("The server did not negotiate h2: " + sslSocket.getApplicationProtocol());
			}
			socket = sslSocket;
		}
		return new RawHttp2Connection(socket, server.isTls(), server.port());
	}

	/**
	 * Send a GET on a new stream.
	 * @param path the path and query
	 * @return the stream id
	 * @throws IOException if the request cannot be written
	 */
	public synchronized int get(String path) throws IOException {
		int streamId = this.nextStreamId;
		this.nextStreamId += 2;
		this.streams.put(streamId, new Stream());
		ByteArrayOutputStream block = new ByteArrayOutputStream();
		block.write(0x82); // :method GET
		block.write(this.tls ? 0x87 : 0x86); // :scheme https or http
		literal(block, 4, path); // :path
		literal(block, 1, this.authority); // :authority
		writeFrame(HEADERS, END_HEADERS | END_STREAM, streamId, block.toByteArray());
		return streamId;
	}

	/**
	 * Send a PING, a control frame that is no request.
	 * @throws IOException if the frame cannot be written
	 */
	public void ping() throws IOException {
		writeFrame(PING, 0, 0, new byte[8]);
	}

	/**
	 * How many of the client's PINGs the server has acknowledged.
	 * @return the number of PING acknowledgements received
	 */
	public int pingAcks() {
		return this.pingAcks.get();
	}

	/**
	 * The response on a stream, once the server has ended the stream.
	 * @param streamId the stream
	 * @return the response, or {@code null} while the stream is still open
	 */
	public Response response(int streamId) {
		Stream stream = this.streams.get(streamId);
		return (stream != null) ? stream.response() : null;
	}

	/**
	 * The GOAWAY frames received so far, in order.
	 * @return the frames
	 */
	public List<GoAway> goAways() {
		return List.copyOf(this.goAways);
	}

	/**
	 * Whether the server has closed the connection (end of stream or reset).
	 * @return {@code true} once closed
	 */
	public boolean isClosedByServer() {
		return this.closedByServer;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private void read(DataInputStream in) {
		try {
			while (true) {
				byte[] header = new byte[9];
				in.readFully(header);
				int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
				int type = header[3] & 0xff;
				int flags = header[4] & 0xff;
				int streamId = ByteBuffer.wrap(header, 5, 4).getInt() & Integer.MAX_VALUE;
				byte[] payload = new byte[length];
				in.readFully(payload);
				received(type, flags, streamId, payload);
			}
		}
		catch (IOException ex) {
			// End of stream, a reset, or TLS cut without close_notify: closed all the
			// same.
		}
		finally {
			this.closedByServer = true;
		}
	}

	private void received(int type, int flags, int streamId, byte[] payload) throws IOException {
		Stream stream = this.streams.get(streamId);
		switch (type) {
			case SETTINGS -> {
				if ((flags & ACK) == 0) {
					writeFrame(SETTINGS, ACK, 0, new byte[0]);
				}
			}
			case PING -> {
				if ((flags & ACK) == 0) {
					writeFrame(PING, ACK, 0, payload);
				}
				else {
					this.pingAcks.incrementAndGet();
				}
			}
			case GOAWAY -> {
				ByteBuffer buffer = ByteBuffer.wrap(payload);
				int lastStreamId = buffer.getInt() & Integer.MAX_VALUE;
				long errorCode = buffer.getInt() & 0xffffffffL;
				String debugData = new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
				this.goAways.add(new GoAway(lastStreamId, errorCode, debugData));
			}
			case HEADERS -> {
				if (stream != null) {
					stream.headers(headerBlock(flags, payload), (flags & END_STREAM) != 0);
				}
			}
			case DATA -> {
				if (stream != null) {
					int padding = ((flags & PADDED) != 0) ? payload[0] & 0xff : 0;
					int offset = ((flags & PADDED) != 0) ? 1 : 0;
					stream.data(payload, offset, payload.length - offset - padding, (flags & END_STREAM) != 0);
				}
			}
			case RST_STREAM -> {
				if (stream != null) {
					stream.reset(ByteBuffer.wrap(payload).getInt() & 0xffffffffL);
				}
			}
			default -> {
				// WINDOW_UPDATE and the rest: nothing to do for small responses.
			}
		}
	}

	private static byte[] headerBlock(int flags, byte[] payload) {
		int offset = 0;
		int padding = 0;
		if ((flags & PADDED) != 0) {
			padding = payload[0] & 0xff;
			offset = 1;
		}
		if ((flags & PRIORITY) != 0) {
			offset += 5;
		}
		byte[] block = new byte[payload.length - offset - padding];
		System.arraycopy(payload, offset, block, 0, block.length);
		return block;
	}

	// Literal header field without indexing, name from the static table, value as a raw
	// string (RFC 7541 6.2.2).
	private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
		block.write(nameIndex);
		byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
		integer(block, bytes.length, 7);
		block.writeBytes(bytes);
	}

	private static void integer(ByteArrayOutputStream block, int value, int prefixBits) {
		int max = (1 << prefixBits) - 1;
		if (value < max) {
			block.write(value);
			return;
		}
		block.write(max);
		int rest = value - max;
		while (rest >= 128) {
			block.write((rest & 0x7f) | 0x80);
			rest >>>= 7;
		}
		block.write(rest);
	}

	private void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
		ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
		frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
		frame.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
		write(frame.array());
	}

	private void write(byte[] bytes) throws IOException {
		synchronized (this.out) {
			this.out.write(bytes);
			this.out.flush();
		}
	}

	/**
	 * A GOAWAY frame.
	 *
	 * @param lastStreamId the last stream the server processed, or
	 * {@link #GRACEFUL_LAST_STREAM_ID}
	 * @param errorCode the error code, 0 for NO_ERROR
	 * @param debugData the debug data, as text
	 */
	public record GoAway(int lastStreamId, long errorCode, String debugData) {

		public boolean isGraceful() {
			return this.lastStreamId == GRACEFUL_LAST_STREAM_ID;
		}

	}

	/**
	 * A response the server has ended.
	 *
	 * @param status the {@code :status}, or -1 if the server did not send it from the
	 * static table
	 * @param body the body
	 * @param resetCode the RST_STREAM error code if the server reset the stream,
	 * otherwise -1
	 */
	public record Response(int status, String body, long resetCode) {

	}

	private static final class Stream {

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private int status = -1;

		private long resetCode = -1;

		private volatile boolean ended;

		synchronized void headers(byte[] block, boolean endStream) {
			if (this.status == -1) {
				this.status = status(block);
			}
			this.ended |= endStream;
		}

		// :status comes first, perhaps after dynamic table size updates (001xxxxx, RFC
		// 7541 6.3).
		private static int status(byte[] block) {
			int position = 0;
			while (position < block.length && (block[position] & 0xe0) == 0x20) {
				position++;
				if ((block[position - 1] & 0x1f) == 0x1f) {
					while (position < block.length && (block[position] & 0x80) != 0) {
						position++;
					}
					position++;
				}
			}
			int index = (position < block.length) ? block[position] & 0xff : 0;
			return (index >= 0x88 && index <= 0x8e) ? STATIC_STATUS[index - 0x88] : -1;
		}

		synchronized void data(byte[] payload, int offset, int length, boolean endStream) {
			this.body.write(payload, offset, length);
			this.ended |= endStream;
		}

		synchronized void reset(long code) {
			this.resetCode = code;
			this.ended = true;
		}

		synchronized Response response() {
			return this.ended ? new Response(this.status, this.body.toString(StandardCharsets.UTF_8), this.resetCode)
					: null;
		}

	}

}
