/**
 * reviews v1/v2/v3: the book's reviews over gRPC; v2 and v3 add the ratings they fetch from the
 * ratings service over HTTP (black stars for v2, red for v3).
 */
package io.inboard.examples.bookinfo.reviews;
