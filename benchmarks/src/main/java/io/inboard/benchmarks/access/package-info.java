/** JMH benchmarks of the inbound access check: authorization decisions and JWT verification. */
package io.inboard.benchmarks.access;
