package io.inboard.examples.bookinfo;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper the services share (thread-safe once configured). */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
