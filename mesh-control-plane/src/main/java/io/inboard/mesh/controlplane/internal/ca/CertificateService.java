package io.inboard.mesh.controlplane.internal.ca;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.caapi.IstioCertificateRequest;
import io.inboard.mesh.security.internal.caapi.IstioCertificateResponse;
import io.inboard.mesh.security.internal.caapi.IstioCertificateServiceGrpc;
import io.inboard.mesh.security.internal.pki.Csrs;
import io.inboard.mesh.security.internal.pki.Pem;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Istio's {@code IstioCertificateService/CreateCertificate}: proves the caller's identity from
 * its bearer token, checks the CSR's signature and the requested lifetime, and signs a leaf for
 * {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>} of the proven identity only; every SAN the
 * CSR asks for is ignored, as istiod does. Lifetime: {@code validity_duration} seconds, the
 * default when it is 0 or less; above the maximum is INVALID_ARGUMENT.
 */
final class CertificateService extends IstioCertificateServiceGrpc.IstioCertificateServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(CertificateService.class);
  private static final String BEARER = "Bearer ";

  private final CertificateAuthority ca;
  private final Supplier<TokenAuthenticator> authenticator;
  private final String trustDomain;
  private final Duration defaultLifetime;
  private final Duration maxLifetime;

  CertificateService(CertificateAuthority ca, Supplier<TokenAuthenticator> authenticator,
      String trustDomain, Duration defaultLifetime, Duration maxLifetime) {
    this.ca = requireNonNull(ca, "ca");
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.trustDomain = requireNonNull(trustDomain, "trustDomain");
    this.defaultLifetime = defaultLifetime;
    this.maxLifetime = maxLifetime;
  }

  @Override
  public void createCertificate(IstioCertificateRequest request,
      StreamObserver<IstioCertificateResponse> response) {
    try {
      response.onNext(sign(request));
      response.onCompleted();
    } catch (Refusal r) {
      response.onError(r.status.asRuntimeException());
    }
  }

  private IstioCertificateResponse sign(IstioCertificateRequest request) throws Refusal {
    ServiceAccount caller = caller();
    Duration lifetime = lifetime(request.getValidityDuration());
    PublicKey key;
    try {
      key = Csrs.verifiedPublicKey(request.getCsr());
    } catch (IllegalArgumentException e) {
      throw new Refusal(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    }
    SpiffeId id;
    try {
      id = SpiffeId.of(trustDomain, caller.namespace(), caller.name());
    } catch (IllegalArgumentException e) {
      throw new Refusal(Status.PERMISSION_DENIED.withDescription("identity " + caller
          + " cannot be a SPIFFE ID: " + e.getMessage()));
    }
    List<X509Certificate> chain = ca.issue(id, key, lifetime);
    log.debug("issued {} for {} until {}", chain.get(0).getSerialNumber().toString(16), id,
        chain.get(0).getNotAfter().toInstant());
    IstioCertificateResponse.Builder out = IstioCertificateResponse.newBuilder();
    chain.forEach(c -> out.addCertChain(Pem.encode(c)));
    return out.build();
  }

  private ServiceAccount caller() throws Refusal {
    String header = BearerTokenInterceptor.HEADER.get();
    if (header == null) {
      throw new Refusal(Status.UNAUTHENTICATED.withDescription("authorization: missing"
          + " (expected: metadata 'authorization: Bearer <token>')"));
    }
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || header.substring(BEARER.length()).isBlank()) {
      throw new Refusal(Status.UNAUTHENTICATED.withDescription("authorization: not a bearer"
          + " token (expected: 'Bearer <token>')"));
    }
    try {
      return authenticator.get().authenticate(header.substring(BEARER.length()).trim());
    } catch (TokenAuthenticator.Rejected e) {
      throw new Refusal((e.unavailable() ? Status.UNAVAILABLE : Status.UNAUTHENTICATED)
          .withDescription(e.getMessage()));
    }
  }

  private Duration lifetime(long seconds) throws Refusal {
    if (seconds <= 0) {
      return defaultLifetime;
    }
    if (seconds > maxLifetime.toSeconds()) {
      throw new Refusal(Status.INVALID_ARGUMENT.withDescription("validity_duration: " + seconds
          + " s (expected: <= " + maxLifetime.toSeconds() + " s, the maximum of " + maxLifetime
          + "; 0 for the default of " + defaultLifetime + ")"));
    }
    return Duration.ofSeconds(seconds);
  }

  private static final class Refusal extends Exception {
    final Status status;

    Refusal(Status status) {
      super(status.getDescription(), null, false, false);
      this.status = status;
    }
  }
}
