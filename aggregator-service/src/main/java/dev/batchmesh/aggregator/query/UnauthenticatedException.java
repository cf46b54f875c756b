package dev.batchmesh.aggregator.query;

/** The request did not come through the gateway with an authenticated tenant: 401. */
class UnauthenticatedException extends RuntimeException {

    UnauthenticatedException(String detail) {
        super(detail);
    }
}
