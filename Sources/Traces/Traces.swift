// The Traces module.
