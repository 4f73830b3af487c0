package io.inboard.mesh.controlplane.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;

/** The commands that talk to a control plane's admin API, and how their replies print. */
final class Commands {
  private Commands() {}

  /** apply, delete or analyze {@code yaml}. */
  static int post(AdminClient client, String command, String yaml, PrintStream out,
      PrintStream err) throws IOException, InterruptedException {
    return print(client, command, client.post("/api/v1/" + command, yaml), out, err);
  }

  /** Prints the admin API's reply {@code r} to apply, delete or analyze. */
  static int print(AdminClient client, String command, AdminClient.Reply r, PrintStream out,
      PrintStream err) {
    JsonObject body = json(r);
    if (body == null) {
      return failed(client, r, err);
    }
    String verb = switch (command) {
      case "apply" -> "applied";
      case "delete" -> "deleted";
      default -> "valid";
    };
    switch (r.status()) {
      case 200 -> {
        for (JsonElement id : array(body, verb)) {
          out.println(verb + " " + id(id.getAsJsonObject()));
        }
        printTexts(array(body, "warnings"), out);
        printTexts(array(body, "notServed"), out);
        return InboardCtl.OK;
      }
      case 400 -> {
        for (JsonElement e : array(body, "errors")) {
          err.println("error: " + e.getAsJsonObject().get("text").getAsString());
        }
        err.println(command.equals("analyze") ? "invalid" : "nothing was " + verb);
        return InboardCtl.INVALID;
      }
      case 404 -> {
        for (JsonElement id : array(body, "unknown")) {
          err.println("error: " + id(id.getAsJsonObject()) + ": not found");
        }
        err.println("nothing was " + verb);
        return InboardCtl.NOT_FOUND;
      }
      default -> {
        return failed(client, r, err);
      }
    }
  }

  static int get(AdminClient client, String kind, String name, String namespace, String output,
      PrintStream out, PrintStream err) throws IOException, InterruptedException {
    if (!output.equals("yaml") && !output.equals("json")) {
      return InboardCtl.usage(err, "-o: '" + output + "' (expected: yaml or json)");
    }
    AdminClient.Reply r = client.get("/api/v1/resources?kind=" + InboardCtl.encode(kind)
        + "&name=" + InboardCtl.encode(name) + "&namespace=" + InboardCtl.encode(namespace)
        + "&format=" + output);
    if (r.status() != 200) {
      return failed(client, r, err);
    }
    boolean empty = output.equals("yaml") ? r.body().isBlank()
        : array(json(r), "resources").isEmpty();
    if (empty) {
      err.println(kind + (name.isEmpty() ? "" : " " + name)
          + (namespace.isEmpty() ? "" : " in namespace " + namespace) + ": not found");
      return name.isEmpty() ? InboardCtl.OK : InboardCtl.NOT_FOUND;
    }
    out.print(r.body());
    return InboardCtl.OK;
  }

  static int configDump(AdminClient client, String workload, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    AdminClient.Reply r = client.get("/api/v1/config-dump/" + InboardCtl.encode(workload));
    if (r.status() == 404) {
      JsonObject body = json(r);
      err.println("error: " + (body != null && body.has("error")
          ? body.get("error").getAsString() : "workload '" + workload + "' not found"));
      return InboardCtl.NOT_FOUND;
    }
    if (r.status() != 200) {
      return failed(client, r, err);
    }
    out.print(r.body());
    return InboardCtl.OK;
  }

  private static void printTexts(JsonArray diagnostics, PrintStream out) {
    diagnostics.forEach(d -> out.println(d.getAsJsonObject().get("text").getAsString()));
  }

  private static String id(JsonObject id) {
    return id.get("kind").getAsString() + " " + id.get("namespace").getAsString() + "/"
        + id.get("name").getAsString();
  }

  private static JsonArray array(JsonObject body, String key) {
    return body != null && body.has(key) ? body.getAsJsonArray(key) : new JsonArray();
  }

  private static JsonObject json(AdminClient.Reply r) {
    try {
      JsonElement e = JsonParser.parseString(r.body());
      return e.isJsonObject() ? e.getAsJsonObject() : null;
    } catch (JsonParseException e) {
      return null;
    }
  }

  private static int failed(AdminClient client, AdminClient.Reply r, PrintStream err) {
    err.println("error: " + client.server() + " answered " + r.status() + ": " + r.body().strip());
    return InboardCtl.UNAVAILABLE;
  }
}
