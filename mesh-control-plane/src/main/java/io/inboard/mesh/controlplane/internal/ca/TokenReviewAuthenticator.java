package io.inboard.mesh.controlplane.internal.ca;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Kubernetes mode's proof of identity, as istiod's: a {@code authentication.k8s.io/v1}
 * TokenReview with the CA's audiences (default {@code istio-ca}). Accepted only when the API
 * server says {@code authenticated}, the user is {@code system:serviceaccount:<ns>:<sa>} in group
 * {@code system:serviceaccounts}, and, when it returns audiences, one of ours is among them. The
 * control plane's service account needs {@code create} on {@code tokenreviews}.
 */
public final class TokenReviewAuthenticator implements TokenAuthenticator {
  private static final String SA_PREFIX = "system:serviceaccount:";
  private static final String SA_GROUP = "system:serviceaccounts";

  private final KubernetesClient client;
  private final List<String> audiences;

  public TokenReviewAuthenticator(KubernetesClient client, List<String> audiences) {
    this.client = requireNonNull(client, "client");
    this.audiences = List.copyOf(audiences);
  }

  @Override
  public ServiceAccount authenticate(String token) throws Rejected {
    TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token)
        .withAudiences(audiences).endSpec().build();
    TokenReview answer;
    try {
      answer = client.authentication().v1().tokenReviews().create(review);
    } catch (KubernetesClientException e) {
      throw new Rejected("token: TokenReview failed (" + e.getCode() + " " + e.getMessage()
          + "); expected: the API server to review it", true);
    }
    TokenReviewStatus status = answer == null ? null : answer.getStatus();
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
      String why = status == null || status.getError() == null ? "" : ": " + status.getError();
      throw new Rejected("token: not authenticated by the TokenReview" + why
          + " (expected: a valid service-account token for audience " + audiences + ")");
    }
    List<String> returned = status.getAudiences();
    if (returned != null && !returned.isEmpty() && !audiences.isEmpty()
        && returned.stream().noneMatch(audiences::contains)) {
      throw new Rejected("token: audiences " + returned + " (expected: one of " + audiences
          + ")");
    }
    UserInfo user = status.getUser();
    String name = user == null ? null : user.getUsername();
    String[] parts = name == null || !name.startsWith(SA_PREFIX) ? new String[0]
        : name.substring(SA_PREFIX.length()).split(":", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new Rejected("token: user '" + name + "' (expected: system:serviceaccount:"
          + "<namespace>:<service-account>)");
    }
    if (user.getGroups() == null || !user.getGroups().contains(SA_GROUP)) {
      throw new Rejected("token: groups " + user.getGroups() + " (expected: to contain "
          + SA_GROUP + ")");
    }
    return new ServiceAccount(parts[0], parts[1]);
  }
}
