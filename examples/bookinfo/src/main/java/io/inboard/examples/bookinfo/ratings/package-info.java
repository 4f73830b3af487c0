/** ratings: the book's star ratings as JSON over HTTP ({@code GET /ratings/0}). */
package io.inboard.examples.bookinfo.ratings;
