package io.inboard.mesh.http.server;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The response as the application sees it, counting the body bytes it writes, through the
 * output stream or the writer (whose characters are counted as their encoded size: exactly for
 * UTF-8 and single-byte charsets). Nothing is buffered here: every write goes straight to the
 * container's stream or writer, so flushing and completion stay the container's.
 */
final class CountingServletResponse extends HttpServletResponseWrapper {

  private long count;
  private ServletOutputStream stream;
  private PrintWriter writer;

  CountingServletResponse(HttpServletResponse response) {
    super(response);
  }

  /** The body bytes written so far. */
  long count() {
    return count;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      ServletOutputStream out = super.getOutputStream();
      stream = new ServletOutputStream() {
        @Override
        public boolean isReady() {
          return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          out.setWriteListener(listener);
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          count += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      PrintWriter w = super.getWriter();
      boolean utf8 = StandardCharsets.UTF_8.name().equalsIgnoreCase(getCharacterEncoding());
      writer = new PrintWriter(new Writer() {
        @Override
        public void write(char[] chars, int off, int len) {
          w.write(chars, off, len);
          count += utf8 ? utf8Length(chars, off, len) : len;
        }

        @Override
        public void flush() {
          w.flush();
        }

        @Override
        public void close() {
          w.close();
        }
      });
    }
    return writer;
  }

  private static long utf8Length(char[] chars, int off, int len) {
    long n = 0;
    for (int i = off; i < off + len; i++) {
      char c = chars[i];
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
