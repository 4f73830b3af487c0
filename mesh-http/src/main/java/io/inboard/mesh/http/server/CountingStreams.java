package io.inboard.mesh.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Streams that count the body bytes passing through, for the inbound report's sizes. */
final class CountingStreams {

  private CountingStreams() {}

  /** Counts the bytes read from a request body. */
  static final class In extends InputStream {
    private final InputStream in;
    long count;

    In(InputStream in) {
      this.in = in;
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
  }

  /** Counts the bytes written to a response body. */
  static final class Out extends OutputStream {
    private final OutputStream out;
    long count;

    Out(OutputStream out) {
      this.out = out;
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
  }
}
