/// Plain HTTP into functions.
enum HTTPIngressModule {}
