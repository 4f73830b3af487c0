package io.inboard.examples.bookinfo.productpage;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboard.examples.bookinfo.reviews.proto.ProductReviews;
import io.inboard.examples.bookinfo.reviews.proto.Review;
import java.util.Optional;

/**
 * The product page's HTML. The reviews section carries {@code data-reviews-version} and, where
 * ratings show, {@code data-stars-color}; failures show Istio's texts. Tests and users read
 * those markers, so they are a contract (DESIGN.md).
 */
final class PageHtml {

  static final String DETAILS_UNAVAILABLE =
      "Sorry, product details are currently unavailable for this book.";
  static final String REVIEWS_UNAVAILABLE =
      "Sorry, product reviews are currently unavailable for this book.";

  private PageHtml() {}

  static String render(String user, Optional<JsonNode> details, Optional<ProductReviews> reviews) {
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Simple Bookstore App</title>")
        .append("<style>body{font-family:sans-serif;margin:2em auto;max-width:60em}")
        .append(".cols{display:flex;gap:2em}.cols>section{flex:1}")
        .append("blockquote{border-left:4px solid #ccc;margin:1em 0;padding-left:1em}")
        .append(".error{color:#a00}</style></head><body>\n");
    h.append("<nav>BookInfo Sample · ");
    if (user.isEmpty()) {
      h.append("<form method=\"post\" action=\"/login\" style=\"display:inline\">")
          .append("<input name=\"username\" placeholder=\"User name\">")
          .append("<input type=\"password\" name=\"passwd\" placeholder=\"Password\">")
          .append("<button type=\"submit\">Sign in</button></form>");
    } else {
      h.append("<span id=\"user\">").append(escape(user)).append("</span> ")
          .append("<a href=\"/logout\">sign out</a>");
    }
    h.append("</nav>\n<h1>The Comedy of Errors</h1>\n<p>Summary: Wikipedia Summary: The Comedy"
        + " of Errors is one of William Shakespeare's early plays. It is his shortest and one of"
        + " his most farcical comedies, with a major part of the humour coming from slapstick"
        + " and mistaken identity, in addition to puns and word play.</p>\n<div class=\"cols\">");
    appendDetails(h, details);
    appendReviews(h, reviews);
    h.append("</div>\n</body></html>\n");
    return h.toString();
  }

  private static void appendDetails(StringBuilder h, Optional<JsonNode> details) {
    h.append("<section id=\"details\"><h2>Book Details</h2>");
    if (details.isEmpty()) {
      h.append("<p class=\"error\">").append(DETAILS_UNAVAILABLE).append("</p>");
    } else {
      JsonNode d = details.get();
      h.append("<dl>");
      for (String[] f : new String[][] {{"type", "Type"}, {"pages", "Pages"},
          {"publisher", "Publisher"}, {"language", "Language"}, {"ISBN-10", "ISBN-10"},
          {"ISBN-13", "ISBN-13"}}) {
        h.append("<dt>").append(f[1]).append(":</dt><dd>")
            .append(escape(d.path(f[0]).asText())).append("</dd>");
      }
      h.append("</dl>");
    }
    h.append("</section>\n");
  }

  private static void appendReviews(StringBuilder h, Optional<ProductReviews> reviews) {
    if (reviews.isEmpty()) {
      h.append("<section id=\"reviews\"><h2>Book Reviews</h2><p class=\"error\">")
          .append(REVIEWS_UNAVAILABLE).append("</p></section>\n");
      return;
    }
    ProductReviews r = reviews.get();
    String color = r.getReviewsList().stream()
        .filter(x -> x.hasRating() && x.getRating().getError().isEmpty())
        .map(x -> x.getRating().getColor()).findFirst().orElse(null);
    h.append("<section id=\"reviews\" data-reviews-version=\"")
        .append(escape(r.getVersion())).append('"');
    if (color != null) {
      h.append(" data-stars-color=\"").append(escape(color)).append('"');
    }
    h.append("><h2>Book Reviews</h2>");
    for (Review review : r.getReviewsList()) {
      h.append("<blockquote><p>").append(escape(review.getText())).append("</p><small>")
          .append(escape(review.getReviewer())).append("</small>");
      if (review.hasRating()) {
        if (!review.getRating().getError().isEmpty()) {
          h.append("<p class=\"error\">").append(escape(review.getRating().getError()))
              .append("</p>");
        } else {
          int stars = Math.max(0, Math.min(5, review.getRating().getStars()));
          h.append("<p class=\"stars\" style=\"color:").append(escape(color)).append("\">")
              .append("★".repeat(stars)).append("☆".repeat(5 - stars)).append("</p>");
        }
      }
      h.append("</blockquote>");
    }
    h.append("<p><small>Reviews served by: ").append(escape(r.getPodname()))
        .append("</small></p></section>\n");
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
