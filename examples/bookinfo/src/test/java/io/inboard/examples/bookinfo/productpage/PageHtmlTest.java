package io.inboard.examples.bookinfo.productpage;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.examples.bookinfo.reviews.proto.ProductReviews;
import io.inboard.examples.bookinfo.reviews.proto.Rating;
import io.inboard.examples.bookinfo.reviews.proto.Review;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The page markers and texts that DESIGN.md makes a contract. */
class PageHtmlTest {

  private static ProductReviews reviews(String version, Rating rating) {
    Review.Builder r = Review.newBuilder().setReviewer("Reviewer1").setText("Fun");
    if (rating != null) {
      r.setRating(rating);
    }
    return ProductReviews.newBuilder().setVersion(version).setPodname("reviews-" + version)
        .addReviews(r).build();
  }

  @Test
  void reviewsSectionCarriesVersionAndStarColour() {
    String page = PageHtml.render("jason", Optional.empty(), Optional.of(reviews("v3",
        Rating.newBuilder().setStars(4).setColor("red").build())));

    assertThat(page).contains("data-reviews-version=\"v3\"", "data-stars-color=\"red\"",
        "★★★★☆", "Sorry, product details are currently unavailable for this book.");
  }

  @Test
  void failuresShowIstiosTexts_andNoStarColour() {
    assertThat(PageHtml.render("", Optional.empty(), Optional.empty()))
        .contains("Sorry, product reviews are currently unavailable for this book.")
        .doesNotContain("data-reviews-version");
    String noRatings = PageHtml.render("", Optional.empty(), Optional.of(reviews("v2",
        Rating.newBuilder().setError("Ratings service is currently unavailable").build())));
    assertThat(noRatings).contains("data-reviews-version=\"v2\"",
        "Ratings service is currently unavailable").doesNotContain("data-stars-color");
    assertThat(PageHtml.render("", Optional.empty(), Optional.of(reviews("v1", null))))
        .contains("data-reviews-version=\"v1\"").doesNotContain("data-stars-color");
  }

  @Test
  void userNameIsEscaped() {
    assertThat(PageHtml.render("<script>x</script>", Optional.empty(), Optional.empty()))
        .contains("&lt;script&gt;x&lt;/script&gt;").doesNotContain("<script>");
  }
}
