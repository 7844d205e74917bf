/// The API Gateway v2 REST-JSON API.
enum APIGatewayAPIModule {}
