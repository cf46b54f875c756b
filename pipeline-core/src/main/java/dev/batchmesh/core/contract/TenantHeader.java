package dev.batchmesh.core.contract;

/**
 * The header through which the gateway tells the services behind it which tenant a request was
 * authenticated as. The gateway removes any copy a client sends; batcher and aggregator refuse
 * requests without it.
 */
public final class TenantHeader {

    public static final String NAME = "X-Batchmesh-Tenant";

    private TenantHeader() {
    }
}
