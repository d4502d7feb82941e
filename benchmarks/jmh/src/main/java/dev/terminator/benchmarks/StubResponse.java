package dev.terminator.benchmarks;

import jakarta.servlet.http.HttpServletResponse;

/**
 * A response that is never committed and counts the headers set on it; everything else
 * does nothing. Generated from the Servlet 6.0 API.
 */
@SuppressWarnings({ "deprecation", "rawtypes", "unchecked" })
final class StubResponse implements HttpServletResponse {

	int headersSet;

	@Override
	public void addCookie(jakarta.servlet.http.Cookie arg0) {

	}

	@Override
	public boolean containsHeader(java.lang.String arg0) {
		return false;
	}

	@Override
	public java.lang.String encodeURL(java.lang.String arg0) {
		return null;
	}

	@Override
	public java.lang.String encodeRedirectURL(java.lang.String arg0) {
		return null;
	}

	@Override
	public void sendError(int arg0, java.lang.String arg1) throws java.io.IOException {

	}

	@Override
	public void sendError(int arg0) throws java.io.IOException {

	}

	@Override
	public void sendRedirect(java.lang.String arg0) throws java.io.IOException {

	}

	@Override
	public void setDateHeader(java.lang.String arg0, long arg1) {

	}

	@Override
	public void addDateHeader(java.lang.String arg0, long arg1) {

	}

	@Override
	public void setHeader(java.lang.String arg0, java.lang.String arg1) {
		this.headersSet++;
	}

	@Override
	public void addHeader(java.lang.String arg0, java.lang.String arg1) {

	}

	@Override
	public void setIntHeader(java.lang.String arg0, int arg1) {

	}

	@Override
	public void addIntHeader(java.lang.String arg0, int arg1) {

	}

	@Override
	public void setStatus(int arg0) {

	}

	@Override
	public int getStatus() {
		return 0;
	}

	@Override
	public java.lang.String getHeader(java.lang.String arg0) {
		return null;
	}

	@Override
	public java.util.Collection<java.lang.String> getHeaders(java.lang.String arg0) {
		return null;
	}

	@Override
	public java.util.Collection<java.lang.String> getHeaderNames() {
		return null;
	}

	@Override
	public java.lang.String getCharacterEncoding() {
		return null;
	}

	@Override
	public java.lang.String getContentType() {
		return null;
	}

	@Override
	public jakarta.servlet.ServletOutputStream getOutputStream() throws java.io.IOException {
		return null;
	}

	@Override
	public java.io.PrintWriter getWriter() throws java.io.IOException {
		return null;
	}

	@Override
	public void setCharacterEncoding(java.lang.String arg0) {

	}

	@Override
	public void setContentLength(int arg0) {

	}

	@Override
	public void setContentLengthLong(long arg0) {

	}

	@Override
	public void setContentType(java.lang.String arg0) {

	}

	@Override
	public void setBufferSize(int arg0) {

	}

	@Override
	public int getBufferSize() {
		return 0;
	}

	@Override
	public void flushBuffer() throws java.io.IOException {

	}

	@Override
	public void resetBuffer() {

	}

	@Override
	public boolean isCommitted() {
		return false;
	}

	@Override
	public void reset() {

	}

	@Override
	public void setLocale(java.util.Locale arg0) {

	}

	@Override
	public java.util.Locale getLocale() {
		return null;
	}

}
