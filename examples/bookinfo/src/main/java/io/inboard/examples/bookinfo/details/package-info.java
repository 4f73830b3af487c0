/** details: the book's details as JSON over HTTP ({@code GET /details/0}). */
package io.inboard.examples.bookinfo.details;
