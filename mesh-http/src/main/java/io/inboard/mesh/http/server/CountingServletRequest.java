package io.inboard.mesh.http.server;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * A request without {@code Content-Length} (chunked) as the application sees it, counting the
 * body bytes it reads through the input stream, for the report's request size. (A body read
 * through {@code getReader()} or form parameters is not counted.)
 */
final class CountingServletRequest extends HttpServletRequestWrapper {

  private long count;
  private ServletInputStream stream;

  CountingServletRequest(HttpServletRequest request) {
    super(request);
  }

  /** The body bytes read so far. */
  long count() {
    return count;
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (stream == null) {
      ServletInputStream in = super.getInputStream();
      stream = new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.isFinished();
        }

        @Override
        public boolean isReady() {
          return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
          in.setReadListener(listener);
        }

        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0) {
            count++;
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = in.read(b, off, len);
          if (n > 0) {
            count += n;
          }
          return n;
        }

        @Override
        public int available() throws IOException {
          return in.available();
        }

        @Override
        public void close() throws IOException {
          in.close();
        }
      };
    }
    return stream;
  }
}
