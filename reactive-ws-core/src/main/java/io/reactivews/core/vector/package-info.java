/**
 * The JDK's incubating Vector API, used where the JVM was started with {@code --add-modules
 * jdk.incubator.vector} and only once a warm-up shows it faster: {@link
 * io.reactivews.core.vector.VectorGate}. Not exported.
 */
package io.reactivews.core.vector;
