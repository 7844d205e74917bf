/// API Gateway HTTP APIs as a domain (filled in by the HTTP APIs work).
enum HTTPAPIsModule {}
