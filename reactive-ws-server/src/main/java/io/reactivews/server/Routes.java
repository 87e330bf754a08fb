package io.reactivews.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Finds the route for a path: exact routes first, then the longest matching prefix. Immutable. */
final class Routes {

  private final List<Route> ordered;

  Routes(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparing(Route::isPrefix)
        .thenComparing(Comparator.comparingInt((Route r) -> r.path().length()).reversed()));
    this.ordered = List.copyOf(sorted);
  }

  Route match(String path) {
    for (Route route : ordered) {
      if (route.matches(path)) {
        return route;
      }
    }
    return null;
  }

  List<Route> all() {
    return ordered;
  }
}
