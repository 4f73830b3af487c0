package io.inboard.mesh.http.internal.declarative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.http.annotation.Get;
import io.inboard.mesh.http.annotation.PathParam;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathTemplateTest {

  @ParameterizedTest(name = "{0} with id={1}, v={2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "/reviews/{id}            | 7     | x   | /reviews/7",
      "/reviews/{id}/ratings    | 7     | x   | /reviews/7/ratings",
      "/{v}/reviews/{id}        | 0     | v2  | /v2/reviews/0",
      "/reviews                 | 7     | x   | /reviews",
      "/a/{id}/b/{id}           | 3     | x   | /a/3/b/3",
      "/reviews/{id}            | a b   | x   | /reviews/a%20b",
      "/reviews/{id}            | a/b   | x   | /reviews/a%2Fb",
      "/reviews/{id}            | a?b#c | x   | /reviews/a%3Fb%23c",
      "/reviews/{id}            | 100%  | x   | /reviews/100%25",
      "/reviews/{id}            | ü     | x   | /reviews/%C3%BC",
      "/reviews/{id}            | a+b   | x   | /reviews/a%2Bb",
  })
  void expandsPlaceholdersPercentEncoded(String template, String id, String v, String expected) {
    PathTemplate t = PathTemplate.parse("@Get.value", template);

    assertThat(t.expand(Map.of("id", id, "v", v))).isEqualTo(expected);
  }

  @Test
  void namesPlaceholdersInOrderOfFirstAppearance() {
    PathTemplate t = PathTemplate.parse("@Get.value", "/{b}/{a}/{b}/{c.d-e_f}");

    assertThat(t.names()).containsExactly("b", "a", "c.d-e_f");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "reviews/{id}      | (expected: a path starting with '/')",
      "/reviews?x=1      | (expected: a path without query or fragment; use @QueryParam)",
      "/reviews#top      | (expected: a path without query or fragment; use @QueryParam)",
      "/reviews/id}      | has '}' at 11 (expected: {name} placeholders)",
      "/reviews/{id      | placeholder at 9 (expected: {name} with a name of letters",
      "/reviews/{}       | placeholder at 9 (expected: {name} with a name of letters",
      "/reviews/{i d}    | placeholder at 9 (expected: {name} with a name of letters",
  })
  void badTemplateNamesTheFieldTheTemplateAndTheProblem(String template, String problem) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PathTemplate.parse("ReviewsClient.get @Get.value", template))
        .withMessageStartingWith("ReviewsClient.get @Get.value: '" + template + "'")
        .withMessageContaining(problem);
  }

  interface Reviews {
    @Get("/reviews/{id}")
    String missingParameter();

    @Get("/reviews/{id}")
    String extraParameter(@PathParam("id") String id, @PathParam("page") int page);
  }

  @Test
  void placeholderWithoutParameterNamesTheTemplateAndThePlaceholder() throws Exception {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MethodMapping.parse(Reviews.class.getMethod("missingParameter"),
            "http://reviews.default:9080", new CallPolicy(0, RetryPolicy.NONE)))
        .withMessageContaining("missingParameter")
        .withMessageContaining("'/reviews/{id}' placeholder {id}")
        .withMessageContaining("(expected: a parameter annotated @PathParam(\"id\"))");
  }

  @Test
  void parameterWithoutPlaceholderNamesTheParameterAndTheTemplate() throws Exception {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MethodMapping.parse(
            Reviews.class.getMethod("extraParameter", String.class, int.class),
            "http://reviews.default:9080", new CallPolicy(0, RetryPolicy.NONE)))
        .withMessageContaining("extraParameter")
        .withMessageContaining("@PathParam.value: 'page'")
        .withMessageContaining("(expected: a {page} placeholder in @Get.value '/reviews/{id}')");
  }
}
