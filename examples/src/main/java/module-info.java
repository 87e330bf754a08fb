/**
 * Runnable, tested example programs, written as an application would be: they see only what the
 * reactive-ws modules export to everyone, which javac checks here. The packaged jar runs on the
 * class path; the opens let Jackson read the programs' event records on the module path too.
 */
module io.reactivews.examples {
  requires io.reactivews.client;
  requires io.reactivews.server;
  requires java.management;
  requires micrometer.core;
  requires micrometer.registry.prometheus;

  opens io.reactivews.examples.chat to com.fasterxml.jackson.databind;
  opens io.reactivews.examples.events to com.fasterxml.jackson.databind;
  opens io.reactivews.examples.socketio to com.fasterxml.jackson.databind;
  opens io.reactivews.examples.stats to com.fasterxml.jackson.databind;
  opens io.reactivews.examples.bench to com.fasterxml.jackson.databind;
}
