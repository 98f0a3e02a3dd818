"""From a plan and a backend to an `Answer` whose citations are checked against the sources."""
