"""Great Expectations checks of each night's feeds, with results kept in the warehouse."""
