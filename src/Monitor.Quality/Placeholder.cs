namespace Monitor.Quality; internal static class Placeholder { }
