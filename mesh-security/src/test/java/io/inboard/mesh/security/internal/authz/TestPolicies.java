package io.inboard.mesh.security.internal.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Builds policies from the YAML of their {@code spec}, as users write them. */
final class TestPolicies {
  private TestPolicies() {}

  /** The policy {@code default/<name>} with {@code spec} given as YAML. */
  static PolicySource policy(String name, String specYaml) {
    Map<String, Object> spec = new Yaml().load(specYaml);
    return new PolicySource("default", name, spec);
  }

  /** Compiles specs named {@code p0}, {@code p1}, ... */
  static Authorizer authorizer(String... specYamls) {
    List<PolicySource> policies = new ArrayList<>();
    for (int i = 0; i < specYamls.length; i++) {
      policies.add(policy("p" + i, specYamls[i]));
    }
    return Authorizer.compile(policies);
  }

  /** Whether an ALLOW policy with the one rule {@code ruleYaml} allows {@code request}. */
  static boolean allowedBy(String ruleYaml, AuthzRequest request) {
    return authorizer("rules:\n" + indent(ruleYaml)).decide(request).allowed();
  }

  /** The exception compiling {@code specYaml} as {@code default/bad} throws. */
  static PolicyException compileError(String specYaml) {
    PolicyException e = catchThrowableOfType(PolicyException.class,
        () -> Authorizer.compile(List.of(policy("bad", specYaml))));
    assertThat(e).as("compiling %s", specYaml).isNotNull();
    assertThat(e.resource()).isEqualTo("default/bad");
    return e;
  }

  private static String indent(String yaml) {
    return ("- " + yaml.strip()).replace("\n", "\n  ");
  }
}
