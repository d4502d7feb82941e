package dev.terminator.core;

/**
 * A connector whose connections the drain cannot track, as a {@link ServerAdapter}
 * reports it when it installs. The drain still stops it accepting.
 *
 * @param connector what it is, such as
 * {@code "Tomcat protocol org.apache.coyote.http11.Http11Nio2Protocol"}
 * @param reason why its connections cannot be tracked
 */
public record UntrackedConnector(String connector, String reason) {

}
